// lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
// A harness that declares __afl_persistent_loop itself, without a
// prototype, calls it through a cast of the function (LLVM 14) or with
// another function type (opaque pointers). LLVM finds the callee's
// noduplicate through either, so -O2 keeps one call, also in the LTO
// pre-link pipeline. Without the plugin -O2 copies it in front of the
// rotated loop.
// RUN: %clang -O2 -w -S -emit-llvm %s -o %t.plain.ll
// RUN: test "$(grep -c 'call .*@__afl_persistent_loop' %t.plain.ll)" -ge 2
// RUN: %clang -O2 -w -fpass-plugin=%plugin -S -emit-llvm %s -o %t.ll
// RUN: test "$(grep -c 'call .*@__afl_persistent_loop' %t.ll)" -eq 1
// RUN: %FileCheck %s < %t.ll
// RUN: %clang -O2 -flto -w -fpass-plugin=%plugin -S -emit-llvm %s -o %t.lto.ll
// RUN: test "$(grep -c 'call .*@__afl_persistent_loop' %t.lto.ll)" -eq 1

// CHECK: declare {{.*}}i32 @__afl_persistent_loop(...) {{.*}}#[[ATTR:[0-9]+]]
// CHECK: attributes #[[ATTR]] = { {{.*}}noduplicate

int __afl_persistent_loop();
int input(void);
void use(int);

int main(void) {
  while (__afl_persistent_loop(1000))
    if (input() == 97)
      use(1);
  return 0;
}
