; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; Runtime and sanitizer functions (name prefixes __afl_, __sanitizer_,
; __asan, __msan, __ubsan, __lsan, the sanitizers' module constructors),
; naked functions, no_sanitize("coverage") functions and declarations are
; left alone: no counter, and no prev_loc store before their calls; an
; ordinary function next to them is instrumented.
; RUN: %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o - \
; RUN:   | %FileCheck %s

source_filename = "skip-list.c"

declare void @external_decl()

; CHECK-LABEL: define void @__afl_x()
; CHECK-NOT:   @__afl_{{area_ptr|prev_loc}}
; CHECK:       ret void
define void @__afl_x() {
  call void @external_decl()
  ret void
}

; CHECK-LABEL: define void @__sanitizer_cov_trace_pc()
; CHECK-NOT:   @__afl_{{area_ptr|prev_loc}}
; CHECK:       ret void
define void @__sanitizer_cov_trace_pc() {
  ret void
}

; CHECK-LABEL: define void @__asan_report()
; CHECK-NOT:   @__afl_{{area_ptr|prev_loc}}
; CHECK:       ret void
define void @__asan_report() {
  ret void
}

; CHECK-LABEL: define void @__msan_warning()
; CHECK-NOT:   @__afl_{{area_ptr|prev_loc}}
; CHECK:       ret void
define void @__msan_warning() {
  ret void
}

; CHECK-LABEL: define void @__ubsan_handle_overflow()
; CHECK-NOT:   @__afl_{{area_ptr|prev_loc}}
; CHECK:       ret void
define void @__ubsan_handle_overflow() {
  ret void
}

; CHECK-LABEL: define void @__lsan_ignore()
; CHECK-NOT:   @__afl_{{area_ptr|prev_loc}}
; CHECK:       ret void
define void @__lsan_ignore() {
  ret void
}

; CHECK-LABEL: define internal void @asan.module_ctor()
; CHECK-NOT:   @__afl_{{area_ptr|prev_loc}}
; CHECK:       ret void
define internal void @asan.module_ctor() {
  ret void
}

; CHECK-LABEL: define internal void @sancov.module_ctor()
; CHECK-NOT:   @__afl_{{area_ptr|prev_loc}}
; CHECK:       ret void
define internal void @sancov.module_ctor() {
  ret void
}

; CHECK-LABEL: define void @naked_fn()
; CHECK-NOT:   @__afl_{{area_ptr|prev_loc}}
; CHECK:       unreachable
define void @naked_fn() naked {
  call void asm sideeffect "ret", ""()
  unreachable
}

; CHECK-LABEL: define void @no_coverage()
; CHECK-NOT:   @__afl_{{area_ptr|prev_loc}}
; CHECK:       ret void
define void @no_coverage() nosanitize_coverage {
  ret void
}

; CHECK-LABEL: define void @user_code()
; CHECK-NEXT:  load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr
; CHECK-NEXT:  load i32, {{ptr|i32\*}} @__afl_prev_loc
; CHECK:       ret void
define void @user_code() {
  ret void
}

; CHECK-LABEL: define void @afl_lookalike()
; CHECK-NEXT:  load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr
; CHECK-NEXT:  load i32, {{ptr|i32\*}} @__afl_prev_loc
define void @afl_lookalike() {
  ret void
}
