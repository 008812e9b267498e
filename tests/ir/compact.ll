; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; Compact mode (AFL_LLVM_INSTRUMENT=compact): critical edges are split and
; every edge out of a branching block gets a counter of its own, numbered
; 0, 1, 2... in the module; a join block, and a block (the entry too) that
; only branches to blocks it alone enters, need none. Counters are bumped through the base pointer at the start of
; the module's descriptor { base, count, first, next }, whose count is the
; number of counters; a priority-2 constructor registers it. No prev_loc.
; A classic module registers too, with __afl_lop_register_classic.
; RUN: AFL_LLVM_INSTRUMENT=compact %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o %t.ll
; RUN: %FileCheck %s < %t.ll
; RUN: %opt -passes=verify -disable-output %t.ll
; RUN: %not grep -q __afl_prev_loc %t.ll
; RUN: %not grep -q __afl_lop_register_classic %t.ll
; Classic builds register as classic, and never as compact.
; RUN: %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o %t.classic.ll
; RUN: %FileCheck --check-prefix=CLASSIC %s < %t.classic.ll
; RUN: %not grep -q __afl_lop_register_compact %t.classic.ll
; The pass reads the mode case-insensitively, as the wrapper does.
; RUN: AFL_LLVM_INSTRUMENT=COMPACT %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o - | %FileCheck %s

; CHECK: @__afl_lop_compact_module = internal global { {{.*}} } { {{.*}}@__afl_lop_compact_counters{{.*}}, i32 6, i32 0, {{.*}} null }
; CHECK: @__afl_lop_compact_counters = internal global [6 x i8] zeroinitializer
; CHECK: @llvm.global_ctors = {{.*}} { i32 2, {{.*}} @lop.register
; CLASSIC: @llvm.global_ctors = {{.*}} { i32 2, {{.*}} @lop.register

source_filename = "compact.c"

declare void @ext(i32)

; entry -> join and left -> join/out are critical: split, one counter each;
; join and out are implied by their predecessors; entry and left branch
; only to counted edges.
define i32 @diamond(i32 %a, i32 %b) {
; CHECK-LABEL: define i32 @diamond(
; CHECK: entry:
; CHECK-NEXT: [[BASE:%[0-9]+]] = load {{.*}}@__afl_lop_compact_module{{.*}}, align 8, !nosanitize
; CHECK-NOT: getelementptr
; CHECK: entry.join_crit_edge:
; CHECK-NEXT: getelementptr i8, {{.*}} [[BASE]], i32 0
; CHECK: left:
; CHECK-NOT: getelementptr
; CHECK: left.out_crit_edge:
; CHECK-NEXT: getelementptr i8, {{.*}} [[BASE]], i32 1
; CHECK: left.join_crit_edge:
; CHECK-NEXT: getelementptr i8, {{.*}} [[BASE]], i32 2
; CHECK: join:
; CHECK-NEXT: call void @ext
; CHECK-NOT: getelementptr i8
; CHECK: ret i32
entry:
  %c1 = icmp sgt i32 %a, 0
  br i1 %c1, label %left, label %join
left:
  %c2 = icmp sgt i32 %b, 0
  br i1 %c2, label %join, label %out
join:
  call void @ext(i32 %a)
  br label %out
out:
  %r = phi i32 [ 1, %left ], [ 2, %join ]
  ret i32 %r
}

; A straight-line entry keeps its counter (3); the back edge of the loop
; is critical and gets one (4), the loop exit too (5); the NeverZero
; increment follows.
define void @loop(i32 %n) {
; CHECK-LABEL: define void @loop(
; CHECK: entry:
; CHECK: [[P:%[0-9]+]] = getelementptr i8, {{.*}}, i32 3
; CHECK-NEXT: [[C:%[0-9]+]] = load i8, {{.*}} [[P]], align 1, !nosanitize
; CHECK-NEXT: [[S:%[0-9]+]] = call { i8, i1 } @llvm.uadd.with.overflow.i8(i8 [[C]], i8 1)
; CHECK-NEXT: [[Z:%[0-9]+]] = extractvalue { i8, i1 } [[S]], 1
; CHECK-NEXT: [[W:%[0-9]+]] = zext i1 [[Z]] to i8
; CHECK-NEXT: [[I:%[0-9]+]] = extractvalue { i8, i1 } [[S]], 0
; CHECK-NEXT: [[N:%[0-9]+]] = add i8 [[I]], [[W]]
; CHECK-NEXT: store i8 [[N]], {{.*}} [[P]], align 1, !nosanitize
; CHECK: head.head_crit_edge:
; CHECK-NEXT: getelementptr i8, {{.*}}, i32 4
; CHECK: done:
; CHECK-NEXT: getelementptr i8, {{.*}}, i32 5
entry:
  br label %head
head:
  %i = phi i32 [ 0, %entry ], [ %j, %head ]
  %j = add i32 %i, 1
  %c = icmp slt i32 %j, %n
  br i1 %c, label %head, label %done
done:
  ret void
}
