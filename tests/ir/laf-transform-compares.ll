; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; afl-transform-compares (AFL_LLVM_LAF_TRANSFORM_COMPARES): strcmp & co.
; with one constant operand become one block per byte: the difference of
; the byte and the constant's byte (constant first when it is the first
; operand), the next block only while it is 0, the NUL of the constant as
; the last byte of the str* variants; memcmp and bcmp compare exactly n
; bytes (NULs included), strncmp at most n; the case-blind ones go through
; tolower(). Calls stay calls when both operands vary, the length is not
; constant or longer than the constant, the constant has no NUL, or more
; than LAF_TRANSFORM_MAX_LEN (64) bytes would be compared.
; RUN: %opt -load-pass-plugin %plugin -passes=afl-transform-compares -S %s \
; RUN:   | %FileCheck %s
; RUN: %opt -load-pass-plugin %plugin -passes=afl-transform-compares -S %s \
; RUN:   | %opt -passes=verify -disable-output

source_filename = "laf-transform-compares.c"

@.magic = private unnamed_addr constant [4 x i8] c"ab!\00"
@.bytes = private unnamed_addr constant [5 x i8] c"AB\00CD"
@.hello = private unnamed_addr constant [3 x i8] c"Hi\00"
@.long = private unnamed_addr constant [70 x i8] c"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\00"
@.noterm = private unnamed_addr constant [2 x i8] c"xy"

declare i32 @strcmp(i8*, i8*)
declare i32 @strncmp(i8*, i8*, i64)
declare i32 @strcasecmp(i8*, i8*)
declare i32 @memcmp(i8*, i8*, i64)
declare i32 @bcmp(i8*, i8*, i64)

