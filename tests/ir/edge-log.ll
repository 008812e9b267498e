; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; LOP_EDGE_LOG=FILE appends the static intra-procedural edges of the classic
; map, one line "BYTE CUR_P CUR_B P B FUNCTION MODULE" each: exactly the
; counters placed at a constant map byte, one per block B (position after
; critical edges are split) whose only predecessor P branches. BYTE is
; (CUR_P >> 1) ^ CUR_B, the constant index in B's update; P need not have
; a counter of its own (the implied join of @diamond is P for its two
; exits); loop back edges and the self loop count on their split edges. No
; line for an entry block (its byte is read at run time) nor for a landing
; pad reached from two invokes (its byte is its own CUR_B).
; Eight compiles appending to one file at once leave every line whole and
; each function's lines together (one write per function: @big0 and @big1
; have as many lines each, and every run of one function's lines in the
; shared file is a whole number of those). A
; file that cannot be opened or written is one compiler error.
; RUN: rm -f %t.log
; RUN: LOP_EDGE_LOG=%t.log AFL_LLVM_NO_REGISTER_CACHE=1 %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -S %s -o %t.ll
; RUN: %FileCheck %s --check-prefix=LOG --match-full-lines < %t.log
; RUN: test "$(wc -l < %t.log)" -eq 11
; RUN: while read -r byte p b rest; do test "$byte" -eq $(((p >> 1) ^ b)) || exit 1; \
; RUN:   done < %t.log
; The log is the code's constant counters (FUNCTION P B BYTE, P read from
; the IR's predecessor lists), and CUR_P of an entry is its xor constant.
; RUN: %S/static-edges.sh %t.ll | sort > %t.code
; RUN: awk '{ print $6, $4, $5, $1 }' %t.log | sort | diff - %t.code
; RUN: awk 'FNR == NR { if (/^define/) { match($0, /@[a-z_]+\(/); f = substr($0, RSTART + 1, RLENGTH - 2) } \
; RUN:   if (/xor i32 %[0-9]+, [0-9]+$/ && !(f in cur)) cur[f] = $NF; next } \
; RUN:   $4 == 0 { n++; if (cur[$6] != $2) bad = 1 } END { exit bad || n != 3 }' %t.ll %t.log
; RUN: LOP_EDGE_LOG=%t.log %opt -load-pass-plugin %plugin -passes=afl-coverage \
; RUN:   -disable-output %s
; RUN: test "$(wc -l < %t.log)" -eq 22
;
; RUN: awk 'BEGIN { for (f = 0; f < 2; f++) { \
; RUN:   printf "define void @big%d(i1 %%c) {\nentry:\n  br label %%b0\n", f; \
; RUN:   for (i = 0; i < 3000; i++) printf "b%d:\n  br i1 %%c, label %%b%d, label %%out\n", i, i + 1; \
; RUN:   printf "b3000:\n  br label %%out\nout:\n  ret void\n}\n" } }' > %t.big.ll
; RUN: rm -f %t.one.log %t.par.log
; RUN: LOP_EDGE_LOG=%t.one.log %opt -load-pass-plugin %plugin -passes=afl-coverage \
; RUN:   -disable-output %t.big.ll
; RUN: test "$(wc -l < %t.one.log)" -gt 5000
; RUN: for i in 1 2 3 4 5 6 7 8; do LOP_EDGE_LOG=%t.par.log %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -disable-output %t.big.ll & done; wait
; RUN: sort %t.one.log > %t.one.sorted
; RUN: sort -u %t.par.log | diff - %t.one.sorted
; RUN: test -z "$(sort %t.par.log | uniq -c | awk '$1 != 8')"
; RUN: test "$(wc -l < %t.par.log)" -eq $((8 * $(wc -l < %t.one.log)))
; RUN: n=$(grep -c ' big0 ' %t.one.log); test "$n" -eq "$(grep -c ' big1 ' %t.one.log)" && \
; RUN:   test -z "$(awk '{ print $6 }' %t.par.log | uniq -c | awk -v n=$n '$1 % n')"
;
; RUN: LOP_EDGE_LOG=%t.nodir/edges %not %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -disable-output %s 2>&1 | %FileCheck %s --check-prefix=NODIR
; RUN: mkdir -p %t.dir && LOP_EDGE_LOG=%t.dir %not %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -disable-output %s 2>&1 | %FileCheck %s --check-prefix=ISDIR
; RUN: LOP_EDGE_LOG=/dev/full %not %opt -load-pass-plugin %plugin \
; RUN:   -passes=afl-coverage -disable-output %s 2> %t.full.err
; RUN: %FileCheck %s --check-prefix=FULL < %t.full.err
; RUN: test "$(wc -l < %t.full.err)" -eq 1

