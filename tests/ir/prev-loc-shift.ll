; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; prev_loc is set to cur_loc >> 1, so A->B and B->A are different edges and
; a block looping on itself does not always hit map[0]. The GOLDEN prefix
; pins the id function: the same source must give the same ids with every
; LLVM version and on every host (reproducible builds).
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o - \
; RUN:   | %FileCheck %s
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o - \
; RUN:   | %FileCheck %s --check-prefix=GOLDEN

source_filename = "ids.c"

define void @f() {
; CHECK-LABEL: define void @f(
; CHECK: xor i32 %{{[0-9]+}}, [[#%u,CUR_F:]]
; CHECK: store i32 [[#div(CUR_F,2)]], {{ptr|i32\*}} @__afl_prev_loc
; GOLDEN: xor i32 %{{[0-9]+}}, 62210{{$}}
  ret void
}

define void @g() {
; CHECK-LABEL: define void @g(
; CHECK: xor i32 %{{[0-9]+}}, [[#%u,CUR_G:]]
; CHECK: store i32 [[#div(CUR_G,2)]], {{ptr|i32\*}} @__afl_prev_loc
; GOLDEN: xor i32 %{{[0-9]+}}, 12461{{$}}
  ret void
}
