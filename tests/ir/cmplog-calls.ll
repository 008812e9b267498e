; lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
; CmpLog on calls to comparison routines: memcmp-like calls log n bytes of
; both operands, strcmp-like calls the two strings, strncmp-like calls the
; strings up to n (the length widened to size_t); libstdc++'s std::string
; compare(const char *) and operator== (in either order: the std::string
; always goes first) log through the std::string hooks. Indirect calls and
; other functions are left alone. Run twice (LTO pre-link and link), the
; pass logs each call once.
; RUN: AFL_LLVM_CMPLOG=1 %opt -load-pass-plugin %plugin -passes=afl-cmplog -S %s -o - | %FileCheck %s
; RUN: AFL_LLVM_CMPLOG=1 %opt -load-pass-plugin %plugin -passes=afl-cmplog,afl-cmplog -S %s -o - \
; RUN:   | %FileCheck %s --check-prefix=ONCE

source_filename = "cmplog-calls.cpp"

%"class.std::__cxx11::basic_string" = type { i8*, i64, [16 x i8] }

@.str = private constant [6 x i8] c"token\00"

declare i32 @memcmp(i8*, i8*, i64)
declare i32 @bcmp(i8*, i8*, i64)
declare i32 @strcmp(i8*, i8*)
declare i32 @strncmp(i8*, i8*, i32)
declare i32 @strcasecmp(i8*, i8*)
declare i32 @xmlStrcmp(i8*, i8*)
declare i32 @not_a_compare(i8*, i8*)
declare i32 @_ZNKSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE7compareEPKc(%"class.std::__cxx11::basic_string"*, i8*)
declare zeroext i1 @_ZSteqIcSt11char_traitsIcESaIcEEbPKT_RKNSt7__cxx1112basic_stringIS3_T0_T1_EE(i8*, %"class.std::__cxx11::basic_string"*)
declare zeroext i1 @_ZSteqIcSt11char_traitsIcESaIcEEbRKNSt7__cxx1112basic_stringIT_T0_T1_EESA_(%"class.std::__cxx11::basic_string"*, %"class.std::__cxx11::basic_string"*)

define void @calls(i8* %a, i8* %b, i64 %n, i32 %m, i32 (i8*, i8*)* %fp, %"class.std::__cxx11::basic_string"* %s, %"class.std::__cxx11::basic_string"* %t) {
; CHECK-LABEL: define void @calls(
; CHECK: call void @__afl_cmplog_rtn_hook_n({{ptr|i8\*}} %a, {{ptr|i8\*}} %b, i64 %n)
; CHECK-NEXT: br label
; CHECK: call i32 @memcmp(
; CHECK: call void @__afl_cmplog_rtn_hook_n({{ptr|i8\*}} %a, {{ptr|i8\*}} %b, i64 16)
; CHECK: call i32 @bcmp(
; CHECK: call void @__afl_cmplog_rtn_hook_str({{ptr|i8\*}} %a, {{ptr|i8\*}} {{getelementptr|@.str}}
; CHECK: call i32 @strcmp(
; CHECK: [[N:%[0-9]+]] = zext i32 %m to i64
; CHECK-NEXT: call void @__afl_cmplog_rtn_hook_strn({{ptr|i8\*}} %a, {{ptr|i8\*}} %b, i64 [[N]])
; CHECK: call i32 @strncmp(
; CHECK: call void @__afl_cmplog_rtn_hook_str({{ptr|i8\*}} %b, {{ptr|i8\*}} %a)
; CHECK: call i32 @strcasecmp(
; CHECK: call void @__afl_cmplog_rtn_hook_str({{ptr|i8\*}} %a, {{ptr|i8\*}} %a)
; CHECK: call i32 @xmlStrcmp(
; CHECK-NOT: call void @__afl_cmplog
; CHECK: call i32 @not_a_compare(
; CHECK-NOT: call void @__afl_cmplog
; CHECK: call i32 %fp(
; CHECK: call void @__afl_cmplog_rtn_stdstring_cstr({{ptr|i8\*}} {{%s|%[0-9]+}}, {{ptr|i8\*}} %a)
; CHECK: call i32 @_ZNKSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE7compareEPKc(
; CHECK: call void @__afl_cmplog_rtn_stdstring_cstr({{ptr|i8\*}} {{%t|%[0-9]+}}, {{ptr|i8\*}} %b)
; CHECK: call zeroext i1 @_ZSteqIcSt11char_traitsIcESaIcEEbPKT_RKNSt7__cxx1112basic_stringIS3_T0_T1_EE(
; CHECK: call void @__afl_cmplog_rtn_stdstring_stdstring({{ptr|i8\*}} {{%s|%[0-9]+}}, {{ptr|i8\*}} {{%t|%[0-9]+}})
; CHECK: call zeroext i1 @_ZSteqIcSt11char_traitsIcESaIcEEbRKNSt7__cxx1112basic_stringIT_T0_T1_EESA_(
; ONCE-COUNT-9: call void @__afl_cmplog_rtn
; ONCE-NOT: call void @__afl_cmplog_rtn
  %r1 = call i32 @memcmp(i8* %a, i8* %b, i64 %n)
  %r2 = call i32 @bcmp(i8* %a, i8* %b, i64 16)
  %r3 = call i32 @strcmp(i8* %a, i8* getelementptr ([6 x i8], [6 x i8]* @.str, i64 0, i64 0))
  %r4 = call i32 @strncmp(i8* %a, i8* %b, i32 %m)
  %r5 = call i32 @strcasecmp(i8* %b, i8* %a)
  %r6 = call i32 @xmlStrcmp(i8* %a, i8* %a)
  %r7 = call i32 @not_a_compare(i8* %a, i8* %b)
  %r8 = call i32 %fp(i8* %a, i8* %b)
  %r9 = call i32 @_ZNKSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE7compareEPKc(%"class.std::__cxx11::basic_string"* %s, i8* %a)
  %r10 = call zeroext i1 @_ZSteqIcSt11char_traitsIcESaIcEEbPKT_RKNSt7__cxx1112basic_stringIS3_T0_T1_EE(i8* %b, %"class.std::__cxx11::basic_string"* %t)
  %r11 = call zeroext i1 @_ZSteqIcSt11char_traitsIcESaIcEEbRKNSt7__cxx1112basic_stringIT_T0_T1_EESA_(%"class.std::__cxx11::basic_string"* %s, %"class.std::__cxx11::basic_string"* %t)
  ret void
}
