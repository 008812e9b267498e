; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; AFL_LLVM_DICT2FILE: the module's tokens (4- and 8-byte compare and switch
; constants in memory order, not those of -256..255; constant strings
; passed to comparison routines, up to the NUL or the constant length)
; are appended to the file as AFL dictionary lines with \xNN escapes, each
; once, and embedded as [len][bytes] records in a private constant of the
; section lop_autodict, alignment 1, kept by llvm.used. Run twice (LTO
; pre-link and link), the module's tokens are taken once. An unwritable
; path is one clear error.
; RUN: rm -f %t.dict
; RUN: AFL_LLVM_DICT2FILE=%t.dict %opt -load-pass-plugin %plugin -passes=afl-cmplog,afl-cmplog -S %s -o - \
; RUN:   | %FileCheck %s
; RUN: %FileCheck %s --check-prefix=FILE --input-file=%t.dict
; RUN: AFL_LLVM_DICT2FILE=/nonexistent/dir/x.dict %not %opt -load-pass-plugin %plugin -passes=afl-cmplog \
; RUN:   -S %s -o /dev/null 2>&1 | %FileCheck %s --check-prefix=ERR

source_filename = "autodict.c"

@.magic = private constant [6 x i8] c"MAGIC\00"
@.quote = private constant [4 x i8] c"a\22\5C\01"
@.long = private constant [12 x i8] c"0123456789ab"

declare i32 @strcmp(i8*, i8*)
declare i32 @memcmp(i8*, i8*, i64)

; CHECK: @__lop_autodict = private constant [42 x i8] c"\04\0D\F0\ED^\08\88wfUD3\22\11\04\EF\BE\AD\DE\05MAGIC\04a\22\\\01\06012345\04xyz1", section "lop_autodict", align 1
; CHECK: @llvm.used = appending global [1 x {{.*}}@__lop_autodict

; FILE: cmp="\x0d\xf0\xed^"
; FILE-NEXT: cmp="\x88wfUD3\"\x11"
; FILE-NEXT: cmp="\xef\xbe\xad\xde"
; FILE-NEXT: cmp="MAGIC"
; FILE-NEXT: cmp="a\"\\\x01"
; FILE-NEXT: cmp="012345"
; FILE-NEXT: cmp="xyz1"
; FILE-NOT: cmp=

; ERR: error: afl-llvm-pass: AFL_LLVM_DICT2FILE=/nonexistent/dir/x.dict cannot be opened for appending (No such file or directory); name a writable file or unset it
; ERR-NOT: PLEASE

define i32 @f(i32 %x, i64 %y, i8* %s) {
  %c1 = icmp eq i32 %x, 1592651789
  %c2 = icmp ne i64 %y, 1234605616436508552
  %c3 = icmp slt i32 %x, 200
  %c4 = icmp eq i32 %x, -200
  switch i32 %x, label %d [ i32 3735928559, label %a
                            i32 1592651789, label %a
                            i32 7, label %a ]
a:
  %r1 = call i32 @strcmp(i8* %s, i8* getelementptr ([6 x i8], [6 x i8]* @.magic, i64 0, i64 0))
  %r2 = call i32 @memcmp(i8* getelementptr ([4 x i8], [4 x i8]* @.quote, i64 0, i64 0), i8* %s, i64 4)
  %r3 = call i32 @memcmp(i8* %s, i8* getelementptr ([12 x i8], [12 x i8]* @.long, i64 0, i64 0), i64 6)
  %r4 = call i32 @memcmp(i8* %s, i8* getelementptr ([12 x i8], [12 x i8]* @.long, i64 0, i64 0), i64 2)
  ret i32 %r1
d:
  %r5 = call i32 @strcmp(i8* %s, i8* getelementptr ([5 x i8], [5 x i8]* @.xyz, i64 0, i64 0))
  ret i32 0
}

@.xyz = private constant [5 x i8] c"xyz1\00"
