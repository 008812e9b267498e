; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; The summary line goes to stderr only when the user may see it: under
; AFL_DEBUG (or on a terminal), never under AFL_QUIET, and not when stderr
; is a file or pipe (configure scripts parse compiler output). It names the
; counter mode and the ratio, and says when the ratio skipped every block.
; RUN: AFL_DEBUG=1 %opt -load-pass-plugin %plugin -passes=afl-coverage \
; RUN:   -disable-output %s 2>&1 | %FileCheck %s --check-prefix=DEBUG
; RUN: AFL_DEBUG=1 AFL_LLVM_SKIP_NEVERZERO=1 AFL_INST_RATIO=100 %opt \
; RUN:   -load-pass-plugin %plugin -passes=afl-coverage -disable-output %s \
; RUN:   2>&1 | %FileCheck %s --check-prefix=WRAPPING
; RUN: AFL_DEBUG=1 AFL_INST_RATIO=1 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -disable-output %s 2>&1 \
; RUN:   | %FileCheck %s --check-prefix=NONE
; RUN: test -z "$(AFL_DEBUG=1 AFL_QUIET=1 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -disable-output %s 2>&1)"
; RUN: test -z "$(%opt -load-pass-plugin %plugin -passes=afl-coverage \
; RUN:   -disable-output %s 2>&1)"
; RUN: test -z "$(AFL_DEBUG=0 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -disable-output %s 2>&1)"
; RUN: test "$(AFL_DEBUG=1 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage,afl-coverage -disable-output %s 2>&1 | wc -l)" -eq 1
; RUN: echo 'declare void @g()' > %t.decl.ll
; RUN: test -z "$(AFL_DEBUG=1 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -disable-output %t.decl.ll 2>&1)"

source_filename = "report.c"

; DEBUG: afl-llvm-pass: Instrumented 1 locations (NeverZero counters, ratio 100%){{$}}
; WRAPPING: afl-llvm-pass: Instrumented 1 locations (wrapping counters, ratio 100%){{$}}
; NONE: afl-llvm-pass: Instrumented 0 locations (NeverZero counters, ratio 1%): AFL_INST_RATIO skipped all 1 blocks; raise it to get coverage

define void @f() {
  ret void
}
