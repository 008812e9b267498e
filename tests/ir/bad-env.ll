; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; A bad AFL_SEED or AFL_INST_RATIO stops the compile with one clear error
; that names the value and says what to do, and a non-zero exit; no crash
; report, and nothing is instrumented.
; RUN: AFL_SEED=abc %not %opt -load-pass-plugin %plugin -passes=afl-coverage \
; RUN:   -S %s -o /dev/null 2>&1 | %FileCheck %s --check-prefix=SEED-ABC
; RUN: AFL_SEED=-1 %not %opt -load-pass-plugin %plugin -passes=afl-coverage \
; RUN:   -S %s -o /dev/null 2>&1 | %FileCheck %s --check-prefix=SEED-NEG
; RUN: AFL_SEED=0x %not %opt -load-pass-plugin %plugin -passes=afl-coverage \
; RUN:   -S %s -o /dev/null 2>&1 | %FileCheck %s --check-prefix=SEED-0X
; RUN: AFL_SEED=12abc %not %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o /dev/null 2>&1 \
; RUN:   | %FileCheck %s --check-prefix=SEED-TAIL
; RUN: AFL_SEED=18446744073709551616 %not %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o /dev/null 2>&1 \
; RUN:   | %FileCheck %s --check-prefix=SEED-BIG
; RUN: AFL_SEED=' 5' %not %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o /dev/null 2>&1 \
; RUN:   | %FileCheck %s --check-prefix=SEED-SPACE
; RUN: AFL_INST_RATIO=0 %not %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o /dev/null 2>&1 \
; RUN:   | %FileCheck %s --check-prefix=RATIO-0
; RUN: AFL_INST_RATIO=101 %not %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o /dev/null 2>&1 \
; RUN:   | %FileCheck %s --check-prefix=RATIO-101
; RUN: AFL_INST_RATIO=50% %not %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o /dev/null 2>&1 \
; RUN:   | %FileCheck %s --check-prefix=RATIO-PCT
; RUN: AFL_INST_RATIO=lots %not %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o /dev/null 2>&1 \
; RUN:   | %FileCheck %s --check-prefix=RATIO-WORD

source_filename = "bad-env.c"

; SEED-ABC: error: afl-llvm-pass: AFL_SEED=abc is not a number; unset it or use a decimal or 0x hex integer
; SEED-ABC-NOT: PLEASE
; SEED-NEG: error: afl-llvm-pass: AFL_SEED=-1 is not a number;
; SEED-0X: error: afl-llvm-pass: AFL_SEED=0x is not a number;
; SEED-TAIL: error: afl-llvm-pass: AFL_SEED=12abc is not a number;
; SEED-BIG: error: afl-llvm-pass: AFL_SEED=18446744073709551616 is not a number;
; SEED-SPACE: error: afl-llvm-pass: AFL_SEED= 5 is not a number;
; RATIO-0: error: afl-llvm-pass: AFL_INST_RATIO=0 is not a percentage from 1 to 100; unset it or use a whole number from 1 to 100
; RATIO-0-NOT: PLEASE
; RATIO-101: error: afl-llvm-pass: AFL_INST_RATIO=101 is not a percentage
; RATIO-PCT: error: afl-llvm-pass: AFL_INST_RATIO=50% is not a percentage
; RATIO-WORD: error: afl-llvm-pass: AFL_INST_RATIO=lots is not a percentage

define void @f() {
  ret void
}
