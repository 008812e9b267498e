; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; AFL_INST_RATIO=R instruments a block when a deterministic per-block hash
; % 100 < R: 100 (the default) takes all 40 blocks of @chain, 1 takes at
; most a few, 50 about half. A picked block keeps the id it has at 100, so
; the ratio never moves edges around in the map.
; RUN: %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o - \
; RUN:   | %FileCheck %s --check-prefix=ALL
; RUN: AFL_INST_RATIO=100 %opt -load-pass-plugin %plugin -passes=afl-coverage \
; RUN:   -S %s -o %t.100.ll
; RUN: AFL_INST_RATIO=1 %opt -load-pass-plugin %plugin -passes=afl-coverage \
; RUN:   -S %s -o %t.1.ll
; RUN: AFL_INST_RATIO=50 %opt -load-pass-plugin %plugin -passes=afl-coverage \
; RUN:   -S %s -o %t.50.ll
; RUN: test "$(grep -c 'store i32 .*@__afl_prev_loc' %t.100.ll)" -eq 40
; RUN: test "$(grep -c 'store i32 .*@__afl_prev_loc' %t.1.ll || true)" -le 3
; RUN: n=$(grep -c 'store i32 .*@__afl_prev_loc' %t.50.ll); \
; RUN:   test "$n" -ge 10 && test "$n" -le 30
; RUN: grep -o 'xor i32 %[0-9]*, [0-9]*' %t.100.ll | awk '{print $4}' \
; RUN:   | sort > %t.100.ids
; RUN: grep -o 'xor i32 %[0-9]*, [0-9]*' %t.50.ll | awk '{print $4}' \
; RUN:   | sort > %t.50.ids
; RUN: test -z "$(comm -13 %t.100.ids %t.50.ids)"

source_filename = "ratio.c"

; ALL-LABEL: define void @chain(
; ALL-COUNT-40: store i32 {{[0-9]+}}, {{ptr|i32\*}} @__afl_prev_loc
; ALL-NOT: @__afl_prev_loc
define void @chain() {
b0:
  br label %b1
b1:
  br label %b2
b2:
  br label %b3
b3:
  br label %b4
b4:
  br label %b5
b5:
  br label %b6
b6:
  br label %b7
b7:
  br label %b8
b8:
  br label %b9
b9:
  br label %b10
b10:
  br label %b11
b11:
  br label %b12
b12:
  br label %b13
b13:
  br label %b14
b14:
  br label %b15
b15:
  br label %b16
b16:
  br label %b17
b17:
  br label %b18
b18:
  br label %b19
b19:
  br label %b20
b20:
  br label %b21
b21:
  br label %b22
b22:
  br label %b23
b23:
  br label %b24
b24:
  br label %b25
b25:
  br label %b26
b26:
  br label %b27
b27:
  br label %b28
b28:
  br label %b29
b29:
  br label %b30
b30:
  br label %b31
b31:
  br label %b32
b32:
  br label %b33
b33:
  br label %b34
b34:
  br label %b35
b35:
  br label %b36
b36:
  br label %b37
b37:
  br label %b38
b38:
  br label %b39
b39:
  ret void
}
