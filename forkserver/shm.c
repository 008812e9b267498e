/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * SysV shared memory segments for the coverage map and the testcase buffer:
 * private, 0600, registered with the cleanup registry from the moment they
 * exist so that no exit path can leak one.
 */
#include "forkserver.h"

#include <errno.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/shm.h>

/* The registry's signals are held back from shmget until the segment is
   registered, so no signal can land in between and leak it; it is
   registered before it is attached, so even a failing shmat cannot leave
   it behind. A registry that cannot grow gives ENOMEM. */
int fsrv_shm_create(size_t size, uint8_t **mem) {
  sigset_t old;
  fsrv_cleanup_block(&old);
  int id = shmget(IPC_PRIVATE, size, IPC_CREAT | IPC_EXCL | 0600);
  if (id >= 0 && !fsrv_cleanup_add_shm(id)) {
    shmctl(id, IPC_RMID, NULL);
    id = -1;
    errno = ENOMEM;
  }
  fsrv_cleanup_unblock(&old);
  if (id < 0)
    return -1;
  void *p = shmat(id, NULL, 0);
  if (p == (void *)-1) {
    int e = errno;
    fsrv_shm_remove(id, NULL);
    errno = e;
    return -1;
  }
  *mem = p;
  return id;
}

/* Removal marks the segment for destruction; the kernel frees it once the
   last process (possibly a still-dying target) detaches. */
void fsrv_shm_remove(int id, uint8_t *mem) {
  if (mem)
    shmdt(mem);
  if (id >= 0) {
    shmctl(id, IPC_RMID, NULL);
    fsrv_cleanup_del_shm(id);
  }
}
