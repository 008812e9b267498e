; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; By default the map pointer lives in a register within a function: one
; load of __afl_area_ptr at entry, reloaded after every call and invoke
; (a callee may have switched maps, as a persistent loop does), never
; written back; counters in between touch only their byte. After an invoke
; both destinations reload: the normal one (on an edge of its own when it
; has other predecessors, as every critical edge is split) and the landing
; pad. prev_loc is not cached:
; only the entry reads it, once, and only calls store it (never reloaded).
; Functions with setjmp keep the uncached form, every counter loading the
; map pointer. The IR stays valid.
; RUN: %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o %t.ll
; RUN: %FileCheck %s < %t.ll
; RUN: %opt -passes=verify -disable-output %t.ll
; Counts per function: loads of prev_loc / area_ptr and stores of prev_loc.
; RUN: awk '/^define/{match($0, /@[a-z_]+\(/); f=substr($0, RSTART+1, RLENGTH-2)} /load i32, (ptr|i32\*) @__afl_prev_loc/{pl[f]++} /@__afl_area_ptr, align/{ap[f]++} /store i32 .*@__afl_prev_loc/{ps[f]++} END{for(k in pl) print k, pl[k]+0, ap[k]+0, ps[k]+0}' %t.ll > %t.counts
; RUN: grep -qx 'loop 1 1 0' %t.counts
; RUN: grep -qx 'calls 1 2 1' %t.counts
; RUN: grep -qx 'two_calls 1 3 2' %t.counts
; RUN: grep -qx 'has_invoke 1 3 1' %t.counts
; RUN: grep -qx 'has_setjmp 1 3 1' %t.counts
; Without caching every counter loads the map pointer; prev_loc is
; untouched by the setting.
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o %t.plain.ll
; RUN: test "$(grep -c '@__afl_area_ptr, align' %t.plain.ll)" -eq "$(grep -c 'call { i8, i1 } @llvm.uadd' %t.plain.ll)"
; RUN: test "$(grep -c '@__afl_area_ptr, align' %t.plain.ll)" -gt "$(grep -c '@__afl_area_ptr, align' %t.ll)"
; RUN: test "$(grep -c '@__afl_prev_loc, align' %t.plain.ll)" -eq "$(grep -c '@__afl_prev_loc, align' %t.ll)"

source_filename = "register-cache.c"

declare void @ext(i32)
declare i32 @setjmp(i8*) returns_twice
declare i32 @__gxx_personality_v0(...)

; Three counters (entry, the split back edge, exit), no call: the map
; pointer loaded once, prev_loc read once and never stored.
define i32 @loop(i32 %n) {
; CHECK-LABEL: define i32 @loop(
; CHECK: entry:
; CHECK-NEXT: [[MAP:%[0-9]+]] = load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr, align 8, !nosanitize
; CHECK-NEXT: load i32, {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK: getelementptr i8, {{ptr|i8\*}} [[MAP]], i64 %
; CHECK-NOT: @__afl_
; CHECK: body.body_crit_edge:
; CHECK-NEXT: getelementptr i8, {{ptr|i8\*}} [[MAP]], i64 {{[0-9]+$}}
; CHECK-NOT: @__afl_
; CHECK: exit:
; CHECK-NEXT: getelementptr i8, {{ptr|i8\*}} [[MAP]], i64 {{[0-9]+$}}
; CHECK-NOT: @__afl_
; CHECK: ret i32
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

; A call: prev_loc stored before it, the map pointer reloaded after it;
; nothing stored before the return.
define void @calls(i32 %x) {
; CHECK-LABEL: define void @calls(
; CHECK: store i32 {{[0-9]+}}, {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT: call void @ext(
; CHECK-NEXT: load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr, align 8, !nosanitize
; CHECK-NOT: @__afl_
; CHECK: ret void
entry:
  %c = icmp eq i32 %x, 0
  br i1 %c, label %yes, label %no
yes:
  call void @ext(i32 %x)
  br label %no
no:
  ret void
}

; Two calls in a row: each gets the caller's block in prev_loc (not what
; the first callee left there), and the map pointer is reloaded after each.
; CHECK-LABEL: define void @two_calls(
; CHECK: store i32 [[PREV:[0-9]+]], {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT: call void @ext(i32 1)
; CHECK-NEXT: load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr, align 8, !nosanitize
; CHECK-NEXT: store i32 [[PREV]], {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT: call void @ext(i32 2)
; CHECK-NEXT: load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr, align 8, !nosanitize
; CHECK-NEXT: ret void
define void @two_calls() {
entry:
  call void @ext(i32 1)
  call void @ext(i32 2)
  ret void
}

; invoke: prev_loc stored before it; the map pointer reloaded on the split
; critical normal edge (done also has entry as predecessor), whose counter uses the
; reloaded pointer, and after the landingpad; nothing before resume. 3
; loads of area_ptr, 1 store of prev_loc.
; CHECK-LABEL: define void @has_invoke(
; CHECK: store i32 {{[0-9]+}}, {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT: invoke void @ext(
; CHECK-NEXT: to label %[[NORMAL:[a-z._]+]] unwind label %lpad
; CHECK: [[NORMAL]]:
; CHECK-NEXT: [[MAP:%[0-9]+]] = load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr, align 8, !nosanitize
; CHECK-NEXT: getelementptr i8, {{ptr|i8\*}} [[MAP]], i64 {{[0-9]+$}}
; CHECK: lpad:
; CHECK-NEXT: landingpad
; CHECK-NEXT: cleanup
; CHECK-NEXT: [[PAD:%[0-9]+]] = load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr, align 8, !nosanitize
; CHECK-NEXT: getelementptr i8, {{ptr|i8\*}} [[PAD]], i64 {{[0-9]+$}}
; CHECK-NOT: @__afl_
; CHECK: resume
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

; setjmp (returns_twice): the uncached form, each of the 3 counters loads
; the map pointer.
; CHECK-LABEL: define i32 @has_setjmp(
; CHECK: first:
; CHECK-NEXT: load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr, align 8, !nosanitize
; CHECK: again:
; CHECK-NEXT: load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr, align 8, !nosanitize
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