; CHECK-LABEL: define i32 @str(
; CHECK-NEXT:  [[P0:%.*]] = getelementptr i8, {{i8\*|ptr}} %s, i64 0
; CHECK-NEXT:  [[L0:%.*]] = load i8, {{i8\*|ptr}} [[P0]], align 1
; CHECK-NEXT:  [[Z0:%.*]] = zext i8 [[L0]] to i32
; CHECK-NEXT:  [[D0:%.*]] = sub i32 [[Z0]], 97
; CHECK-NEXT:  [[E0:%.*]] = icmp eq i32 [[D0]], 0
; CHECK-NEXT:  br i1 [[E0]], label %[[B1:.*]], label %[[END:laf.str.end]]
; CHECK:       [[B1]]:
; CHECK:       [[D1:%.*]] = sub i32 {{.*}}, 98
; CHECK:       br i1 {{.*}}, label %[[B2:.*]], label %[[END]]
; CHECK:       [[B2]]:
; CHECK:       [[D2:%.*]] = sub i32 {{.*}}, 33
; CHECK:       br i1 {{.*}}, label %[[B3:.*]], label %[[END]]
; CHECK:       [[B3]]:
; CHECK-NEXT:  getelementptr i8, {{i8\*|ptr}} %s, i64 3
; CHECK:       [[D3:%.*]] = sub i32 {{.*}}, 0
; CHECK-NEXT:  br label %[[END]]
; CHECK:       [[END]]:
; CHECK-NEXT:  %r = phi i32 [ [[D0]], %0 ], [ [[D1]], %[[B1]] ], [ [[D2]], %[[B2]] ], [ [[D3]], %[[B3]] ]
; CHECK-NEXT:  ret i32 %r
define i32 @str(i8* %s) {
  %r = call i32 @strcmp(i8* %s, i8* getelementptr inbounds ([4 x i8], [4 x i8]* @.magic, i64 0, i64 0))
  ret i32 %r
}

; Constant first: constant minus byte; n = 2 stops before the NUL.
; CHECK-LABEL: define i32 @strn_first(
; CHECK:       sub i32 97, {{%.*}}
; CHECK:       sub i32 98, {{%.*}}
; CHECK-NEXT:  br label %laf.str.end
; CHECK-NOT:   call
; CHECK:       ret i32 %r
define i32 @strn_first(i8* %s) {
  %r = call i32 @strncmp(i8* getelementptr inbounds ([4 x i8], [4 x i8]* @.magic, i64 0, i64 0), i8* %s, i64 2)
  ret i32 %r
}

; memcmp: all five bytes, the NUL in the middle too.
; CHECK-LABEL: define i32 @mem(
; CHECK:       sub i32 {{%.*}}, 65
; CHECK:       sub i32 {{%.*}}, 66
; CHECK:       sub i32 {{%.*}}, 0
; CHECK:       sub i32 {{%.*}}, 67
; CHECK:       getelementptr i8, {{i8\*|ptr}} %s, i64 4
; CHECK:       sub i32 {{%.*}}, 68
; CHECK-NEXT:  br label %laf.str.end
define i32 @mem(i8* %s) {
  %r = call i32 @memcmp(i8* %s, i8* getelementptr inbounds ([5 x i8], [5 x i8]* @.bytes, i64 0, i64 0), i64 5)
  ret i32 %r
}

; CHECK-LABEL: define i32 @case(
; CHECK:       [[V:%.*]] = call i32 @tolower(i32 {{%.*}})
; CHECK-NEXT:  [[C:%.*]] = call i32 @tolower(i32 72)
; CHECK-NEXT:  sub i32 [[V]], [[C]]
; CHECK:       call i32 @tolower(i32 105)
; CHECK:       call i32 @tolower(i32 0)
; CHECK-NOT:   @strcasecmp
; CHECK:       ret i32 %r
define i32 @case(i8* %s) {
  %r = call i32 @strcasecmp(i8* %s, i8* getelementptr inbounds ([3 x i8], [3 x i8]* @.hello, i64 0, i64 0))
  ret i32 %r
}

; A pointer into the middle of a constant: "b!".
; CHECK-LABEL: define i32 @offset(
; CHECK:       sub i32 {{%.*}}, 98
; CHECK:       sub i32 {{%.*}}, 33
; CHECK:       sub i32 {{%.*}}, 0
; CHECK-NEXT:  br label %laf.str.end
define i32 @offset(i8* %s) {
  %r = call i32 @strcmp(i8* %s, i8* getelementptr inbounds ([4 x i8], [4 x i8]* @.magic, i64 0, i64 1))
  ret i32 %r
}

; CHECK-LABEL: define i32 @kept(
; CHECK-NEXT:  %a = call i32 @strcmp(
; CHECK-NEXT:  %b = call i32 @memcmp(
; CHECK-NEXT:  %c = call i32 @memcmp(
; CHECK-NEXT:  %d = call i32 @strcmp(
; CHECK-NEXT:  %e = call i32 @bcmp(
; CHECK-NEXT:  %f = call i32 @strcmp(
define i32 @kept(i8* %s, i8* %t, i64 %n) {
  %a = call i32 @strcmp(i8* %s, i8* %t)
  %b = call i32 @memcmp(i8* %s, i8* getelementptr inbounds ([5 x i8], [5 x i8]* @.bytes, i64 0, i64 0), i64 %n)
  %c = call i32 @memcmp(i8* %s, i8* getelementptr inbounds ([5 x i8], [5 x i8]* @.bytes, i64 0, i64 0), i64 6)
  %d = call i32 @strcmp(i8* %s, i8* getelementptr inbounds ([70 x i8], [70 x i8]* @.long, i64 0, i64 0))
  %e = call i32 @bcmp(i8* %s, i8* getelementptr inbounds ([70 x i8], [70 x i8]* @.long, i64 0, i64 0), i64 65)
  %f = call i32 @strcmp(i8* %s, i8* getelementptr inbounds ([2 x i8], [2 x i8]* @.noterm, i64 0, i64 0))
  %x1 = add i32 %a, %b
  %x2 = add i32 %x1, %c
  %x3 = add i32 %x2, %d
  %x4 = add i32 %x3, %e
  %x5 = add i32 %x4, %f
  ret i32 %x5
}

; 64 bytes are still unrolled.
; CHECK-LABEL: define i32 @longest(
; CHECK-COUNT-64: load i8
; CHECK-NOT:   @bcmp
; CHECK:       ret i32 %r
define i32 @longest(i8* %s) {
  %r = call i32 @bcmp(i8* %s, i8* getelementptr inbounds ([70 x i8], [70 x i8]* @.long, i64 0, i64 0), i64 64)
  ret i32 %r
}
