; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; The persistent loop's call is marked noduplicate before the optimiser
; runs (PipelineStart), so a `while (__AFL_LOOP(n))` loop keeps exactly one
; call, which every iteration passes: not copied in front of the loop by
; loop rotation, nor into copies of the body by unrolling. Without the
; plugin the same -O2 pipeline leaves two calls in @plain and more in
; @unrolled (the first RUN line checks that the input shows the problem).
; RUN: %opt -passes='default<O2>' -S %s -o %t.plain.ll 2>/dev/null
; RUN: test "$(grep -c 'call i32 @__afl_persistent_loop' %t.plain.ll)" -ge 4
; RUN: %opt -load-pass-plugin %plugin -passes=afl-persistent-loop -S %s -o - \
; RUN:   | %FileCheck %s --check-prefix=MARK
; RUN: %opt -load-pass-plugin %plugin -passes='default<O2>' -S %s -o %t.ll 2>/dev/null
; RUN: %FileCheck %s --check-prefix=O2 < %t.ll
; A module that never calls the loop is left as it is.
; RUN: echo 'define void @f() { ret void }' \
; RUN:   | %opt -load-pass-plugin %plugin -passes=afl-persistent-loop -S -o - \
; RUN:   | %FileCheck %s --check-prefix=NONE

source_filename = "persistent-loop.c"

declare i32 @__afl_persistent_loop(i32)
declare i32 @input()
declare void @use(i32)

; MARK: declare i32 @__afl_persistent_loop(i32) #[[ATTR:[0-9]+]]
; MARK: attributes #[[ATTR]] = { noduplicate }
; NONE-NOT: noduplicate

; O2:       declare i32 @__afl_persistent_loop(i32) {{.*}}#[[ATTR:[0-9]+]]
; O2-LABEL: define {{.*}}i32 @plain(
; O2:       call i32 @__afl_persistent_loop(i32 1000)
; O2-NOT:   call i32 @__afl_persistent_loop(
; O2-LABEL: define {{.*}}i32 @unrolled(
; O2:       call i32 @__afl_persistent_loop(i32 1000)
; O2-NOT:   call i32 @__afl_persistent_loop(
; O2:       attributes #[[ATTR]] = { {{.*}}noduplicate

; while (__AFL_LOOP(1000)) if (input() == 97) use(1);
define i32 @plain() {
entry:
  br label %cond
cond:
  %r = call i32 @__afl_persistent_loop(i32 1000)
  %more = icmp ne i32 %r, 0
  br i1 %more, label %body, label %done
body:
  %x = call i32 @input()
  %a = icmp eq i32 %x, 97
  br i1 %a, label %then, label %cond
then:
  call void @use(i32 1)
  br label %cond
done:
  ret i32 0
}

; The same loop under `#pragma clang loop unroll_count(2)`.
define i32 @unrolled() {
entry:
  br label %cond
cond:
  %r = call i32 @__afl_persistent_loop(i32 1000)
  %more = icmp ne i32 %r, 0
  br i1 %more, label %body, label %done
body:
  %x = call i32 @input()
  %a = icmp eq i32 %x, 97
  br i1 %a, label %then, label %latch
then:
  call void @use(i32 1)
  br label %latch
latch:
  br label %cond, !llvm.loop !0
done:
  ret i32 0
}

!0 = distinct !{!0, !1, !2}
!1 = !{!"llvm.loop.mustprogress"}
!2 = !{!"llvm.loop.unroll.count", i32 2}
