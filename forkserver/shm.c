/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * SysV shared memory segments for the coverage map and the testcase buffer:
 * private, 0600, registered with the cleanup registry from the moment they
 * exist so that no exit path can leak one.
 */
#include "forkserver.h"

#include <errno.h>
#include <sys/ipc.h>
#include <sys/shm.h>

/* The segment is registered before it is attached, so even a failing
   shmat cannot leave it behind. */
int fsrv_shm_create(size_t size, uint8_t **mem) {
  int id = shmget(IPC_PRIVATE, size, IPC_CREAT | IPC_EXCL | 0600);
  if (id < 0)
    return -1;
  if (!fsrv_cleanup_add_shm(id)) {
    shmctl(id, IPC_RMID, NULL);
    errno = ENOSPC;
    return -1;
  }
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
