/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Every protocol constant and tunable of lop, once, with its unit and the
 * reason for its value. Values marked "AFL contract" are fixed by
 * ../shared/PROTOCOL.md and must match AFL 2.57b and AFL++ bit for bit.
 * This header is plain C and is included by the wrapper, the runtime, the
 * client library, the tools and (for the map constants) the LLVM pass.
 */
#ifndef LOP_CONFIG_H
#define LOP_CONFIG_H

/* ---- Coverage map (AFL contract) ---------------------------------------- */

/* log2 of the classic map size; the pass masks cur_loc with MAP_SIZE - 1. */
#define MAP_SIZE_POW2 16
/* Bytes in the classic coverage map: 64 KiB, what every AFL fuzzer expects. */
#define MAP_SIZE (1U << MAP_SIZE_POW2)
/* Largest map size an extended hello can carry: 8 MiB (23 size bits). */
#define MAP_SIZE_MAX 0x800000U
/* Fuzzers round the announced map size up to a multiple of this (bytes). */
#define MAP_SIZE_ALIGN 64U

/* ---- Environment names of the wire (AFL contract) ----------------------- */

/* Decimal SysV shm id of the coverage map, set by the fuzzer. Also must
   appear as a string in every instrumented binary (afl-fuzz greps for it). */
#define SHM_ENV_VAR "__AFL_SHM_ID"
/* AFL++: shm id of the shared-memory testcase buffer. */
#define SHM_FUZZ_ENV_VAR "__AFL_SHM_FUZZ_ID"
/* Set to "1" by fuzzers that found the persistent signature in the binary. */
#define PERSIST_ENV_VAR "__AFL_PERSISTENT"
/* Set to "1" by fuzzers that found the deferred signature in the binary. */
#define DEFER_ENV_VAR "__AFL_DEFER_FORKSRV"
/* AFL++: a program started with this set prints the map size it would
   announce (decimal bytes, one line) on stdout and exits; afl-cmin greps
   binaries for the name and sets AFL_MAP_SIZE from the answer. */
#define DUMP_MAP_SIZE_ENV_VAR "AFL_DUMP_MAP_SIZE"
/* Exit status after that dump: AFL++'s runtime exits with -1. */
#define DUMP_MAP_SIZE_EXIT 255

/* Set (to anything) in afl-fuzz's environment, and so inherited by the
   target, when afl-fuzz drives the target's forkserver without a coverage
   map (AFL 2.57b and AFL++ non-instrumented forkserver mode): the one case
   of a fuzzer on the pipes without __AFL_SHM_ID. */
#define DUMB_FORKSRV_ENV_VAR "AFL_DUMB_FORKSRV"

/* Signatures fuzzers memmem() the target file for, trailing NUL included. */
#define PERSIST_SIG "##SIG_AFL_PERSISTENT##"
#define DEFER_SIG "##SIG_AFL_DEFER_FORKSRV##"

/* ---- Forkserver wire (AFL contract) ------------------------------------- */

/* Target reads commands on FORKSRV_FD, writes replies on FORKSRV_FD + 1. */
#define FORKSRV_FD 198

/* Extended (AFL++ 4.04c style) hello option bits. ENABLED is bit 31 and
   bit 0 together; bits 24..27 all set are stripped by fuzzers, so lop never
   sets bits 26/27 or SNAPSHOT. */
#define FS_OPT_ENABLED 0x80000001U
#define FS_OPT_MAPSIZE 0x40000000U
#define FS_OPT_SNAPSHOT 0x20000000U
#define FS_OPT_AUTODICT 0x10000000U
#define FS_OPT_NEWCMPLOG 0x02000000U
#define FS_OPT_SHDMEM_FUZZ 0x01000000U
/* Map size field: (size - 1) << 1 in bits 1..23. */
#define FS_OPT_MAX_MAPSIZE MAP_SIZE_MAX
#define FS_OPT_SET_MAPSIZE(x) ((((x)-1U) & 0x7fffffU) << 1)
#define FS_OPT_GET_MAPSIZE(x) ((((x)&0x00fffffeU) >> 1) + 1U)
/* Reply to SHDMEM_FUZZ meaning "map the testcase shm". */
#define FS_OPT_REPLY_MASK 0x81000001U

/* Error hello: FS_OPT_ERROR | (code << 8); codes below. */
#define FS_OPT_ERROR 0xf800008fU
#define FS_OPT_SET_ERROR(code) (FS_OPT_ERROR | ((uint32_t)(code) << 8))
#define FS_OPT_GET_ERROR(w) (((w)&0x00ffff00U) >> 8)
#define FS_ERROR_MAP_SIZE 1
#define FS_ERROR_MAP_ADDR 2
#define FS_ERROR_SHM_OPEN 4
#define FS_ERROR_SHMAT 8
#define FS_ERROR_MMAP 16

/* Autodictionary (FS_OPT_AUTODICT): after the fuzzer's answer carrying the
   bit, the target sends a u32 length in [FS_AUTODICT_MIN, FS_AUTODICT_MAX]
   and that many bytes of records [u8 L][L bytes]. afl-fuzz stops on a length
   outside that range and drops tokens outside AUTODICT_TOKEN_MIN..MAX. */
#define FS_AUTODICT_MIN 2U
#define FS_AUTODICT_MAX 0xffffffU
#define AUTODICT_TOKEN_MIN 3U
#define AUTODICT_TOKEN_MAX 32U
/* ELF section in which the pass embeds each module's tokens (records as
   above); a C identifier, so the linker defines __start_ and __stop_ symbols
   the runtime finds the concatenated records with. */
#define AUTODICT_SECTION "lop_autodict"

