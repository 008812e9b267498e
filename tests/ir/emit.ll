; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; The exact counter updates. A function's entry: load prev_loc (the
; caller's), xor cur_loc, zero-extend, load the map pointer, index it,
; NeverZero increment, store the counter; nothing is stored to prev_loc
; (only calls do). An edge out of a branching block: the same increment at
; a constant map index, prev_loc never read. Every inserted load and store
; is nosanitize. The runtime globals are external, not dso_local, and
; prev_loc is initial-exec TLS. The pass is required: -opt-bisect-limit
; (bisecting a miscompile) must not drop coverage.
; These tests pin the per-counter form (AFL_LLVM_NO_REGISTER_CACHE=1);
; register-cache.ll pins the default, the map pointer in a register.
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o - | %FileCheck %s
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage -opt-bisect-limit=0 \
; RUN:   -S %s -o - 2>/dev/null | %FileCheck %s

source_filename = "emit.c"

; CHECK-DAG: @__afl_area_ptr = external global {{ptr|i8\*}}{{$}}
; CHECK-DAG: @__afl_prev_loc = external thread_local(initialexec) global i32{{$}}

define i32 @one_block(i32 %x) {
; CHECK-LABEL: define i32 @one_block(
; CHECK-NEXT: entry:
; CHECK-NEXT: [[PREV:%[0-9]+]] = load i32, {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize [[NS:![0-9]+]]
; CHECK-NEXT: [[IDX:%[0-9]+]] = xor i32 [[PREV]], [[CUR:[0-9]+]]
; CHECK-NEXT: [[IDX64:%[0-9]+]] = zext i32 [[IDX]] to i64
; CHECK-NEXT: [[MAP:%[0-9]+]] = load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr, align 8, !nosanitize [[NS]]
; CHECK-NEXT: [[SLOT:%[0-9]+]] = getelementptr i8, {{ptr|i8\*}} [[MAP]], i64 [[IDX64]]
; CHECK-NEXT: [[OLD:%[0-9]+]] = load i8, {{ptr|i8\*}} [[SLOT]], align 1, !nosanitize [[NS]]
; CHECK-NEXT: [[SUM:%[0-9]+]] = call { i8, i1 } @llvm.uadd.with.overflow.i8(i8 [[OLD]], i8 1)
; CHECK-NEXT: [[OVF:%[0-9]+]] = extractvalue { i8, i1 } [[SUM]], 1
; CHECK-NEXT: [[CARRY:%[0-9]+]] = zext i1 [[OVF]] to i8
; CHECK-NEXT: [[INC:%[0-9]+]] = extractvalue { i8, i1 } [[SUM]], 0
; CHECK-NEXT: [[NEW:%[0-9]+]] = add i8 [[INC]], [[CARRY]]
; CHECK-NEXT: store i8 [[NEW]], {{ptr|i8\*}} [[SLOT]], align 1, !nosanitize [[NS]]
; CHECK-NEXT: %r = add i32 %x, 1
; CHECK-NEXT: ret i32 %r
entry:
  %r = add i32 %x, 1
  ret i32 %r
}

; The arm %yes has @branch's entry as its only predecessor: its counter
; sits at a constant index.
define i32 @branch(i1 %c) {
; CHECK-LABEL: define i32 @branch(
; CHECK:      yes:
; CHECK-NEXT: [[MAP:%[0-9]+]] = load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr, align 8, !nosanitize [[NS]]
; CHECK-NEXT: [[SLOT:%[0-9]+]] = getelementptr i8, {{ptr|i8\*}} [[MAP]], i64 {{[0-9]+$}}
; CHECK-NEXT: [[OLD:%[0-9]+]] = load i8, {{ptr|i8\*}} [[SLOT]], align 1, !nosanitize [[NS]]
; CHECK-NEXT: [[SUM:%[0-9]+]] = call { i8, i1 } @llvm.uadd.with.overflow.i8(i8 [[OLD]], i8 1)
; CHECK-NEXT: [[OVF:%[0-9]+]] = extractvalue { i8, i1 } [[SUM]], 1
; CHECK-NEXT: [[CARRY:%[0-9]+]] = zext i1 [[OVF]] to i8
; CHECK-NEXT: [[INC:%[0-9]+]] = extractvalue { i8, i1 } [[SUM]], 0
; CHECK-NEXT: [[NEW:%[0-9]+]] = add i8 [[INC]], [[CARRY]]
; CHECK-NEXT: store i8 [[NEW]], {{ptr|i8\*}} [[SLOT]], align 1, !nosanitize [[NS]]
; CHECK-NEXT: ret i32 1
; CHECK-NOT:  @__afl_prev_loc
; CHECK-LABEL: define internal void @lop.register(
entry:
  br i1 %c, label %yes, label %no
yes:
  ret i32 1
no:
  ret i32 0
}

; CHECK: [[NS]] = !{}
