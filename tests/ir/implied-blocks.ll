; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; A block whose predecessors all jump only to it adds no edge information
; and is left out: the join of an if/else, a loop header entered from an
; unconditional preheader and latch. So is a block that branches only to
; blocks it alone enters (the outer arm of @nested): its count is their
; sum. The entry block (no predecessors) always keeps its counter, whose
; map byte is read at run time (the caller's edge); the arms of a branch
; that do not branch on, and blocks with one conditional predecessor, keep
; theirs at a constant byte. No block but the entry reads prev_loc.
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o %t.ll
; RUN: %FileCheck %s < %t.ll
; RUN: test "$(grep -c 'load i32, .*@__afl_prev_loc' %t.ll)" -eq 3
; RUN: test "$(grep -c 'call { i8, i1 } @llvm.uadd.with.overflow.i8' %t.ll)" -eq 8
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage,verify \
; RUN:   -disable-output %s

source_filename = "implied-blocks.c"

define i32 @diamond(i1 %c) {
; CHECK-LABEL: define i32 @diamond(
; CHECK-NEXT:  entry:
; CHECK-NEXT:  load i32, {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NOT:   @__afl_prev_loc
; CHECK:       br i1 %c
; CHECK-NOT:   @__afl_prev_loc
entry:
  br i1 %c, label %then, label %else

; CHECK:       {{^}}then:
; CHECK-NEXT:  load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr
; CHECK-NEXT:  getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 {{[0-9]+}}{{$}}
then:
  br label %join

; CHECK:       {{^}}else:
; CHECK-NEXT:  load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr
; CHECK-NEXT:  getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 {{[0-9]+}}{{$}}
else:
  br label %join

; CHECK:       {{^}}join:
; CHECK-NEXT:  %r = phi i32
; CHECK-NEXT:  ret i32 %r
join:
  %r = phi i32 [ 1, %then ], [ 2, %else ]
  ret i32 %r
}

define void @spin(i32* %p) {
; CHECK-LABEL: define void @spin(
; CHECK-NEXT:  entry:
; CHECK-NEXT:  load i32, {{ptr|i32\*}} @__afl_prev_loc
entry:
  br label %head

; CHECK:       {{^}}head:
; CHECK-NEXT:  store volatile i32 1
; CHECK-NEXT:  br label %head
; CHECK-NEXT:  }
head:
  store volatile i32 1, i32* %p
  br label %head
}

; entry -> outer/out, outer -> inner/out: the edges into %out are critical
; and split; %outer branches only to blocks it alone enters, so it gets no
; counter, the entry keeps one although it does too.
define void @nested(i1 %a, i1 %b, i32* %p) {
; CHECK-LABEL: define void @nested(
; CHECK-NEXT:  entry:
; CHECK-NEXT:  load i32, {{ptr|i32\*}} @__afl_prev_loc
; CHECK:       {{^}}outer:
; CHECK-NEXT:  store volatile i32 1
; CHECK-NEXT:  br i1 %b
; CHECK:       {{^}}inner:
; CHECK-NEXT:  load {{ptr|i8\*}}, {{ptr|i8\*\*}} @__afl_area_ptr
; CHECK:       {{^}}out:
; CHECK-NEXT:  ret void
entry:
  br i1 %a, label %outer, label %out
outer:
  store volatile i32 1, i32* %p
  br i1 %b, label %inner, label %out
inner:
  store volatile i32 2, i32* %p
  br label %out
out:
  ret void
}
