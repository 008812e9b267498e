; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; The plugin loaded into an LTO link (ld.lld --load-pass-plugin=) runs at
; the end of the full-LTO link pipeline on LLVM 15 and newer: a module that
; reached the link uninstrumented gets coverage there. LLVM 14 has no such
; extension point, so there the link pipeline leaves the module alone. A
; module instrumented before the link keeps one update per block.
; RUN: %opt -load-pass-plugin %plugin -passes='lto<O2>' -S %s -o - \
; RUN:   | %FileCheck %s --check-prefix=$([ %llvm_major -ge 15 ] && echo LINK || echo NOLINK)
; RUN: %opt -load-pass-plugin %plugin -passes='afl-coverage,lto<O2>' -S %s -o - \
; RUN:   | %S/once-per-block.sh
; RUN: %opt -load-pass-plugin %plugin -passes='afl-coverage,lto<O2>' -S %s -o - \
; RUN:   | %FileCheck %s --check-prefix=LINK

source_filename = "lto-link.c"

declare void @g()
declare void @h()

; LINK: define {{.*}}i32 @f({{.*}} !lop.instrumented
; LINK: store i32 {{[0-9]+}}, {{ptr|i32\*}} @__afl_prev_loc
; NOLINK-NOT: @__afl_prev_loc
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
