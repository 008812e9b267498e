; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; What clang runs (-passes=afl-coverage stands for it): without laf
; variables nothing is split; AFL_LLVM_LAF_ALL runs all four laf passes
; before the coverage pass, so the edges out of the byte chains carry
; counters; each
; variable alone runs its own pass only. A bad
; AFL_LLVM_LAF_SPLIT_COMPARES_BITW is one clear error and a non-zero exit.
; RUN: %opt -load-pass-plugin %plugin -passes=afl-coverage -S %s \
; RUN:   | %FileCheck %s --check-prefix=NONE
; RUN: AFL_LLVM_LAF_ALL=1 %opt -load-pass-plugin %plugin -passes=afl-coverage \
; RUN:   -S %s | %FileCheck %s --check-prefix=ALL
; RUN: AFL_LLVM_LAF_ALL=0 %opt -load-pass-plugin %plugin -passes=afl-coverage \
; RUN:   -S %s | %FileCheck %s --check-prefix=NONE
; RUN: AFL_LLVM_LAF_SPLIT_COMPARES=1 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s | %FileCheck %s --check-prefix=CMP
; RUN: AFL_LLVM_LAF_SPLIT_SWITCHES=1 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s | %FileCheck %s --check-prefix=SW
; RUN: AFL_LLVM_LAF_TRANSFORM_COMPARES=1 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s | %FileCheck %s --check-prefix=STR
; RUN: AFL_LLVM_LAF_SPLIT_FLOATS=1 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s | %FileCheck %s --check-prefix=FLT
; RUN: AFL_LLVM_LAF_ALL=1 AFL_LLVM_LAF_SPLIT_COMPARES_BITW=32 %opt \
; RUN:   -load-pass-plugin %plugin -passes=afl-coverage -S %s \
; RUN:   | %FileCheck %s --check-prefix=W32
; RUN: AFL_LLVM_LAF_ALL=1 AFL_LLVM_LAF_SPLIT_COMPARES_BITW=12 %not %opt \
; RUN:   -load-pass-plugin %plugin -passes=afl-coverage -S %s -o /dev/null 2>&1 \
; RUN:   | %FileCheck %s --check-prefix=BAD
; RUN: AFL_LLVM_LAF_SPLIT_COMPARES_BITW=wide %not %opt -load-pass-plugin \
; RUN:   %plugin -passes=afl-split-compares -S %s -o /dev/null 2>&1 \
; RUN:   | %FileCheck %s --check-prefix=BAD-WORD

source_filename = "laf-env.c"

@.s = private unnamed_addr constant [4 x i8] c"abc\00"
declare i32 @strcmp(i8*, i8*)

; NONE-LABEL: define i32 @f(
; NONE:       icmp eq i64 %x, 1234605616436508552
; NONE:       switch i32
; NONE:       call i32 @strcmp(
; NONE:       fcmp olt double
; NONE-NOT:   laf.

; ALL-LABEL:  define i32 @f(
; ALL-NOT:    icmp eq i64
; ALL-NOT:    switch i32
; ALL-NOT:    call i32 @strcmp(
; ALL:        laf.cmp.laf.cmp.end_crit_edge:
; ALL-NEXT:   getelementptr i8
; ALL-NEXT:   load i8
; ALL-NEXT:   call { i8, i1 } @llvm.uadd.with.overflow.i8
; ALL:        laf.switch
; ALL:        laf.str
; ALL:        fcmp uno double
; ALL-NOT:    icmp {{.*}} i64

; CMP-LABEL:  define i32 @f(
; CMP:        icmp eq i8
; CMP:        switch i32
; CMP:        call i32 @strcmp(
; CMP:        fcmp olt double

; SW-LABEL:   define i32 @f(
; SW:         icmp eq i64 %x,
; SW-NOT:     switch i32
; SW:         call i32 @strcmp(
; SW:         fcmp olt double

; STR-LABEL:  define i32 @f(
; STR:        icmp eq i64 %x,
; STR:        switch i32
; STR-NOT:    call i32 @strcmp(
; STR:        fcmp olt double

; FLT-LABEL:  define i32 @f(
; FLT:        switch i32
; FLT:        call i32 @strcmp(
; FLT-NOT:    fcmp olt double
; FLT:        fcmp uno double
; FLT:        icmp ult i64

; W32-LABEL:  define i32 @f(
; W32:        icmp eq i32 {{.*}}, 287454020
; W32:        icmp eq i32 {{.*}}, 1432778632

; BAD: error: afl-llvm-pass: AFL_LLVM_LAF_SPLIT_COMPARES_BITW=12 is not a width to split compares into; use 8, 16 or 32
; BAD-NOT: PLEASE
; BAD-WORD: error: afl-llvm-pass: AFL_LLVM_LAF_SPLIT_COMPARES_BITW=wide is not a width

define i32 @f(i64 %x, i32 %y, i8* %s, double %d) {
entry:
  %c = icmp eq i64 %x, 1234605616436508552 ; 0x1122334455667788
  br i1 %c, label %yes, label %sw
yes:
  ret i32 1
sw:
  switch i32 %y, label %str [
    i32 305419896, label %yes
  ]
str:
  %r = call i32 @strcmp(i8* %s, i8* getelementptr inbounds ([4 x i8], [4 x i8]* @.s, i64 0, i64 0))
  %z = icmp eq i32 %r, 0
  br i1 %z, label %yes, label %flt
flt:
  %lt = fcmp olt double %d, 2.5
  %v = zext i1 %lt to i32
  ret i32 %v
}
