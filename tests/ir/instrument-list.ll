; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; AFL_LLVM_ALLOWLIST / AFL_LLVM_DENYLIST in AFL++'s format. Entries are
; suffix globs; fun:/function: match the mangled name, the demangled name
; and the demangled name without parameters; src:/source: match the source
; path as given to the compiler (here "lib/dir/instrument-list.c") and the
; file of the function's debug info; an entry without prefix is a file
; when it holds '/' or '.', else a function; '#' lines, blank lines and
; whitespace inside entries are ignored. A denied function, or one an
; allowlist does not name, gets no counter (and `nosanitize_coverage`),
; and laf leaves its compares alone; a deny entry wins over an allow entry.
;
; Deny by mangled name, by demangled name with and without parameters,
; by glob ([ab]ar, f?o), old one-name-per-line form:
; RUN: printf '# comment\n\n  fun: _Z3bazv\nfunction:ns::qux\nfun:ns::quux(int)\n' >%t.deny1
; RUN: printf 'fun:[ab]ar\nf?o_old\n' >>%t.deny1
; RUN: AFL_LLVM_DENYLIST=%t.deny1 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s | %FileCheck %s --check-prefix=DENY-FUN
; Deny by source path suffix: nothing of the module is instrumented; by a
; header the debug info names: only the function defined there is skipped.
; RUN: printf 'src:dir/instrument-list.c\n' >%t.deny2
; RUN: AFL_LLVM_DENYLIST=%t.deny2 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s | %FileCheck %s --check-prefix=DENY-SRC
; RUN: printf 'source: in*.h\n' >%t.deny3
; RUN: AFL_LLVM_DENYLIST=%t.deny3 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s | %FileCheck %s --check-prefix=DENY-HDR
; Allow one function (old form) and, separately, the whole file:
; RUN: printf 'main\n' >%t.allow1
; RUN: AFL_LLVM_ALLOWLIST=%t.allow1 AFL_LLVM_LAF_ALL=1 %opt -load-pass-plugin \
; RUN:   %plugin -passes=afl-coverage -S %s | %FileCheck %s --check-prefix=ALLOW-FUN
; RUN: printf 'lib/*/instrument-list.c\n' >%t.allow2
; RUN: AFL_LLVM_ALLOWLIST=%t.allow2 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s | %FileCheck %s --check-prefix=ALLOW-SRC
; RUN: printf 'src:other.c\n' >%t.allow3
; RUN: AFL_LLVM_ALLOWLIST=%t.allow3 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s | %FileCheck %s --check-prefix=ALLOW-NONE
; Deny wins: the file is allowed, main denied.
; RUN: printf 'fun:main\n' >%t.deny4
; RUN: AFL_LLVM_ALLOWLIST=%t.allow2 AFL_LLVM_DENYLIST=%t.deny4 %opt \
; RUN:   -load-pass-plugin %plugin -passes=afl-coverage -S %s \
; RUN:   | %FileCheck %s --check-prefix=BOTH
; An empty list file denies nothing; as an allowlist it allows nothing.
; RUN: : >%t.empty
; RUN: AFL_LLVM_DENYLIST=%t.empty %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s | %FileCheck %s --check-prefix=ALLOW-SRC

source_filename = "lib/dir/instrument-list.c"

