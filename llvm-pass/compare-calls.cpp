/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The comparison routines (see compare-calls.h): C routines by name,
 * std::string members and operators by their demangled signature.
 */
#include "compare-calls.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Demangle/Demangle.h"
#include "llvm/IR/Function.h"

#include <string>

using namespace llvm;
using namespace lop;

namespace {

/// The kind of a C comparison routine by name: the C library's, its
/// constant-time variants, and the wrappers of libxml2, GLib, curl,
/// OpenSSL and APR that programs call instead.
CompareCallKind kindByName(StringRef Name) {
  using K = CompareCallKind;
  return StringSwitch<K>(Name)
      .Cases("memcmp", "bcmp", "CRYPTO_memcmp", "OPENSSL_memcmp", K::Memory)
      .Cases("memcmp_const_time", "memcmpct", "timingsafe_bcmp",
             "timingsafe_memcmp", K::Memory)
      .Cases("strcmp", "strcasecmp", "strcoll", "stricmp", "_stricmp",
             K::String)
      .Cases("xmlStrcmp", "xmlStrEqual", "xmlStrcasecmp", "g_strcmp0",
             "g_strcasecmp", K::String)
      .Cases("g_ascii_strcasecmp", "curl_strequal", "Curl_strcasecompare",
             "ap_cstr_casecmp", "OPENSSL_strcasecmp", K::String)
      .Cases("strncmp", "strncasecmp", "strnicmp", "_strnicmp", "xmlStrncmp",
             K::StringN)
      .Cases("xmlStrncasecmp", "g_ascii_strncasecmp", "g_strncasecmp",
             "curl_strnequal", "Curl_strncasecompare", K::StringN)
      .Cases("ap_cstr_casecmpn", "OPENSSL_strncasecmp", K::StringN)
      .Default(K::None);
}

/// Splits the parameter list of a demangled signature (the last
/// parenthesised group) at its top-level commas into Params. False when
/// the text has no such group.
bool demangledParams(StringRef Text, SmallVectorImpl<StringRef> &Params) {
  size_t Close = Text.rfind(')');
  if (Close == StringRef::npos)
    return false;
  int Depth = 0;
  size_t Open = Close;
  while (Open-- > 0) {
    char C = Text[Open];
    Depth += (C == ')') - (C == '(');
    if (Depth < 0)
      break;
  }
  if (Open == StringRef::npos || Depth >= 0)
    return false;
  StringRef List = Text.slice(Open + 1, Close);
  size_t Start = 0;
  Depth = 0;
  for (size_t I = 0; I <= List.size(); ++I) {
    char C = I < List.size() ? List[I] : ',';
    Depth += (C == '<' || C == '(') - (C == '>' || C == ')');
    if (C == ',' && Depth == 0) {
      Params.push_back(List.slice(Start, I).trim());
      Start = I + 1;
    }
  }
  return true;
}

bool isCString(StringRef Param) { return Param == "char const*"; }

bool isStdString(StringRef Param) {
  return Param.contains("basic_string<char,") && Param.take_back(6) == "const&";
}

/// The kind of a libstdc++ std::string compare(const char *), compare(const
/// string &) or operator== between a string and a string or C string, from
/// the demangled name. Swap is set when the C string comes first.
CompareCallKind stdStringKind(StringRef Mangled, bool &Swap) {
  using K = CompareCallKind;
  Swap = false;
  if (Mangled.take_front(2) != "_Z" || !Mangled.contains("basic_string"))
    return K::None;
  std::string Text = demangle(Mangled.str());
  StringRef Name(Text);
  SmallVector<StringRef, 4> P;
  if (!demangledParams(Name, P))
    return K::None;
  if (Name.contains("basic_string<char,") && Name.contains("::compare(") &&
      P.size() == 1)
    return isCString(P[0])     ? K::StdString
           : isStdString(P[0]) ? K::StdStringPair
                               : K::None;
  if (!Name.contains("std::operator==") || P.size() != 2)
    return K::None;
  if (isStdString(P[0]) && isStdString(P[1]))
    return K::StdStringPair;
  if (isStdString(P[0]) && isCString(P[1]))
    return K::StdString;
  Swap = isCString(P[0]) && isStdString(P[1]);
  return Swap ? K::StdString : K::None;
}

/// True when Call's arguments fit Kind: pointer operands, and an integer
/// length where Kind has one.
bool argumentsFit(const CallBase &Call, CompareCallKind Kind) {
  using K = CompareCallKind;
  bool HasLen = Kind == K::Memory || Kind == K::StringN;
  if (Call.arg_size() < (HasLen ? 3u : 2u))
    return false;
  if (!Call.getArgOperand(0)->getType()->isPointerTy() ||
      !Call.getArgOperand(1)->getType()->isPointerTy())
    return false;
  return !HasLen || Call.getArgOperand(2)->getType()->isIntegerTy();
}

} // namespace

CompareCall lop::classifyCompareCall(CallBase &Call) {
  CompareCall R;
  Function *Callee = Call.getCalledFunction();
  if (!Callee || Call.isInlineAsm())
    return R;
  bool Swap = false;
  CompareCallKind Kind = kindByName(Callee->getName());
  if (Kind == CompareCallKind::None)
    Kind = stdStringKind(Callee->getName(), Swap);
  if (Kind == CompareCallKind::None || !argumentsFit(Call, Kind))
    return R;
  R.Kind = Kind;
  R.A = Call.getArgOperand(Swap ? 1 : 0);
  R.B = Call.getArgOperand(Swap ? 0 : 1);
  if (Kind == CompareCallKind::Memory || Kind == CompareCallKind::StringN)
    R.N = Call.getArgOperand(2);
  return R;
}
