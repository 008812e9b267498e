; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; afl-split-switches (AFL_LLVM_LAF_SPLIT_SWITCHES): a switch wider than a
; byte becomes a tree of byte compares, most significant byte first: a
; binary search (ult) where cases differ in a byte, an equality test where
; they share it, the default wherever a byte matches no case. PHIs of the
; destinations get one entry per new edge (also two from one block), and
; one-byte switches stay switches.
; RUN: %opt -load-pass-plugin %plugin -passes=afl-split-switches -S %s \
; RUN:   | %FileCheck %s
; RUN: %opt -load-pass-plugin %plugin -passes=afl-split-switches -S %s \
; RUN:   | %opt -passes=verify -disable-output

source_filename = "laf-split-switches.c"

; Cases 0x11223344 and 0x11223355 share three bytes, 7 shares none:
; the top byte splits at 0x11 (17), the shared bytes are equality tests,
; the last byte splits 0x44 (68) from 0x55 (85).
; CHECK-LABEL: define i32 @sw(
; CHECK:       entry:
; CHECK-DAG:   [[B0:%.*]] = trunc i32 %x to i8
; CHECK-DAG:   [[S1:%.*]] = lshr i32 %x, 8
; CHECK-DAG:   [[B1:%.*]] = trunc i32 [[S1]] to i8
; CHECK-DAG:   [[S2:%.*]] = lshr i32 %x, 16
; CHECK-DAG:   [[B2:%.*]] = trunc i32 [[S2]] to i8
; CHECK-DAG:   [[S3:%.*]] = lshr i32 %x, 24
; CHECK-DAG:   [[B3:%.*]] = trunc i32 [[S3]] to i8
; CHECK:       br label %[[ROOT:laf.switch]]
; CHECK-NOT:   switch i32
; CHECK:       [[ROOT]]:
; CHECK-NEXT:  [[LT:%.*]] = icmp ult i8 [[B3]], 17
; CHECK-NEXT:  br i1 [[LT]], label %[[LOW:.*]], label %[[HIGH:.*]]
; CHECK:       [[LOW]]:
; CHECK-NEXT:  icmp eq i8 [[B3]], 0
; CHECK-NEXT:  br i1 {{.*}}, label %{{.*}}, label %def
; CHECK:       icmp eq i8 [[B2]], 0
; CHECK:       icmp eq i8 [[B1]], 0
; CHECK:       icmp eq i8 [[B0]], 7
; CHECK-NEXT:  br i1 {{.*}}, label %a, label %def
; CHECK:       [[HIGH]]:
; CHECK-NEXT:  icmp eq i8 [[B3]], 17
; CHECK-NEXT:  br i1 {{.*}}, label %{{.*}}, label %def
; CHECK:       icmp eq i8 [[B2]], 34
; CHECK-NEXT:  br i1 {{.*}}, label %{{.*}}, label %def
; CHECK:       icmp eq i8 [[B1]], 51
; CHECK-NEXT:  br i1 {{.*}}, label %{{.*}}, label %def
; CHECK:       icmp ult i8 [[B0]], 85
; CHECK:       icmp eq i8 [[B0]], 68
; CHECK-NEXT:  br i1 {{.*}}, label %a, label %def
; CHECK:       icmp eq i8 [[B0]], 85
; CHECK-NEXT:  br i1 {{.*}}, label %b, label %def
; CHECK:       out:
; CHECK-NEXT:  %r = phi i32 [ 1, %a ], [ 2, %b ], [ 0, %def ]
define i32 @sw(i32 %x) {
entry:
  switch i32 %x, label %def [
    i32 287454020, label %a ; 0x11223344
    i32 287454037, label %b ; 0x11223355
    i32 7, label %a
  ]
a:
  br label %out
b:
  br label %out
def:
  br label %out
out:
  %r = phi i32 [ 1, %a ], [ 2, %b ], [ 0, %def ]
  ret i32 %r
}

; The default and a case share %out: every new edge into it, both edges of
; a block that branches there either way included, brings the value %out
; had from the switch's block.
; CHECK-LABEL: define i32 @phis(
; CHECK:       icmp eq i8 {{.*}}, 52
; CHECK-NEXT:  br i1 {{.*}}, label %out, label %out
; CHECK:       out:
; CHECK-NEXT:  %r = phi i32 [ 9, %other ]
; CHECK-SAME:  [ 5, %[[BOTH:laf.switch[0-9]+]] ], [ 5, %[[BOTH]] ]
; CHECK-NOT:   %entry
; CHECK:       ret i32 %r
define i32 @phis(i16 %x) {
entry:
  switch i16 %x, label %out [
    i16 4660, label %out ; 0x1234
    i16 -1, label %other
  ]
other:
  br label %out
out:
  %r = phi i32 [ 5, %entry ], [ 5, %entry ], [ 9, %other ]
  ret i32 %r
}

; CHECK-LABEL: define i32 @byte(
; CHECK-NEXT:  entry:
; CHECK-NEXT:  switch i8 %x, label %out [
define i32 @byte(i8 %x) {
entry:
  switch i8 %x, label %out [
    i8 1, label %one
  ]
one:
  br label %out
out:
  %r = phi i32 [ 0, %entry ], [ 1, %one ]
  ret i32 %r
}