; DENY-FUN-LABEL: define i32 @main(
; DENY-FUN-NEXT:  load {{.*}} @__afl_area_ptr
; DENY-FUN-LABEL: define void @_Z3bazv()
; DENY-FUN-SAME:  #[[OFF:[0-9]+]]
; DENY-FUN-NOT:   @__afl_area_ptr
; DENY-FUN-LABEL: define void @_ZN2ns3quxEv()
; DENY-FUN-SAME:  #[[OFF]]
; DENY-FUN-NOT:   @__afl_area_ptr
; DENY-FUN-LABEL: define void @_ZN2ns4quuxEi(i32 %x)
; DENY-FUN-SAME:  #[[OFF]]
; DENY-FUN-NOT:   @__afl_area_ptr
; DENY-FUN-LABEL: define void @bar()
; DENY-FUN-SAME:  #[[OFF]]
; DENY-FUN-NOT:   @__afl_area_ptr
; DENY-FUN-LABEL: define void @car()
; DENY-FUN-NEXT:  load {{.*}} @__afl_area_ptr
; DENY-FUN-LABEL: define void @foo_old()
; DENY-FUN-SAME:  #[[OFF]]
; DENY-FUN-NOT:   @__afl_area_ptr
; DENY-FUN-LABEL: define void @in_header(
; DENY-FUN-NEXT:  load {{.*}} @__afl_area_ptr
; DENY-FUN:       attributes #[[OFF]] = { nosanitize_coverage }

; DENY-SRC-NOT:   @__afl_area_ptr

; DENY-HDR-LABEL: define i32 @main(
; DENY-HDR-NEXT:  load {{.*}} @__afl_area_ptr
; DENY-HDR-LABEL: define void @in_header(
; DENY-HDR-NOT:   @__afl_area_ptr
; DENY-HDR:       ret void

; ALLOW-FUN-LABEL: define i32 @main(
; ALLOW-FUN-NEXT:  load {{.*}} @__afl_area_ptr
; ALLOW-FUN:       laf.cmp
; ALLOW-FUN-LABEL: define void @_Z3bazv()
; ALLOW-FUN-NOT:   @__afl_area_ptr
; ALLOW-FUN-LABEL: define void @car()
; ALLOW-FUN-NOT:   @__afl_area_ptr
; ALLOW-FUN-LABEL: define void @in_header(
; ALLOW-FUN-NEXT:  %c = icmp eq i32 %x, 5
; ALLOW-FUN-NOT:   @__afl_area_ptr

; ALLOW-SRC-LABEL: define i32 @main(
; ALLOW-SRC-NEXT:  load {{.*}} @__afl_area_ptr
; ALLOW-SRC-LABEL: define void @_Z3bazv()
; ALLOW-SRC-NEXT:  load {{.*}} @__afl_area_ptr
; ALLOW-SRC-LABEL: define void @in_header(
; ALLOW-SRC-NEXT:  load {{.*}} @__afl_area_ptr

; ALLOW-NONE-NOT:  @__afl_area_ptr

; BOTH-LABEL: define i32 @main(
; BOTH-NOT:   @__afl_area_ptr
; BOTH-LABEL: define void @_Z3bazv()
; BOTH-NEXT:  load {{.*}} @__afl_area_ptr

define i32 @main(i32 %x) {
  %c = icmp eq i32 %x, 1592651789
  %r = zext i1 %c to i32
  ret i32 %r
}

define void @_Z3bazv() {
  ret void
}

define void @_ZN2ns3quxEv() {
  ret void
}

define void @_ZN2ns4quuxEi(i32 %x) {
  ret void
}

define void @bar() {
  ret void
}

define void @car() {
  ret void
}

define void @foo_old() {
  ret void
}

define void @in_header(i32 %x) !dbg !5 {
  %c = icmp eq i32 %x, 5
  ret void
}

!llvm.dbg.cu = !{!0}
!llvm.module.flags = !{!3, !4}
!0 = distinct !DICompileUnit(language: DW_LANG_C99, file: !1, producer: "clang", isOptimized: false, runtimeVersion: 0, emissionKind: FullDebug)
!1 = !DIFile(filename: "lib/dir/instrument-list.c", directory: "/src")
!2 = !DIFile(filename: "include/inline.h", directory: "/src")
!3 = !{i32 2, !"Debug Info Version", i32 3}
!4 = !{i32 7, !"Dwarf Version", i32 5}
!5 = distinct !DISubprogram(name: "in_header", scope: !2, file: !2, line: 1, type: !6, unit: !0, spFlags: DISPFlagDefinition)
!6 = !DISubroutineType(types: !7)
!7 = !{null}
