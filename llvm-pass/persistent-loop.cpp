/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Keeps the persistent loop's call from being copied (see
 * persistent-loop.h).
 */
#include "persistent-loop.h"

using namespace llvm;

bool lop::markPersistentLoopCalls(Module &M) {
  Function *Loop = M.getFunction(PersistentLoopFn);
  if (!Loop || Loop->hasFnAttribute(Attribute::NoDuplicate))
    return false;
  Loop->addFnAttr(Attribute::NoDuplicate);
  return true;
}
