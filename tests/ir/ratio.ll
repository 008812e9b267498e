; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; AFL_INST_RATIO=R keeps a counter when a deterministic per-block hash
; % 100 < R. @chain has 41 places for one: the entry and the 40 critical
; edges into b39 (two from b38), split; b39 is implied by them, and b1..b38
; by their successors (each branches to blocks it alone enters). 100 (the
; default) takes all 41, 1 at most a few, 50 about half. A kept counter has the map
; byte it has at 100 (the edge's byte does not depend on which blocks were
; kept), so the ratio never moves edges around in the map.
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o - \
; RUN:   | %FileCheck %s --check-prefix=ALL
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 AFL_INST_RATIO=100 %opt -load-pass-plugin %plugin -passes=afl-coverage \
; RUN:   -S %s -o %t.100.ll
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 AFL_INST_RATIO=1 %opt -load-pass-plugin %plugin -passes=afl-coverage \
; RUN:   -S %s -o %t.1.ll
; RUN: AFL_LLVM_NO_REGISTER_CACHE=1 AFL_INST_RATIO=50 %opt -load-pass-plugin %plugin -passes=afl-coverage \
; RUN:   -S %s -o %t.50.ll
; RUN: test "$(grep -c 'call { i8, i1 } @llvm.uadd' %t.100.ll)" -eq 41
; RUN: test "$(grep -c 'call { i8, i1 } @llvm.uadd' %t.1.ll || true)" -le 3
; RUN: n=$(grep -c 'call { i8, i1 } @llvm.uadd' %t.50.ll); \
; RUN:   test "$n" -ge 10 && test "$n" -le 31
; Map bytes: the constant indices and the entry's xor constant, if kept.
; RUN: grep -Eo 'getelementptr i8, [^,]*, i64 [0-9]+$|xor i32 %[0-9]+, [0-9]+$' %t.100.ll \
; RUN:   | awk '{ print $NF }' | sort > %t.100.ids
; RUN: grep -Eo 'getelementptr i8, [^,]*, i64 [0-9]+$|xor i32 %[0-9]+, [0-9]+$' %t.50.ll \
; RUN:   | awk '{ print $NF }' | sort > %t.50.ids
; RUN: test "$(wc -l < %t.100.ids)" -eq 41
; RUN: test "$(wc -l < %t.50.ids)" -eq "$(grep -c 'call { i8, i1 } @llvm.uadd' %t.50.ll)"
; RUN: test -z "$(comm -13 %t.100.ids %t.50.ids)"

source_filename = "ratio.c"

; ALL-LABEL: define void @chain(
; ALL-COUNT-41: call { i8, i1 } @llvm.uadd.with.overflow.i8(
; ALL-NOT: call { i8, i1 } @llvm.uadd.with.overflow.i8(
; ALL-NOT: @__afl_prev_loc
define void @chain(i1 %c) {
b0:
  br i1 %c, label %b1, label %b39
b1:
  br i1 %c, label %b2, label %b39
b2:
  br i1 %c, label %b3, label %b39
b3:
  br i1 %c, label %b4, label %b39
b4:
  br i1 %c, label %b5, label %b39
b5:
  br i1 %c, label %b6, label %b39
b6:
  br i1 %c, label %b7, label %b39
b7:
  br i1 %c, label %b8, label %b39
b8:
  br i1 %c, label %b9, label %b39
b9:
  br i1 %c, label %b10, label %b39
b10:
  br i1 %c, label %b11, label %b39
b11:
  br i1 %c, label %b12, label %b39
b12:
  br i1 %c, label %b13, label %b39
b13:
  br i1 %c, label %b14, label %b39
b14:
  br i1 %c, label %b15, label %b39
b15:
  br i1 %c, label %b16, label %b39
b16:
  br i1 %c, label %b17, label %b39
b17:
  br i1 %c, label %b18, label %b39
b18:
  br i1 %c, label %b19, label %b39
b19:
  br i1 %c, label %b20, label %b39
b20:
  br i1 %c, label %b21, label %b39
b21:
  br i1 %c, label %b22, label %b39
b22:
  br i1 %c, label %b23, label %b39
b23:
  br i1 %c, label %b24, label %b39
b24:
  br i1 %c, label %b25, label %b39
b25:
  br i1 %c, label %b26, label %b39
b26:
  br i1 %c, label %b27, label %b39
b27:
  br i1 %c, label %b28, label %b39
b28:
  br i1 %c, label %b29, label %b39
b29:
  br i1 %c, label %b30, label %b39
b30:
  br i1 %c, label %b31, label %b39
b31:
  br i1 %c, label %b32, label %b39
b32:
  br i1 %c, label %b33, label %b39
b33:
  br i1 %c, label %b34, label %b39
b34:
  br i1 %c, label %b35, label %b39
b35:
  br i1 %c, label %b36, label %b39
b36:
  br i1 %c, label %b37, label %b39
b37:
  br i1 %c, label %b38, label %b39
b38:
  br i1 %c, label %b39, label %b39
b39:
  ret void
}
