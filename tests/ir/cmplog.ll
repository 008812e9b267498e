; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; CmpLog (AFL_LLVM_CMPLOG=1): every integer compare of 1 to 16 bytes gets a
; hook call before it, behind a nosanitize load of @__afl_cmp_map and a
; null test weighted unlikely; operands are zero-extended to the hook's
; width (1, 2, 4, 8 bytes) or, for any other width, split into 64-bit
; halves for the n-byte hook with the width in bytes. The attribute is the
; predicate (1 ==, 0 !=, 2 >, 3 >=, 4 <, 5 <=; signedness dropped).
; Booleans, pointers and compares of two constants are not logged, and
; without the variable the pass adds nothing.
; RUN: AFL_LLVM_CMPLOG=1 %opt -load-pass-plugin %plugin -passes=afl-cmplog -S %s -o - | %FileCheck %s
; RUN: %opt -load-pass-plugin %plugin -passes=afl-cmplog -S %s -o - | %FileCheck %s --check-prefix=OFF
; RUN: AFL_LLVM_CMPLOG=0 %opt -load-pass-plugin %plugin -passes=afl-cmplog -S %s -o - | %FileCheck %s --check-prefix=OFF

source_filename = "cmplog.c"

; OFF-NOT: __afl_cmplog
; OFF-NOT: __afl_cmp_map
; CHECK-DAG: @__afl_cmp_map = external global {{ptr|i8\*}}{{$}}

define i1 @eq32(i32 %x) {
; CHECK-LABEL: define i1 @eq32(
; CHECK-NEXT: [[MAP:%[0-9]+]] = load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_cmp_map, align 8, !nosanitize
; CHECK-NEXT: [[ON:%[0-9]+]] = icmp ne {{ptr|i8\*}} [[MAP]], null
; CHECK-NEXT: br i1 [[ON]], label %[[LOG:[0-9]+]], label %[[CONT:[0-9]+]], !prof [[UNLIKELY:![0-9]+]]
; CHECK: [[LOG]]:
; CHECK-NEXT: call void @__afl_cmplog_ins_hook4(i32 %x, i32 1592651789, i8 1)
; CHECK-NEXT: br label %[[CONT]]
; CHECK: [[CONT]]:
; CHECK-NEXT: %c = icmp eq i32 %x, 1592651789
  %c = icmp eq i32 %x, 1592651789
  ret i1 %c
}

define i1 @kinds(i8 %b, i16 %h, i64 %q, i24 %t, i128 %w, i1 %flag, i8* %p) {
; CHECK-LABEL: define i1 @kinds(
; CHECK: call void @__afl_cmplog_ins_hook1(i8 %b, i8 65, i8 0)
; CHECK: icmp ne i8 %b, 65
; CHECK: call void @__afl_cmplog_ins_hook2(i16 %h, i16 4660, i8 4)
; CHECK: icmp ult i16 %h, 4660
; CHECK: call void @__afl_cmplog_ins_hook8(i64 %q, i64 -2, i8 3)
; CHECK: icmp sge i64 %q, -2
; CHECK: [[T:%[0-9]+]] = zext i24 %t to i64
; CHECK: call void @__afl_cmplog_ins_hookn(i64 [[T]], i64 0, i64 11259375, i64 0, i8 2, i8 3)
; CHECK: icmp ugt i24 %t, -5517841
; CHECK: [[LO:%[0-9]+]] = trunc i128 %w to i64
; CHECK: [[SH:%[0-9]+]] = lshr i128 %w, 64
; CHECK: [[HI:%[0-9]+]] = trunc i128 [[SH]] to i64
; CHECK: call void @__afl_cmplog_ins_hookn(i64 [[LO]], i64 [[HI]], i64 1, i64 1, i8 5, i8 16)
; CHECK: icmp sle i128 %w, 18446744073709551617
; CHECK-NOT: call void @__afl_cmplog
; CHECK: icmp eq i1 %flag, true
; CHECK-NOT: call void @__afl_cmplog
; CHECK: icmp eq {{ptr|i8\*}} %p, null
; CHECK-NOT: call void @__afl_cmplog
; CHECK: ret i1
  %c1 = icmp ne i8 %b, 65
  %c2 = icmp ult i16 %h, 4660
  %c3 = icmp sge i64 %q, -2
  %c4 = icmp ugt i24 %t, 11259375
  %c5 = icmp sle i128 %w, 18446744073709551617
  %c6 = icmp eq i1 %flag, true
  %c7 = icmp eq i8* %p, null
  %a1 = and i1 %c1, %c2
  %a2 = and i1 %a1, %c3
  %a3 = and i1 %a2, %c4
  %a4 = and i1 %a3, %c5
  %a5 = and i1 %a4, %c6
  %a6 = and i1 %a5, %c7
  ret i1 %a6
}

; A switch: one guard, then one hook call per case (equality), each its
; own call site and so its own map slot.
define i32 @sw(i16 %v) {
; CHECK-LABEL: define i32 @sw(
; CHECK: load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_cmp_map
; CHECK: br i1
; CHECK: call void @__afl_cmplog_ins_hook2(i16 %v, i16 10, i8 1)
; CHECK-NEXT: call void @__afl_cmplog_ins_hook2(i16 %v, i16 20, i8 1)
; CHECK-NEXT: call void @__afl_cmplog_ins_hook2(i16 %v, i16 -1, i8 1)
; CHECK-NEXT: br label
; CHECK: switch i16 %v
  switch i16 %v, label %d [ i16 10, label %a
                            i16 20, label %b
                            i16 65535, label %a ]
a:
  ret i32 1
b:
  ret i32 2
d:
  ret i32 0
}

; Runtime code is never instrumented; a function is done once.
define i1 @__afl_runtime_thing(i32 %x) {
; CHECK-LABEL: define i1 @__afl_runtime_thing(
; CHECK-NOT: call void @__afl_cmplog
; CHECK: ret i1
  %c = icmp eq i32 %x, 7
  ret i1 %c
}

; CHECK: [[UNLIKELY]] = !{!"branch_weights", i32 1, i32 1000}
