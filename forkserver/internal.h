/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Private declarations shared by the files of the client library: the pipe
 * word I/O, spawning, the handshake and the error-message helper. Not part
 * of the public API (include/forkserver.h).
 */
#ifndef LOP_FORKSERVER_INTERNAL_H
#define LOP_FORKSERVER_INTERNAL_H

#include "forkserver.h"

/* Result of reading a word from the status pipe. */
enum fsrv_io {
  FSRV_IO_OK,
  FSRV_IO_TIMEOUT, /* nothing within the deadline */
  FSRV_IO_EOF,     /* the other end closed (target died) */
  FSRV_IO_ERROR,   /* read/poll failed; errno set */
};

/* Read one u32 (possibly in pieces) from fd within timeout_ms. */
enum fsrv_io fsrv_read_word(int fd, uint32_t *w, uint32_t timeout_ms);

/* Read exactly len bytes from fd within timeout_ms (dictionary payloads). */
enum fsrv_io fsrv_read_bytes(int fd, uint8_t *buf, size_t len,
                             uint32_t timeout_ms);

/* The handshake's and the relayed status's deadline: FORK_WAIT_MULT exec
   timeouts, saturated instead of wrapping around 32 bits. */
uint32_t fsrv_wait_ms(const struct fsrv *f);

/* Write one u32; false on error (EPIPE when the target is gone). */
bool fsrv_write_word(int fd, uint32_t w);

/* fd itself when above 2, else a close-on-exec copy above 2 (fd closed):
   a library descriptor must never be a tool's stdin, stdout or stderr,
   which a tool started with them closed would otherwise hand out. -1 with
   errno on failure. */
int fsrv_fd_above_std(int fd);

/* Format a message into f->err and return e, for one-line error returns. */
enum fsrv_err fsrv_fail(struct fsrv *f, enum fsrv_err e, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Fork and exec the target with the pipes on FORKSRV_FD / FORKSRV_FD + 1;
   fills f->fsrv_pid, ctl_fd, st_fd. */
enum fsrv_err fsrv_spawn(struct fsrv *f);

/* Read and answer the hello; fills f->hello. */
enum fsrv_err fsrv_handshake(struct fsrv *f);

/* True when process pid exists (a zombie counts) and its parent is
   parent, per /proc/pid/stat; false for any other pid, or a gone one. */
bool fsrv_is_child_of(pid_t pid, pid_t parent);

/* Kill the forkserver's process group and reap it; *status gets its wait
   status when it had already exited (else 0). */
void fsrv_reap(struct fsrv *f, int *status);

#endif /* LOP_FORKSERVER_INTERNAL_H */
