; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; Every block that can be reached over a branch with a choice is
; instrumented, the entry block too, each with its own id;
; the update goes after PHIs and after a landingpad (the first insertion
; point), so it runs on every entry into the block and keeps the IR valid.
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o - \
; RUN:   | %FileCheck %s
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage,verify \
; RUN:   -disable-output %s

source_filename = "every-block.c"

declare i32 @__gxx_personality_v0(...)
declare void @may_throw()

define i32 @loop(i32 %n) {
; CHECK-LABEL: define i32 @loop(
; CHECK-NEXT:  entry:
; CHECK-NEXT:  load i32, {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  xor i32 %{{[0-9]+}}, [[#%u,ENTRY:]]
; CHECK:       store i32 [[#div(ENTRY,2)]], {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  br label %head
entry:
  br label %head

; CHECK:       head:
; CHECK-NEXT:  %i = phi i32 [ 0, %entry ], [ %i.next, %body ]
; CHECK-NEXT:  %acc = phi i32 [ 0, %entry ], [ %acc.next, %body ]
; CHECK-NEXT:  load i32, {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  xor i32 %{{[0-9]+}}, [[#%u,HEAD:]]
; CHECK:       store i32 [[#div(HEAD,2)]], {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  %done = icmp eq i32 %i, %n
head:
  %i = phi i32 [ 0, %entry ], [ %i.next, %body ]
  %acc = phi i32 [ 0, %entry ], [ %acc.next, %body ]
  %done = icmp eq i32 %i, %n
  br i1 %done, label %exit, label %body

; CHECK:       body:
; CHECK-NEXT:  load i32, {{ptr|i32\*}} @__afl_prev_loc
; CHECK:       store i32 {{[0-9]+}}, {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  %acc.next = add i32 %acc, %i
body:
  %acc.next = add i32 %acc, %i
  %i.next = add i32 %i, 1
  %again = icmp ult i32 %i.next, 100
  br i1 %again, label %head, label %exit

; CHECK:       exit:
; CHECK-NEXT:  load i32, {{ptr|i32\*}} @__afl_prev_loc
; CHECK:       store i32 {{[0-9]+}}, {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  ret i32 %acc
exit:
  ret i32 %acc
}

define i32 @eh() personality i8* bitcast (i32 (...)* @__gxx_personality_v0 to i8*) {
; CHECK-LABEL: define i32 @eh(
; CHECK-NEXT:  entry:
; CHECK-NEXT:  load i32, {{ptr|i32\*}} @__afl_prev_loc
; CHECK:       store i32 {{[0-9]+}}, {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  invoke void @may_throw()
entry:
  invoke void @may_throw() to label %ok unwind label %lpad

; CHECK:       ok:
; CHECK-NEXT:  load i32, {{ptr|i32\*}} @__afl_prev_loc
; CHECK:       store i32 {{[0-9]+}}, {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  ret i32 0
ok:
  ret i32 0

; CHECK:       lpad:
; CHECK-NEXT:  %lp = landingpad { {{ptr|i8\*}}, i32 }
; CHECK-NEXT:  cleanup
; CHECK-NEXT:  load i32, {{ptr|i32\*}} @__afl_prev_loc
; CHECK:       store i32 {{[0-9]+}}, {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  ret i32 1
lpad:
  %lp = landingpad { i8*, i32 } cleanup
  ret i32 1
}
