; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; prev_loc carries the caller's block into the callee: before every call
; and invoke of a function the pass stores cur_B >> 1 (B the block holding
; the call, its id the one the edge log gives), and the callee's entry
; reads it to count the edge from that block. Nothing else touches
; prev_loc: no store before intrinsics (llvm.memcpy), inline assembly or
; returns, no reload after a call. The same holds with the register cache
; (the default) and without it.
; RUN: rm -f %t.log
; RUN: LOP_EDGE_LOG=%t.log AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o %t.ll
; RUN: cat %t.log %t.ll | %FileCheck %s
; RUN: %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o %t.cached.ll
; RUN: cat %t.log %t.cached.ll | %FileCheck %s
; One prev_loc load per function (its entry), one store per call or invoke.
; RUN: for f in %t.ll %t.cached.ll; do \
; RUN:   test "$(grep -c 'load i32, .*@__afl_prev_loc' $f)" -eq 3 || exit 1; \
; RUN:   test "$(grep -c 'store i32 .*@__afl_prev_loc' $f)" -eq 3 || exit 1; done

source_filename = "calls.c"

declare void @llvm.memcpy.p0i8.p0i8.i64(i8*, i8*, i64, i1)
declare i32 @__gxx_personality_v0(...)

; The edge log first: %work (position 1) branches to %more (3), so the
; line gives work's id.
; CHECK: {{^}}{{[0-9]+}} [[#%u,CUR_W:]] {{[0-9]+}} 1 3 caller calls.c

; The callee counts the edge from the caller's block at its entry.
define void @callee() {
; CHECK-LABEL: define void @callee(
; CHECK-NEXT:  entry:
; CHECK:       load i32, {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT:  xor i32
; CHECK-NOT:   @__afl_prev_loc
; CHECK:       ret void
entry:
  ret void
}

define void @caller(i1 %c, i8* %d, i8* %s) {
; CHECK-LABEL: define void @caller(
; CHECK:       xor i32 %{{[0-9]+}}, [[#%u,CUR_E:]]{{$}}
; CHECK-NOT:   @__afl_prev_loc
; CHECK:       store i32 [[#div(CUR_E,2)]], {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT:  call void @callee()
; CHECK-NOT:   @__afl_prev_loc
; CHECK:       {{^}}work:
; CHECK-NOT:   @__afl_prev_loc
; CHECK:       call void @llvm.memcpy
; CHECK-NEXT:  call void asm sideeffect "nop", ""()
; CHECK-NOT:   @__afl_prev_loc
; CHECK:       store i32 [[#div(CUR_W,2)]], {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT:  call void @callee()
; CHECK-NOT:   @__afl_prev_loc
; CHECK-LABEL: define void @inv(
entry:
  call void @callee()
  br i1 %c, label %work, label %early
work:
  call void @llvm.memcpy.p0i8.p0i8.i64(i8* %d, i8* %s, i64 8, i1 false)
  call void asm sideeffect "nop", ""()
  call void @callee()
  br i1 %c, label %more, label %out
early:
  ret void
more:
  ret void
out:
  ret void
}

define void @inv() personality i8* bitcast (i32 (...)* @__gxx_personality_v0 to i8*) {
; CHECK:       xor i32 %{{[0-9]+}}, [[#%u,CUR_I:]]{{$}}
; CHECK-NOT:   @__afl_prev_loc
; CHECK:       store i32 [[#div(CUR_I,2)]], {{ptr|i32\*}} @__afl_prev_loc, align 4, !nosanitize
; CHECK-NEXT:  invoke void @callee()
; CHECK-NOT:   @__afl_prev_loc
; CHECK-LABEL: define internal void @lop.register(
entry:
  invoke void @callee() to label %ok unwind label %lpad
ok:
  ret void
lpad:
  %lp = landingpad { i8*, i32 } cleanup
  resume { i8*, i32 } %lp
}
