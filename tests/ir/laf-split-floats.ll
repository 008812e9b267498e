; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; afl-split-floats (AFL_LLVM_LAF_SPLIT_FLOATS): a float or double compare
; becomes a NaN test (its result the predicate's answer for NaN: false for
; ordered predicates, true for unordered ones) and an integer compare of
; order-preserving keys, (bits ^ (bits >>s (w-1) | sign)) - (bits >>s
; (w-1)), which split-compares then cuts into bytes. The key of 1234.5 is
; 0xc0934a0000000000. ord, uno and vector compares stay as they are; with
; AFL_LLVM_LAF_ALL the key compare is split into bytes.
; RUN: %opt -load-pass-plugin %plugin -passes=afl-split-floats -S %s \
; RUN:   | %FileCheck %s
; RUN: %opt -load-pass-plugin %plugin -passes=afl-split-floats -S %s \
; RUN:   | %opt -passes=verify -disable-output
; RUN: %opt -load-pass-plugin %plugin -passes=afl-split-floats,afl-split-compares \
; RUN:   -S %s | %FileCheck %s --check-prefix=BYTES

source_filename = "laf-split-floats.c"

; CHECK-LABEL: define i1 @oeq(
; CHECK-NEXT:  [[NAN:%.*]] = fcmp uno double %a, 1.234500e+03
; CHECK-NEXT:  br i1 [[NAN]], label %[[END:laf.fcmp.end]], label %[[KEYS:laf.fcmp]]
; CHECK:       [[KEYS]]:
; CHECK-NEXT:  [[BITS:%.*]] = bitcast double %a to i64
; CHECK-NEXT:  [[NEG:%.*]] = ashr i64 [[BITS]], 63
; CHECK-NEXT:  [[FLIP:%.*]] = or i64 [[NEG]], -9223372036854775808
; CHECK-NEXT:  [[X:%.*]] = xor i64 [[BITS]], [[FLIP]]
; CHECK-NEXT:  [[KEY:%.*]] = sub i64 [[X]], [[NEG]]
; CHECK-NEXT:  [[EQ:%.*]] = icmp eq i64 [[KEY]], -4570227832990466048
; CHECK-NEXT:  br label %[[END]]
; CHECK:       [[END]]:
; CHECK-NEXT:  %c = phi i1 [ false, %0 ], [ [[EQ]], %[[KEYS]] ]
; BYTES-LABEL: define i1 @oeq(
; BYTES:       fcmp uno double
; BYTES:       icmp eq i8 {{.*}}, -64
; BYTES:       icmp eq i8 {{.*}}, -109
; BYTES:       icmp eq i8 {{.*}}, 74
; BYTES:       ret i1 %c
define i1 @oeq(double %a) {
  %c = fcmp oeq double %a, 1.234500e+03
  ret i1 %c
}

; CHECK-LABEL: define i1 @ult(
; CHECK:       bitcast float %a to i32
; CHECK:       bitcast float %b to i32
; CHECK:       [[LT:%.*]] = icmp ult i32
; CHECK:       %c = phi i1 [ true, %0 ], [ [[LT]], %laf.fcmp ]
define i1 @ult(float %a, float %b) {
  %c = fcmp ult float %a, %b
  ret i1 %c
}

; Each predicate's integer form and NaN answer.
; CHECK-LABEL: define void @all(
; CHECK:       icmp ne i32
; CHECK:       %one = phi i1 [ false,
; CHECK:       icmp ne i32
; CHECK:       %une = phi i1 [ true,
; CHECK:       icmp eq i32
; CHECK:       %ueq = phi i1 [ true,
; CHECK:       icmp ugt i32
; CHECK:       %ogt = phi i1 [ false,
; CHECK:       icmp uge i32
; CHECK:       %uge = phi i1 [ true,
; CHECK:       icmp ule i32
; CHECK:       %ole = phi i1 [ false,
; CHECK:       %ord = fcmp ord float %a, %b
; CHECK-NEXT:  %uno = fcmp uno float %a, %b
; CHECK-NEXT:  %vec = fcmp olt <2 x float> %v, %w
define void @all(float %a, float %b, <2 x float> %v, <2 x float> %w) {
  %one = fcmp one float %a, %b
  %une = fcmp une float %a, %b
  %ueq = fcmp ueq float %a, %b
  %ogt = fcmp ogt float %a, %b
  %uge = fcmp uge float %a, %b
  %ole = fcmp ole float %a, %b
  %ord = fcmp ord float %a, %b
  %uno = fcmp uno float %a, %b
  %vec = fcmp olt <2 x float> %v, %w
  ret void
}
