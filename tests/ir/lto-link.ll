; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; The plugin loaded into an LTO link (ld.lld --load-pass-plugin=) runs at
; the end of the full-LTO link pipeline on LLVM 15 and newer: a module that
; reached the link uninstrumented gets coverage there. LLVM 14 has no such
; extension point, so there the link pipeline leaves the module alone. A
; module instrumented before the link keeps one counter per block (its
; three: entry and both arms).
; RUN: %opt -load-pass-plugin %plugin -passes='lto<O2>' -S %s -o - \
; RUN:   | %FileCheck %s --check-prefix=$([ %llvm_major -ge 15 ] && echo LINK || echo NOLINK)
; RUN: %opt -load-pass-plugin %plugin -passes='afl-coverage,lto<O2>' -S %s -o - \
; RUN:   | %S/once-per-block.sh | grep -qx 3
; RUN: %opt -load-pass-plugin %plugin -passes='afl-coverage,lto<O2>' -S %s -o - \
; RUN:   | %FileCheck %s --check-prefix=LINK

source_filename = "lto-link.c"

declare void @g()
declare void @h()

; LINK: define {{.*}}i32 @f({{.*}} !lop.instrumented
; LINK: load i32, {{ptr|i32\*}} @__afl_prev_loc
; LINK: call { i8, i1 } @llvm.uadd.with.overflow.i8(
; NOLINK-NOT: @__afl_
define i32 @f(i1 %c) {
entry:
  br i1 %c, label %a, label %b
a:
  call void @g()
  ret i32 1
b:
  call void @h()
  ret i32 2
}
