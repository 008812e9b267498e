; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; A function is instrumented once only: the pass listed twice, or run again
; over its own output (as LTO pre-link and link pipelines could), leaves a
; single counter per block: three in @f (entry and both arms).
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage,afl-coverage \
; RUN:   -S %s -o - | %FileCheck %s
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage %s -o - \
; RUN:   | AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage -S -o - \
; RUN:   | %FileCheck %s
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage,afl-coverage \
; RUN:   -S %s -o - | %S/once-per-block.sh | grep -qx 3

source_filename = "once.c"

; CHECK-LABEL: define i32 @f(
; CHECK-COUNT-3: call { i8, i1 } @llvm.uadd.with.overflow.i8(
; CHECK-NOT:     call { i8, i1 } @llvm.uadd.with.overflow.i8(
define i32 @f(i1 %c) {
entry:
  br i1 %c, label %a, label %b
a:
  ret i32 1
b:
  ret i32 2
}