/* The CmpLog map's layout and constants: include/cmplog.h. */

/* AFL++ >= 4.20c protocol v1 (decoded by the client only). */
#define FS_NEW_VERSION_MAX 1U
#define FS_NEW_HELLO 0x41464c01U /* "AFL" + version 1 */
#define FS_NEW_OPT_MAPSIZE 0x00000001U
#define FS_NEW_OPT_SHDMEM_FUZZ 0x00000002U
#define FS_NEW_OPT_AUTODICT 0x00000800U
#define FS_NEW_ERROR 0xeffe0000U

/* Written into map bytes 0..3 by a forked child whose execv() failed. */
#define EXEC_FAIL_SIG 0xfee1deadU

/* Exit codes sanitizer builds use for findings; counted as crashes. */
#define MSAN_ERROR 86
#define LSAN_ERROR 23

/* lop's fast persistent protocol (docs/protocol.md), spoken only between
   lop's client and lop's runtime. The client sets this variable to "1" when
   it starts a persistent target; the runtime reads and removes it in its
   constructor. No other fuzzer sets it, so they get the protocol above
   unchanged. Internal: not a user setting. */
#define FAST_PERSIST_ENV_VAR "__LOP_FAST_PERSIST"
/* Written by a fast persistent child itself on the status pipe when an
   iteration ends and it waits for the next command (instead of SIGSTOP).
   Above 0xffff, so no wait status a forkserver relays can equal it; decoded
   as a wait status by a client that does not know it, it reads as exit(0). */
#define FS_LOP_ALIVE 0x4c4f0000U

/* Period of the forkserver's check that its fuzzer is still there while a
   run goes on, ms. A forkserver whose fuzzer died (even by SIGKILL) kills
   the running child and exits within about this time; a timer, not a
   per-run system call, so the check costs nothing per execution. */
#define FSRV_WATCH_MS 500U

/* ---- Shared-memory testcases (AFL++ contract) --------------------------- */

/* Largest testcase AFL++ delivers, bytes (1 MiB). */
#define MAX_FILE 0x100000U
/* Testcase shm layout: u32 length at offset 0, data from offset 4. */
#define SHM_FUZZ_HDR 4U
#define SHM_FUZZ_MAP_SIZE (MAX_FILE + SHM_FUZZ_HDR)

/* ---- Client and tool defaults ------------------------------------------- */

/* Per-execution timeout of afl-showmap when -t is not given, ms (AFL's). */
#define EXEC_TIMEOUT_MS 1000U
/* The handshake may take this many exec timeouts (AFL contract: 10x). */
#define FORK_WAIT_MULT 10U
/* Default memory limit of afl-showmap, MiB; 0 means none (AFL++ default). */
#define MEM_LIMIT_MB 0U

/* A spawned child first copies every descriptor it hands the target to
   this number or above, clear of 0-2 and of FORKSRV_FD / FORKSRV_FD + 1. */
#define SPAWN_FD_MIN (FORKSRV_FD + 2U)

/* Resources (segments, process groups, temp files) per block of the
   client's cleanup registry. The first block is static and covers a tool's
   one or two forkservers; more blocks are chained as needed. */
#define FSRV_CLEANUP_SLOTS 32U

/* Limits of the wrapper's @file response-file expansion, which clang does
   not have: beyond them the wrapper stops with an error naming the file.
   Loops are not what they catch (a file already being expanded stays a
   literal argument, as in clang); they bound what a pathological or
   hostile set of files can cost before clang even runs. Depth: files open
   inside each other (clang expands any depth; real builds use one or two).
   Arguments and bytes: totals over every file read, the largest link
   response files of big projects (tens of thousands of objects, a few
   MiB) fitting many times over. Reads: files opened in all, each reference
   costing one (a few microseconds), so files naming each other many times
   cost milliseconds, not seconds; real builds read one or two. */
#define RSP_MAX_DEPTH 128U
#define RSP_MAX_READS 4096U
#define RSP_MAX_ARGS (1U << 20)
#define RSP_MAX_BYTES (64U << 20)

/* ---- Instrumentation ---------------------------------------------------- */

/* Default AFL_INST_RATIO: percent of blocks instrumented. */
#define INST_RATIO_DEFAULT 100U

/* Persistent loop iterations when a harness passes 0 to __AFL_LOOP. */
#define PERSIST_DEFAULT_ITERS 1000U

/* Inputs the libFuzzer driver (lib/lop/libAFLDriver.a) runs in one process
   under a fuzzer before a fresh one is forked: libFuzzer harnesses expect
   many inputs per process, and a restart now and then bounds what a
   leaking harness accumulates, for one fork in 10000 inputs. */
#define DRIVER_LOOP_ITERS 10000U

/* ---- Comparison splitting (laf-intel) ----------------------------------- */

/* Bits compared per step when AFL_LLVM_LAF_SPLIT_COMPARES splits an integer
   compare (AFL_LLVM_LAF_SPLIT_COMPARES_BITW may pick 16 or 32): 8, one byte
   per block, so edge coverage sees each matching byte, as AFL++ does. */
#define LAF_SPLIT_BITW_DEFAULT 8U
/* Longest constant (bytes, NUL included) whose strcmp/memcmp & co.
   AFL_LLVM_LAF_TRANSFORM_COMPARES unrolls; longer ones keep their call, so
   a comparison against a large table does not become thousands of blocks. */
#define LAF_TRANSFORM_MAX_LEN 64U
/* Widest switch condition (bits) AFL_LLVM_LAF_SPLIT_SWITCHES turns into a
   byte tree; case values are read as 64-bit integers. */
#define LAF_SWITCH_MAX_BITS 64U

#endif /* LOP_CONFIG_H */
