; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; The id function. An edge P->B counts in map byte (cur_P >> 1) ^ cur_B,
; the byte AFL's classic update hits (prev_loc = cur_P >> 1 on entering
; B), fixed when compiling: the constant index in B's update, the byte the
; edge log gives. cur_P is the id P uses elsewhere: a function entry xors
; it with the caller's prev_loc, and a call in P stores cur_P >> 1 to
; prev_loc. Thanks to the shift A->B and B->A are different bytes and a
; block looping on itself does not hit map[0]. A block entered over edges
; that cannot be split (a landing pad of two invokes) counts in byte
; cur_B, its own id. The GOLDEN prefix pins
; concrete ids: the same source must give the same ids with every LLVM
; version and on every host (reproducible builds).
; RUN: rm -f %t.log
; RUN: LOP_EDGE_LOG=%t.log AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o %t.ll
; RUN: cat %t.log %t.ll | %FileCheck %s
; RUN: cat %t.log %t.ll | %FileCheck %s --check-prefix=GOLDEN
; Every logged byte is (CUR_P >> 1) ^ CUR_B (FileCheck has no xor).
; RUN: while read -r byte p b rest; do test "$byte" -eq $(((p >> 1) ^ b)) || exit 1; \
; RUN:   done < %t.log
; a->b and b->a differ; the self loop's byte is not 0.
; RUN: ab=$(awk '$6 == "pair" && $4 == 1 && $5 == 2 { print $1 }' %t.log); \
; RUN:   ba=$(awk '$6 == "pair" && $4 == 2 && $5 == 1 { print $1 }' %t.log); \
; RUN:   test -n "$ab" && test -n "$ba" && test "$ab" -ne "$ba"
; RUN: ss=$(awk '$6 == "self" && $4 == 1 && $5 == 1 { print $1 }' %t.log); \
; RUN:   test -n "$ss" && test "$ss" -ne 0

source_filename = "ids.c"

declare void @ext()
declare i32 @__gxx_personality_v0(...)

; The log first: "BYTE CUR_P CUR_B P B FUNCTION MODULE".
; CHECK:      [[#%u,EDGE_B:]] [[#%u,CUR_E:]] [[#%u,CUR_EB:]] 0 1 edge ids.c
; CHECK-NEXT: [[#%u,EDGE_OUT:]] [[#CUR_E]] [[#%u,CUR_EOUT:]] 0 2 edge ids.c
; CHECK-NEXT: [[#%u,BA:]] [[#%u,CUR_B:]] [[#%u,CUR_A:]] 2 1 pair ids.c
; CHECK-NEXT: [[#%u,AB:]] [[#CUR_A]] [[#CUR_B]] 1 2 pair ids.c
; CHECK:      [[#%u,SS:]] [[#%u,CUR_S:]] [[#%u,CUR_S2:]] 1 1 self ids.c
; GOLDEN:      56742 7090 53375 0 1 edge ids.c
; GOLDEN-NEXT: 42488 7090 43041 0 2 edge ids.c
; GOLDEN-NEXT: 13791 49883 21682 2 1 pair ids.c
; GOLDEN-NEXT: 59522 21682 49883 1 2 pair ids.c
; GOLDEN:      4781 7369 7369 1 1 self ids.c

define void @f() {
; GOLDEN-LABEL: define void @f(
; GOLDEN: xor i32 %{{[0-9]+}}, 62210{{$}}
  ret void
}

define void @g() {
; GOLDEN-LABEL: define void @g(
; GOLDEN: xor i32 %{{[0-9]+}}, 12461{{$}}
  ret void
}

; The entry's runtime id and the arm's call store are the ids of the
; logged edges, whose bytes are the constant indices.
define void @edge(i1 %c) {
; CHECK-LABEL: define void @edge(
; CHECK:       xor i32 %{{[0-9]+}}, [[#CUR_E]]{{$}}
; CHECK:       {{^}}b:
; CHECK-NEXT:  load {{.*}} @__afl_area_ptr
; CHECK-NEXT:  getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 [[#EDGE_B]]{{$}}
; CHECK:       store i32 [[#div(CUR_EB,2)]], {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  call void @ext()
; CHECK:       {{^}}out:
; CHECK-NEXT:  load {{.*}} @__afl_area_ptr
; CHECK-NEXT:  getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 [[#EDGE_OUT]]{{$}}
; GOLDEN-LABEL: define void @edge(
; GOLDEN:       xor i32 %{{[0-9]+}}, 7090{{$}}
; GOLDEN:       store i32 26687, {{ptr|i32\*}} @__afl_prev_loc
entry:
  br i1 %c, label %b, label %out
b:
  call void @ext()
  ret void
out:
  ret void
}

; %a and %b reach only each other (not from the entry), so a->b and b->a
; are both direct edges: indirectbr edges are never split, and as %x is
; entered from both, neither block is implied by its successors.
define void @pair(i8* %to) {
; CHECK-LABEL: define void @pair(
; CHECK:       {{^}}a:
; CHECK-NEXT:  load {{.*}} @__afl_area_ptr
; CHECK-NEXT:  getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 [[#BA]]{{$}}
; CHECK:       {{^}}b:
; CHECK-NEXT:  load {{.*}} @__afl_area_ptr
; CHECK-NEXT:  getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 [[#AB]]{{$}}
entry:
  ret void
a:
  indirectbr i8* %to, [label %b, label %x]
b:
  indirectbr i8* %to, [label %a, label %x]
x:
  ret void
}

; %s is its own only predecessor: the edge s->s is not split (indirectbr),
; and %out is entered from the entry too, so %s keeps its counter.
define void @self(i8* %to) {
; CHECK-LABEL: define void @self(
; CHECK:       {{^}}s:
; CHECK-NEXT:  load {{.*}} @__afl_area_ptr
; CHECK-NEXT:  getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 [[#SS]]{{$}}
entry:
  br label %out
s:
  indirectbr i8* %to, [label %s, label %out]
out:
  ret void
}

; lpad has two predecessors (entry and second), edges that cannot be
; split: it counts in byte cur_lpad, whose upper bits its call stores.
define void @pad() personality i8* bitcast (i32 (...)* @__gxx_personality_v0 to i8*) {
; CHECK-LABEL: define void @pad(
; CHECK:       {{^}}lpad:
; CHECK-NEXT:  landingpad
; CHECK-NEXT:  cleanup
; CHECK-NEXT:  load {{.*}} @__afl_area_ptr
; CHECK-NEXT:  getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 [[#%u,CUR_PAD:]]{{$}}
; CHECK:       store i32 [[#div(CUR_PAD,2)]], {{ptr|i32\*}} @__afl_prev_loc
; CHECK-NEXT:  call void @ext()
; GOLDEN-LABEL: define void @pad(
; GOLDEN:       {{^}}lpad:
; GOLDEN:       getelementptr i8, {{ptr|i8\*}} %{{[0-9]+}}, i64 19440{{$}}
entry:
  invoke void @ext() to label %second unwind label %lpad
second:
  invoke void @ext() to label %done unwind label %lpad
done:
  ret void
lpad:
  %lp = landingpad { i8*, i32 } cleanup
  call void @ext()
  ret void
}