; NODIR: error: afl-llvm-pass: LOP_EDGE_LOG={{.*}}.nodir/edges cannot be opened for appending (No such file or directory); name a writable file or unset it
; NODIR-NOT: PLEASE
; ISDIR: error: afl-llvm-pass: LOP_EDGE_LOG={{.*}}.dir cannot be opened for appending (Is a directory); name a writable file or unset it
; FULL: error: afl-llvm-pass: cannot append to LOP_EDGE_LOG=/dev/full: No space left on device; name a writable file or unset it

source_filename = "edge-log.c"

declare i32 @__gxx_personality_v0(...)
declare void @may_throw()

; LOG:      29851 16831 21572 0 1 diamond edge-log.c
; LOG-NEXT: 43382 16831 35241 0 2 diamond edge-log.c
; LOG-NEXT: 51057 24993 63393 3 4 diamond edge-log.c
; LOG-NEXT: 41955 24993 37683 3 5 diamond edge-log.c
define i32 @diamond(i1 %c, i1 %d) {
entry:
  br i1 %c, label %then, label %else
then:
  br label %join
else:
  br label %join
join:
  br i1 %d, label %one, label %two
one:
  ret i32 1
two:
  ret i32 2
}

; After the split: entry 0, head 1, head.exit_crit_edge 2, body 3,
; body.exit_crit_edge 4, body.head_crit_edge 5 (the back edge), exit 6.
; body branches only to blocks it alone enters, so head -> body has no
; counter of its own (body's successors count it) and no line.
; LOG-NEXT: 55399 17803 64162 1 2 loop edge-log.c
; LOG-NEXT: 35690 26452 47296 3 4 loop edge-log.c
; LOG-NEXT: 47766 26452 35132 3 5 loop edge-log.c
define i32 @loop(i32 %n) {
entry:
  br label %head
head:
  %i = phi i32 [ 0, %entry ], [ %next, %body ]
  %more = icmp slt i32 %i, %n
  br i1 %more, label %body, label %exit
body:
  %next = add i32 %i, 1
  %again = icmp slt i32 %next, 100
  br i1 %again, label %head, label %exit
exit:
  ret i32 %i
}

; entry 0, spin 1, spin.spin_crit_edge 2 (the self loop), done 3.
; LOG-NEXT: 51898 55598 42541 1 2 self edge-log.c
; LOG-NEXT: 65367 55598 37824 1 3 self edge-log.c
define void @self(i1 %c) {
entry:
  br label %spin
spin:
  br i1 %c, label %spin, label %done
done:
  ret void
}

; entry 0, second 1, ok 2; lpad (3) has two predecessors: no line.
; LOG-NEXT: {{[0-9]+}} {{[0-9]+}} {{[0-9]+}} 0 1 pads edge-log.c
; LOG-NEXT: {{[0-9]+}} {{[0-9]+}} {{[0-9]+}} 1 2 pads edge-log.c
; LOG-NOT:  pads
define i32 @pads() personality i8* bitcast (i32 (...)* @__gxx_personality_v0 to i8*) {
entry:
  invoke void @may_throw() to label %second unwind label %lpad
second:
  invoke void @may_throw() to label %ok unwind label %lpad
ok:
  ret i32 0
lpad:
  %lp = landingpad { i8*, i32 } cleanup
  ret i32 1
}

; A function whose only counter is its entry has no edge.
define void @straight() {
  ret void
}
