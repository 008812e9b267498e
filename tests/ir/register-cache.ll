; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; By default prev_loc and the map pointer live in registers within a
; function: one load of each global at entry, prev_loc written back before
; every call and return, both reloaded after every call, updates in between
; touching only their counter. After an invoke both destinations reload
; (the normal one on an edge of its own when it has other predecessors),
; and prev_loc is written back before resume. Functions with setjmp keep
; the per-block form. The IR stays valid.
; RUN: %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o %t.ll
; RUN: %FileCheck %s < %t.ll
; RUN: %opt -passes=verify -disable-output %t.ll
; Counts per function: loads of prev_loc / area_ptr and stores of prev_loc.
; RUN: awk '/^define/{match($0, /@[a-z_]+\(/); f=substr($0, RSTART+1, RLENGTH-2)} /load i32, (ptr|i32\*) @__afl_prev_loc/{pl[f]++} /@__afl_area_ptr, align/{ap[f]++} /store i32 .*@__afl_prev_loc/{ps[f]++} END{for(k in pl) print k, pl[k]+0, ap[k]+0, ps[k]+0}' %t.ll > %t.counts
; RUN: grep -qx 'loop 1 1 1' %t.counts
; RUN: grep -qx 'calls 2 2 2' %t.counts
; RUN: grep -qx 'has_invoke 3 3 3' %t.counts
; RUN: grep -qx 'has_setjmp 3 3 3' %t.counts
; Without caching every block loads both globals and stores prev_loc.
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o %t.plain.ll
; RUN: test "$(grep -c 'store i32 .*@__afl_prev_loc' %t.plain.ll)" -gt "$(grep -c 'store i32 .*@__afl_prev_loc' %t.ll)"

source_filename = "register-cache.c"

declare void @ext(i32)
declare i32 @setjmp(i8*) returns_twice
declare i32 @__gxx_personality_v0(...)

; Three instrumented blocks (entry, body, exit), no call: one load of each
; global, prev_loc stored once, before the return.
define i32 @loop(i32 %n) {
; CHECK-LABEL: define i32 @loop(
; CHECK: entry:
; CHECK-NEXT: load i32, {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT: load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr, align 8, !nosanitize
; CHECK: body:
; CHECK-NEXT: phi i32
; CHECK-NOT: @__afl_prev_loc
; CHECK: exit:
; CHECK: store i32 {{.*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT: ret i32
entry:
  br label %body
body:
  %i = phi i32 [ 0, %entry ], [ %next, %body ]
  %next = add i32 %i, 1
  %done = icmp sge i32 %next, %n
  br i1 %done, label %exit, label %body
exit:
  ret i32 %next
}

; A call: prev_loc written back before it, both values reloaded after it.
define void @calls(i32 %x) {
; CHECK-LABEL: define void @calls(
; CHECK: store i32 {{.*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT: call void @ext(
; CHECK-NEXT: load i32, {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT: load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr, align 8, !nosanitize
; CHECK: store i32 {{.*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT: ret void
entry:
  %c = icmp eq i32 %x, 0
  br i1 %c, label %yes, label %no
yes:
  call void @ext(i32 %x)
  br label %no
no:
  ret void
}

; Two calls in a row: what the first callee left in prev_loc is reloaded
; before it is written back for the second (never the other way round,
; which would overwrite the callee's value with the caller's).
; CHECK-LABEL: define void @two_calls(
; CHECK: call void @ext(i32 1)
; CHECK-NEXT: [[P:%[0-9]+]] = load i32, {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT: load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr, align 8, !nosanitize
; CHECK-NEXT: store i32 [[P]], {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT: call void @ext(i32 2)
define void @two_calls() {
entry:
  call void @ext(i32 1)
  call void @ext(i32 2)
  ret void
}

; invoke: written back before it, reloaded on the split normal edge (done
; also has entry as predecessor) and after the landingpad; written back
; before resume. 3 loads of each global, 3 stores of prev_loc.
; CHECK-LABEL: define void @has_invoke(
; CHECK: store i32 {{.*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT: invoke void @ext(
; CHECK-NEXT: to label %[[NORMAL:[a-z._]+]] unwind label %lpad
; CHECK: [[NORMAL]]:
; CHECK-NEXT: load i32, {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT: load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr, align 8, !nosanitize
; CHECK-NEXT: br label %done
; CHECK: lpad:
; CHECK-NEXT: landingpad
; CHECK-NEXT: cleanup
; CHECK-NEXT: load i32, {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT: load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr, align 8, !nosanitize
; CHECK: store i32 {{.*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT: resume
define void @has_invoke(i32 %x) personality i32 (...)* @__gxx_personality_v0 {
entry:
  %c = icmp eq i32 %x, 0
  br i1 %c, label %call, label %done
call:
  invoke void @ext(i32 %x) to label %done unwind label %lpad
lpad:
  %lp = landingpad { i8*, i32 } cleanup
  resume { i8*, i32 } %lp
done:
  ret void
}

; setjmp (returns_twice): the per-block form (3 instrumented blocks).
define i32 @has_setjmp(i8* %buf) {
entry:
  %r = call i32 @setjmp(i8* %buf)
  %z = icmp eq i32 %r, 0
  br i1 %z, label %first, label %again
first:
  ret i32 0
again:
  ret i32 1
}
