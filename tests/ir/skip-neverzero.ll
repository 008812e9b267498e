; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; AFL_LLVM_SKIP_NEVERZERO (set, non-empty, not "0") gives the plain wrapping
; counter: add 1, store, no overflow check. "0" and an empty value keep NeverZero.
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 AFL_LLVM_SKIP_NEVERZERO=1 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o - | %FileCheck %s --check-prefix=WRAP
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 AFL_LLVM_SKIP_NEVERZERO=0 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o - | %FileCheck %s --check-prefix=NZ
; RUN: AFL_LLVM_SKIP_NEVERZERO= %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o - | %FileCheck %s --check-prefix=NZ

source_filename = "skip-neverzero.c"

define void @f() {
; WRAP:      [[OLD:%[0-9]+]] = load i8, {{ptr|i8\*}} [[SLOT:%[0-9]+]], align 1, !nosanitize
; WRAP-NEXT: [[INC:%[0-9]+]] = add i8 [[OLD]], 1
; WRAP-NEXT: store i8 [[INC]], {{ptr|i8\*}} [[SLOT]], align 1, !nosanitize
; WRAP-NOT:  uadd.with.overflow
; NZ:      [[OLD:%[0-9]+]] = load i8, {{ptr|i8\*}} [[SLOT:%[0-9]+]], align 1, !nosanitize
; NZ-NEXT: [[SUM:%[0-9]+]] = call { i8, i1 } @llvm.uadd.with.overflow.i8(i8 [[OLD]], i8 1)
; NZ-NEXT: [[OVF:%[0-9]+]] = extractvalue { i8, i1 } [[SUM]], 1
; NZ-NEXT: [[CARRY:%[0-9]+]] = zext i1 [[OVF]] to i8
; NZ-NEXT: [[INC:%[0-9]+]] = extractvalue { i8, i1 } [[SUM]], 0
; NZ-NEXT: [[NEW:%[0-9]+]] = add i8 [[INC]], [[CARRY]]
; NZ-NEXT: store i8 [[NEW]], {{ptr|i8\*}} [[SLOT]], align 1, !nosanitize
  ret void
}
