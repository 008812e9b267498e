// lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
// clang -fpass-plugin= instruments at every -O level, -O0 included, and in
// the LTO pre-link pipelines (full and thin) exactly once; a bad setting is
// a normal compiler error (exit 1, no crash report), not a backend crash.
// RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %clang -O0 -fpass-plugin=%plugin -S -emit-llvm %s -o - | %FileCheck %s
// RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %clang -O1 -fpass-plugin=%plugin -S -emit-llvm %s -o - | %FileCheck %s
// RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %clang -O2 -fpass-plugin=%plugin -S -emit-llvm %s -o - | %FileCheck %s
// RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %clang -O3 -fpass-plugin=%plugin -S -emit-llvm %s -o - | %FileCheck %s
// RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %clang -Os -fpass-plugin=%plugin -S -emit-llvm %s -o - | %FileCheck %s
// RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %clang -Oz -fpass-plugin=%plugin -S -emit-llvm %s -o - | %FileCheck %s
// RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %clang -O2 -flto -fpass-plugin=%plugin -S -emit-llvm %s -o %t.full.ll
// RUN: %FileCheck %s < %t.full.ll
// RUN: test "$(%S/once-per-block.sh %t.full.ll)" -gt 0
// RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %clang -O2 -flto=thin -fpass-plugin=%plugin -S -emit-llvm %s -o %t.thin.ll
// RUN: %FileCheck %s < %t.thin.ll
// RUN: test "$(%S/once-per-block.sh %t.thin.ll)" -gt 0
// RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %clang -O0 -flto=thin -fpass-plugin=%plugin -S -emit-llvm %s -o - \
// RUN:   | %FileCheck %s
// RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %clang -O2 -fpass-plugin=%plugin -c %s -o %t.o
// RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %clang -O2 -fpass-plugin=%plugin -c %s -o %t.again.o
// RUN: cmp %t.o %t.again.o
// RUN: AFL_SEED=nope %not %clang -O2 -fpass-plugin=%plugin -c %s -o %t.bad.o \
// RUN:   2>&1 | %FileCheck %s --check-prefix=BAD
// RUN: AFL_LLVM_NO_REGISTER_CACHE=1 AFL_SEED=nope %clang -O2 -fpass-plugin=%plugin -c %s -o %t.bad.o \
// RUN:   2>/dev/null; test $? -eq 1

// CHECK-DAG: @__afl_area_ptr = external global
// CHECK-DAG: @__afl_prev_loc = external thread_local(initialexec) global i32
// CHECK-LABEL: define {{.*}}i32 @pick(
// CHECK: load i32, {{ptr|i32\*}} @__afl_prev_loc{{.*}}!nosanitize
// CHECK: getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 %
// CHECK-NEXT: load i8, {{.*}}!nosanitize
// CHECK-NEXT: call { i8, i1 } @llvm.uadd.with.overflow.i8(
// BAD: error: afl-llvm-pass: AFL_SEED=nope is not a number; unset it or use a decimal or 0x hex integer
// BAD-NOT: PLEASE

int pick(int a, int b) {
  if (a > b)
    return a - b;
  return b - a;
}
