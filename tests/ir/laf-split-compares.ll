; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; afl-split-compares (AFL_LLVM_LAF_SPLIT_COMPARES): an integer compare wider
; than a byte becomes one block per byte, most significant first; each
; block goes on to the next byte only while the bytes are equal. NE, ULE,
; UGE are the negation of EQ, UGT, ULT; a signed compare flips the sign
; bits first; a width that is no multiple of 8 is widened (sign-extended
; for signed compares). Byte compares, pointer compares and vector
; compares stay as they are. AFL_LLVM_LAF_SPLIT_COMPARES_BITW=16 cuts into
; 16-bit pieces instead.
; RUN: %opt -load-pass-plugin %plugin -passes=afl-split-compares -S %s \
; RUN:   | %FileCheck %s
; RUN: AFL_LLVM_LAF_SPLIT_COMPARES_BITW=16 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-split-compares -S %s | %FileCheck %s --check-prefix=W16
; RUN: %opt -load-pass-plugin %plugin -passes=afl-split-compares -S %s \
; RUN:   | %opt -passes=verify -disable-output

source_filename = "laf-split-compares.c"

; CHECK-LABEL: define i1 @eq32(
; CHECK-NEXT:  [[S3:%.*]] = lshr i32 %a, 24
; CHECK-NEXT:  [[B3:%.*]] = trunc i32 [[S3]] to i8
; CHECK-NEXT:  [[C3:%.*]] = icmp eq i8 [[B3]], 94
; CHECK-NEXT:  br i1 [[C3]], label %[[L2:.*]], label %[[END:laf.cmp.end]]
; CHECK:       [[L2]]:
; CHECK:       icmp eq i8 {{.*}}, -19
; CHECK-NEXT:  br i1 {{.*}}, label %[[L1:.*]], label %[[END]]
; CHECK:       [[L1]]:
; CHECK:       icmp eq i8 {{.*}}, -16
; CHECK-NEXT:  br i1 {{.*}}, label %[[L0:.*]], label %[[END]]
; CHECK:       [[L0]]:
; CHECK-NEXT:  [[B0:%.*]] = trunc i32 %a to i8
; CHECK-NEXT:  [[C0:%.*]] = icmp eq i8 [[B0]], 13
; CHECK-NEXT:  br label %[[END]]
; CHECK:       [[END]]:
; CHECK-NEXT:  %c = phi i1 [ false, %0 ], [ false, %[[L2]] ], [ false, %[[L1]] ], [ [[C0]], %[[L0]] ]
; CHECK-NEXT:  ret i1 %c
; W16-LABEL:   define i1 @eq32(
; W16:         icmp eq i16 {{.*}}, 24301
; W16:         icmp eq i16 {{.*}}, -4083
; W16-NOT:     icmp
; W16:         ret i1
define i1 @eq32(i32 %a) {
  %c = icmp eq i32 %a, 1592651789 ; 0x5eedf00d
  ret i1 %c
}

; NE: the EQ chain, negated.
; CHECK-LABEL: define i1 @ne16(
; CHECK:       icmp eq i8
; CHECK:       icmp eq i8
; CHECK:       [[P:%.*]] = phi i1
; CHECK-NEXT:  %c = xor i1 [[P]], true
define i1 @ne16(i16 %a, i16 %b) {
  %c = icmp ne i16 %a, %b
  ret i1 %c
}

; SLE: sign bits flipped, then NOT (a >u b) byte by byte; a byte decides
; when it differs.
; CHECK-LABEL: define i1 @sle16(
; CHECK-NEXT:  [[A:%.*]] = xor i16 %a, -32768
; CHECK-NEXT:  [[B:%.*]] = xor i16 %b, -32768
; CHECK:       [[GT1:%.*]] = icmp ugt i8 [[A1:%.*]], [[B1:%.*]]
; CHECK-NEXT:  [[EQ1:%.*]] = icmp eq i8 [[A1]], [[B1]]
; CHECK-NEXT:  br i1 [[EQ1]], label %[[L0:.*]], label %[[END:laf.cmp.end]]
; CHECK:       [[L0]]:
; CHECK:       [[GT0:%.*]] = icmp ugt i8
; CHECK-NEXT:  br label %[[END]]
; CHECK:       [[END]]:
; CHECK-NEXT:  [[P:%.*]] = phi i1 [ [[GT1]], %0 ], [ [[GT0]], %[[L0]] ]
; CHECK-NEXT:  %c = xor i1 [[P]], true
define i1 @sle16(i16 %a, i16 %b) {
  %c = icmp sle i16 %a, %b
  ret i1 %c
}

; UGE: NOT (a <u b).
; CHECK-LABEL: define i1 @uge64(
; CHECK-COUNT-8: icmp ult i8
; CHECK:       %c = xor i1 {{.*}}, true
define i1 @uge64(i64 %a, i64 %b) {
  %c = icmp uge i64 %a, %b
  ret i1 %c
}

; A 12-bit signed compare: sign-extended to 16 bits, then split.
; CHECK-LABEL: define i1 @slt12(
; CHECK-NEXT:  [[W:%.*]] = sext i12 %a to i16
; CHECK-NEXT:  xor i16 [[W]], -32768
; CHECK:       icmp ult i8
; CHECK:       icmp ult i8
define i1 @slt12(i12 %a, i12 %b) {
  %c = icmp slt i12 %a, %b
  ret i1 %c
}

; The result may be used anywhere later, here by a select and a branch.
; CHECK-LABEL: define i32 @users(
; CHECK:       laf.cmp.end:
; CHECK-NEXT:  %c = phi i1
; CHECK-NEXT:  %s = select i1 %c, i32 1, i32 2
; CHECK-NEXT:  br i1 %c, label %yes, label %no
define i32 @users(i32 %a) {
  %c = icmp ugt i32 %a, 1000
  %s = select i1 %c, i32 1, i32 2
  br i1 %c, label %yes, label %no
yes:
  ret i32 %s
no:
  ret i32 0
}

; CHECK-LABEL: define i1 @narrow(
; CHECK-NEXT:  %c = icmp eq i8 %a, 7
; CHECK-NEXT:  ret i1 %c
define i1 @narrow(i8 %a) {
  %c = icmp eq i8 %a, 7
  ret i1 %c
}

; CHECK-LABEL: define i1 @pointers(
; CHECK-NEXT:  %c = icmp eq {{i8\*|ptr}} %a, %b
define i1 @pointers(i8* %a, i8* %b) {
  %c = icmp eq i8* %a, %b
  ret i1 %c
}

; CHECK-LABEL: define <2 x i1> @vector(
; CHECK-NEXT:  %c = icmp ult <2 x i32> %a, %b
define <2 x i1> @vector(<2 x i32> %a, <2 x i32> %b) {
  %c = icmp ult <2 x i32> %a, %b
  ret <2 x i1> %c
}

; Functions the coverage pass leaves alone are left alone here too.
; CHECK-LABEL: define i1 @not_covered(
; CHECK-NEXT:  %c = icmp eq i32 %a, 5
define i1 @not_covered(i32 %a) nosanitize_coverage {
  %c = icmp eq i32 %a, 5
  ret i1 %c
}
