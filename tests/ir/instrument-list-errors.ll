; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; A list that cannot be read or that has a line that cannot be parsed is
; one error naming the variable, the file and (for a bad line) the line,
; saying what to do, and a non-zero exit; no crash report, and nothing is
; instrumented half. The pass run alone (afl-instrument-list) reports the
; same.
; RUN: AFL_LLVM_ALLOWLIST=%t.missing %not %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o /dev/null 2>&1 \
; RUN:   | %FileCheck %s --check-prefix=MISSING -DFILE=%t.missing
; RUN: mkdir -p %t.dir
; RUN: AFL_LLVM_DENYLIST=%t.dir %not %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o /dev/null 2>&1 \
; RUN:   | %FileCheck %s --check-prefix=DIR -DFILE=%t.dir
; RUN: printf '# ok\nfun:main\nfunc:main\n' >%t.prefix
; RUN: AFL_LLVM_ALLOWLIST=%t.prefix %not %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o /dev/null 2>&1 \
; RUN:   | %FileCheck %s --check-prefix=PREFIX -DFILE=%t.prefix
; RUN: printf 'src:a.c\n\nfun:  \n' >%t.empty-entry
; RUN: AFL_LLVM_DENYLIST=%t.empty-entry %not %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-instrument-list -S %s -o /dev/null 2>&1 \
; RUN:   | %FileCheck %s --check-prefix=EMPTY -DFILE=%t.empty-entry
; RUN: printf 'fun:f[ab\n' >%t.bracket
; RUN: AFL_LLVM_DENYLIST=%t.bracket %not %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o /dev/null 2>&1 \
; RUN:   | %FileCheck %s --check-prefix=BRACKET -DFILE=%t.bracket
; Good lists parse: C++ names with '::' have no prefix, a leading ']' or
; '!' in a set is fine.
; RUN: printf 'ns::f\nfun:[]x]y\nfun:[!a]b\nsrc:C++/x.cc\n' >%t.good
; RUN: AFL_LLVM_DENYLIST=%t.good %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o /dev/null

source_filename = "instrument-list-errors.c"

; MISSING: error: afl-llvm-pass: AFL_LLVM_ALLOWLIST=[[FILE]] cannot be read (No such file or directory); name a readable list file or unset it
; MISSING-NOT: PLEASE
; DIR: error: afl-llvm-pass: AFL_LLVM_DENYLIST=[[FILE]] cannot be read (it is a directory); name a readable list file or unset it
; PREFIX: error: afl-llvm-pass: [[FILE]]:3: unknown prefix 'func:' in 'func:main'; write fun:NAME for a function or src:PATH for a source file (AFL_LLVM_ALLOWLIST)
; PREFIX-NOT: PLEASE
; EMPTY: error: afl-llvm-pass: [[FILE]]:3: 'fun:' names nothing; write a name or glob after it (AFL_LLVM_DENYLIST)
; BRACKET: error: afl-llvm-pass: [[FILE]]:1: 'fun:f[ab' has a [ without its ]; close the set or write \[ (AFL_LLVM_DENYLIST)

define i32 @main() {
  ret i32 0
}
