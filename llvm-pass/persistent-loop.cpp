/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Keeps the persistent loop's call from being copied (see
 * persistent-loop.h).
 */
#include "persistent-loop.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/InstrTypes.h"

using namespace llvm;

namespace {

/// Marks every call whose callee is V, directly or through pointer casts
/// (a constant cast of the function is its own user). Returns true when a
/// call was not marked before.
bool markCallsOf(Value &V) {
  bool Changed = false;
  for (User *U : V.users()) {
    if (auto *Call = dyn_cast<CallBase>(U)) {
      if (Call->getCalledOperand()->stripPointerCasts() != &V ||
          Call->cannotDuplicate())
        continue;
      Call->setCannotDuplicate();
      Changed = true;
    } else if (auto *Cast = dyn_cast<ConstantExpr>(U)) {
      if (Cast->isCast())
        Changed |= markCallsOf(*Cast);
    }
  }
  return Changed;
}

} // namespace

bool lop::markPersistentLoopCalls(Module &M) {
  Function *Loop = M.getFunction(PersistentLoopFn);
  if (!Loop)
    return false;
  bool Changed = !Loop->hasFnAttribute(Attribute::NoDuplicate);
  Loop->addFnAttr(Attribute::NoDuplicate);
  return markCallsOf(*Loop) || Changed;
}
