; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; A function entered only by direct calls from its own module (internal,
; address never taken) needs no entry counter: its entry count is the count
; of the calling blocks, which are counted already, and every call site is
; told apart by its own block. So its entry reads no prev_loc (classic),
; its callers store none before calling it, and a straight-line one gets
; no counter at all, in both modes; its own calls still store its block
; for their callees. A function whose address is taken, or
; that other modules may call, keeps its entry counter (classic: reading
; the caller's prev_loc, set before each call).
; RUN: %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o %t.ll
; RUN: %FileCheck %s < %t.ll
; RUN: %opt -passes=verify -disable-output %t.ll
; RUN: test "$(grep -c 'load i32, .*@__afl_prev_loc' %t.ll)" -eq 2
; RUN: test "$(grep -c 'store i32 .*@__afl_prev_loc' %t.ll)" -eq 4
; RUN: AFL_LLVM_INSTRUMENT=compact %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o %t.compact.ll
; RUN: %FileCheck %s --check-prefix=COMPACT < %t.compact.ll

source_filename = "local-calls.c"

@fp = global void ()* @taken

declare void @ext()

; CHECK-LABEL: define internal void @helper(
; CHECK-NEXT:  entry:
; CHECK-NEXT:  load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr
; CHECK-NEXT:  br i1 %c
; CHECK:       {{^}}a:
; CHECK:       store i32 {{[0-9]+}}, {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  call void @ext()
; COMPACT-LABEL: define internal void @helper(
; COMPACT-NEXT:  entry:
; COMPACT-NEXT:  load
; COMPACT-NEXT:  br i1 %c
define internal void @helper(i1 %c) {
entry:
  br i1 %c, label %a, label %b
a:
  call void @ext()
  ret void
b:
  ret void
}

; CHECK-LABEL: define internal i32 @leaf(
; CHECK-NOT:   @__afl_
; CHECK:       ret i32
; COMPACT-LABEL: define internal i32 @leaf(
; COMPACT-NOT:   @__afl_
; COMPACT:       ret i32
define internal i32 @leaf(i32 %x) {
  %r = add i32 %x, 1
  ret i32 %r
}

; CHECK-LABEL: define internal void @relay(
; CHECK-NEXT:  store i32 {{[0-9]+}}, {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  call void @ext()
; CHECK-NEXT:  ret void
define internal void @relay() {
  call void @ext()
  ret void
}

; CHECK-LABEL: define internal void @taken(
; CHECK:       load i32, {{ptr|i32\*}} @__afl_prev_loc
; COMPACT-LABEL: define internal void @taken(
; COMPACT:       getelementptr i8
define internal void @taken() {
  ret void
}

; CHECK-LABEL: define i32 @caller(
; CHECK-NEXT:  entry:
; CHECK-NEXT:  load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr
; CHECK-NEXT:  load i32, {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NOT:   store i32 {{.*}} @__afl_prev_loc
; CHECK:       call void @helper(i1 %c)
; CHECK-NOT:   store i32 {{.*}} @__afl_prev_loc
; CHECK:       call i32 @leaf(i32 1)
; CHECK-NOT:   store i32 {{.*}} @__afl_prev_loc
; CHECK:       call void @relay()
; CHECK-NEXT:  load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr
; CHECK-NEXT:  store i32 {{[0-9]+}}, {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  call void @taken()
; CHECK:       store i32 {{[0-9]+}}, {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  call void @ext()
; COMPACT-LABEL: define i32 @caller(
; COMPACT:       getelementptr i8
define i32 @caller(i1 %c) {
entry:
  call void @helper(i1 %c)
  %v = call i32 @leaf(i32 1)
  call void @relay()
  call void @taken()
  call void @ext()
  ret i32 %v
}
