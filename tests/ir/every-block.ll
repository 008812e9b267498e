; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; Critical edges are split, then every block entered over an edge with a
; choice gets a counter: the entry (its map byte read at run time), the
; arms of a branch, the blocks made by splitting a critical edge, a loop
; body and a loop exit, each at a constant map byte, and a landing pad
; reached from two invokes (an edge that cannot be split), at a constant
; byte too. A block whose predecessors all jump only to it gets none: a
; loop header entered from an unconditional preheader and latch, the join
; of split edges. The update goes after PHIs and after a landingpad (the
; first insertion point), so it runs on every entry into the block and
; keeps the IR valid.
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o %t.ll
; RUN: %FileCheck %s < %t.ll
; RUN: %opt -passes=verify -disable-output %t.ll
; Counters per function (NeverZero increments).
; RUN: awk '/^define/ { match($0, /@[a-z_.]+\(/); f = substr($0, RSTART + 1, RLENGTH - 2) } \
; RUN:   /call { i8, i1 } @llvm.uadd.with.overflow.i8/ { n[f]++ } \
; RUN:   END { for (k in n) print k, n[k] }' %t.ll > %t.counts
; RUN: grep -qx 'loop 3' %t.counts && grep -qx 'split 3' %t.counts && grep -qx 'eh 4' %t.counts
; RUN: test "$(wc -l < %t.counts)" -eq 3

source_filename = "every-block.c"

declare i32 @__gxx_personality_v0(...)
declare void @may_throw()

define i32 @loop(i32 %n) {
; CHECK-LABEL: define i32 @loop(
; CHECK-NEXT:  entry:
; CHECK-NEXT:  load i32, {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  xor i32 %{{[0-9]+}}, {{[0-9]+}}{{$}}
; CHECK:       store i8
; CHECK-NEXT:  br label %head
entry:
  br label %head

; CHECK:       {{^}}head:
; CHECK-NEXT:  %i = phi i32 [ 0, %entry ], [ %i.next, %body ]
; CHECK-NEXT:  %acc = phi i32 [ 0, %entry ], [ %acc.next, %body ]
; CHECK-NEXT:  %done = icmp eq i32 %i, %n
head:
  %i = phi i32 [ 0, %entry ], [ %i.next, %body ]
  %acc = phi i32 [ 0, %entry ], [ %acc.next, %body ]
  %done = icmp eq i32 %i, %n
  br i1 %done, label %exit, label %body

; CHECK:       {{^}}body:
; CHECK-NEXT:  load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr
; CHECK-NEXT:  getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 {{[0-9]+}}{{$}}
; CHECK:       store i8
; CHECK-NEXT:  %acc.next = add i32 %acc, %i
body:
  %acc.next = add i32 %acc, %i
  %i.next = add i32 %i, 1
  br label %head

; CHECK:       {{^}}exit:
; CHECK-NEXT:  %r = phi i32 [ %acc, %head ]
; CHECK-NEXT:  load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr
; CHECK-NEXT:  getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 {{[0-9]+}}{{$}}
; CHECK:       store i8
; CHECK-NEXT:  ret i32 %r
exit:
  %r = phi i32 [ %acc, %head ]
  ret i32 %r
}

; entry -> join is critical: split, and the new block counts it.
define i32 @split(i1 %c) {
; CHECK-LABEL: define i32 @split(
; CHECK:       br i1 %c, label %left, label %entry.join_crit_edge
; CHECK:       {{^}}entry.join_crit_edge:
; CHECK-NEXT:  load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr
; CHECK-NEXT:  getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 {{[0-9]+}}{{$}}
; CHECK:       store i8
; CHECK-NEXT:  br label %join
; CHECK:       {{^}}left:
; CHECK-NEXT:  load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr
; CHECK-NEXT:  getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 {{[0-9]+}}{{$}}
; CHECK:       store i8
; CHECK-NEXT:  br label %join
; CHECK:       {{^}}join:
; CHECK-NEXT:  %r = phi i32
; CHECK-NEXT:  ret i32 %r
entry:
  br i1 %c, label %left, label %join
left:
  br label %join
join:
  %r = phi i32 [ 0, %entry ], [ 1, %left ]
  ret i32 %r
}

define i32 @eh() personality i8* bitcast (i32 (...)* @__gxx_personality_v0 to i8*) {
; CHECK-LABEL: define i32 @eh(
; CHECK-NEXT:  entry:
; CHECK-NEXT:  load i32, {{ptr|i32\*}} @__afl_prev_loc
; CHECK:       invoke void @may_throw()
; CHECK:       {{^}}second:
; CHECK-NEXT:  load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr
; CHECK-NEXT:  getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 {{[0-9]+}}{{$}}
; CHECK:       invoke void @may_throw()
; CHECK:       {{^}}ok:
; CHECK-NEXT:  load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr
; CHECK-NEXT:  getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 {{[0-9]+}}{{$}}
; CHECK:       store i8
; CHECK-NEXT:  ret i32 0
; CHECK:       {{^}}lpad:
; CHECK-NEXT:  %from = phi i32
; CHECK-NEXT:  %lp = landingpad { {{ptr|i8\*}}, i32 }
; CHECK-NEXT:  cleanup
; CHECK-NEXT:  load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr
; CHECK-NEXT:  getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 {{[0-9]+}}{{$}}
; CHECK:       store i8
; CHECK-NEXT:  ret i32 %from
entry:
  invoke void @may_throw() to label %second unwind label %lpad
second:
  invoke void @may_throw() to label %ok unwind label %lpad
ok:
  ret i32 0
lpad:
  %from = phi i32 [ 1, %entry ], [ 2, %second ]
  %lp = landingpad { i8*, i32 } cleanup
  ret i32 %from
}
