/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Every difference between the LLVM versions lop builds against (14 to 19)
 * lives here, so the pass itself reads the same for all of them.
 */
#ifndef LOP_PASS_COMPAT_H
#define LOP_PASS_COMPAT_H

#include "llvm/Analysis/ValueTracking.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Type.h"

#if LLVM_VERSION_MAJOR < 14
#error "lop's pass needs LLVM 14 or newer"
#endif

namespace lop {

/// The type of a `uint8_t *`: `i8*` where pointers are typed (the LLVM 14
/// default), plain `ptr` where they are opaque (15 and newer).
inline llvm::PointerType *bytePtrType(llvm::LLVMContext &C) {
  return llvm::PointerType::getUnqual(llvm::Type::getInt8Ty(C));
}

/// The bytes of the constant string V points to (cut at its first NUL when
/// TrimAtNul), as llvm::getConstantStringInfo, which lost its Offset
/// parameter in LLVM 16.
inline bool constantString(const llvm::Value *V, llvm::StringRef &Str,
                           bool TrimAtNul) {
#if LLVM_VERSION_MAJOR >= 16
  return llvm::getConstantStringInfo(V, Str, TrimAtNul);
#else
  return llvm::getConstantStringInfo(V, Str, 0, TrimAtNul);
#endif
}

} // namespace lop

/* LLVM 15 added an extension point at the end of the full-LTO link
   pipeline; with it, a plugin loaded by the linker (-Wl,--load-pass-plugin)
   also instruments modules that reached the link uninstrumented. */
#if LLVM_VERSION_MAJOR >= 15
#define LOP_HAVE_FULL_LTO_LAST_EP 1
#else
#define LOP_HAVE_FULL_LTO_LAST_EP 0
#endif

#endif // LOP_PASS_COMPAT_H
