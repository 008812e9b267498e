; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; Ids are deterministic: two runs give identical output; AFL_SEED changes
; them on purpose; 7 and 0x7 are the same seed; 0, an empty value and no
; value are the same seed too. Only the ids differ between seeds (the
; entry's xor constant, the constant map indices of the other counters,
; the values stored to prev_loc before calls), never the shape of the code.
; RUN: %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o %t.a.ll
; RUN: %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s -o %t.b.ll
; RUN: diff %t.a.ll %t.b.ll
; RUN: AFL_SEED=0 %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s \
; RUN:   -o %t.zero.ll
; RUN: diff %t.a.ll %t.zero.ll
; RUN: AFL_SEED= %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s \
; RUN:   -o %t.empty.ll
; RUN: diff %t.a.ll %t.empty.ll
; RUN: AFL_SEED=7 %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s \
; RUN:   -o %t.seven.ll
; RUN: AFL_SEED=0x7 %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s \
; RUN:   -o %t.hex.ll
; RUN: diff %t.seven.ll %t.hex.ll
; RUN: %not diff %t.a.ll %t.seven.ll
; RUN: sed -E 's/(xor i32 %[0-9]+,|, i64|store i32) [0-9]+/\1 ID/' %t.a.ll > %t.a.shape
; RUN: sed -E 's/(xor i32 %[0-9]+,|, i64|store i32) [0-9]+/\1 ID/' %t.seven.ll > %t.seven.shape
; RUN: %not diff %t.a.ll %t.a.shape
; RUN: diff %t.a.shape %t.seven.shape
; RUN: AFL_SEED=18446744073709551615 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o %t.max.ll
; RUN: AFL_SEED=0xFFFFFFFFFFFFFFFF %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o %t.maxhex.ll
; RUN: diff %t.max.ll %t.maxhex.ll
; RUN: %not diff %t.a.ll %t.max.ll

source_filename = "seed.c"

declare void @ext()

define i32 @f(i1 %c) {
entry:
  br i1 %c, label %a, label %b
a:
  call void @ext()
  ret i32 1
b:
  ret i32 2
}
