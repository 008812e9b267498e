/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * End-to-end tests of the in-target runtime (lib/lop/afl-llvm-rt.o): a
 * small program is compiled with the real clang and trace-pc-guard, linked
 * with the built runtime, and driven here over the real forkserver pipes
 * (fds 198/199) with real SysV segments, word for word as PROTOCOL.md
 * describes: hello, run commands, pids and wait statuses, error hellos,
 * persistent stops, deferred start-up, shared-memory testcases, big maps.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "types.h"

/* How long a reply may take before the test fails, ms. */
#define RTW_TIMEOUT_MS 10000
/* Segment size AFL++ 4.04c creates for a 64 KiB map. */
#define RTW_MAP_4_04C (MAP_SIZE + 8)
/* Wait status of a child stopped by SIGSTOP. */
#define RTW_STOPPED 0x137f
/* The hello of the small target: trace-pc-guard with no classic code, so
   the exact map its few guards need, 64 bytes (and with SHDMEM_FUZZ). */
#define RTW_HELLO 0xc200007fU
#define RTW_HELLO_SHM 0xc300007fU
/* A segment smaller than that map. */
#define RTW_TINY_SEGMENT 32
/* Guards the target numbers by hand to outgrow the 64 KiB map. */
#define RTW_MANY 70000

/* The target: its input is one byte from $T_FILE (or the testcase shm);
   'x' exits 3, 'k' aborts, 'y' prints an extra line, 'h' hangs, 'A' waits
   for alarm(1) (which kills it at SIGALRM's default), 'F' forks
   (the copy writes its pid to $T_FORKED) and goes on, 's' exits with 7
   when SIGCHLD is ignored, 9 when handled by reap(), 8 at its default. */
static const char rtw_src[] =
    "#include <stdint.h>\n#include <stdio.h>\n#include <stdlib.h>\n"
    "int __afl_sharedmem_fuzzing = 1;\n"
    "extern unsigned int *__afl_fuzz_len;\n"
    "extern unsigned char *__afl_fuzz_ptr;\n"
    "#include <signal.h>\n#include <sys/syscall.h>\n#include <sys/wait.h>\n"
    "#include <unistd.h>\n"
    "int __afl_persistent_loop(unsigned int);\n"
    "void __afl_manual_init(void);\n"
    "void __sanitizer_cov_trace_pc_guard_init(uint32_t *, uint32_t *);\n"
    "void __sanitizer_cov_trace_pc_guard(uint32_t *);\n"
    "void __afl_lop_register_classic(void);\n"
    "extern unsigned char *__afl_area_ptr;\n"
    "static uint32_t many[70000];\n"
    "__attribute__((constructor(3))) static void many_guards(void) {\n"
    "  if (getenv(\"T_MANY\")) __sanitizer_cov_trace_pc_guard_init(many, "
    "many + 70000);\n}\n"
    "pid_t fork(void) {\n"
    "  pid_t p = (pid_t)syscall(SYS_fork);\n"
    "  if (p > 0 && getenv(\"T_SLOW_PARENT\")) usleep(100000);\n"
    "  return p;\n}\n"
    "static void forked(void) {\n"
    "  FILE *f = fopen(getenv(\"T_FORKED\"), \"w\");\n"
    "  if (f) { fprintf(f, \"%d\\n\", (int)getpid()); fclose(f); }\n}\n"
    "static int input(void) {\n"
    "  if (__afl_fuzz_ptr) return *__afl_fuzz_len ? __afl_fuzz_ptr[0] : 0;\n"
    "  FILE *f = fopen(getenv(\"T_FILE\"), \"r\");\n"
    "  int c = f ? fgetc(f) : 0;\n"
    "  if (f) fclose(f);\n"
    "  if (c == 'h') for (;;) pause();\n"
    "  if (c == 'A') { alarm(1); for (;;) pause(); }\n"
    "  if (c == 'F' && fork() == 0) forked();\n"
    "  return c;\n}\n"
    "static void reap(int sig) {\n"
    "  (void)sig;\n  while (waitpid(-1, NULL, WNOHANG) > 0) {}\n}\n"
    "int main(void) {\n"
    "  int c = 0;\n"
    "  if (getenv(\"T_IGN_CHLD\")) signal(SIGCHLD, SIG_IGN);\n"
    "  if (getenv(\"T_REAP_CHLD\")) signal(SIGCHLD, reap);\n"
    "  if (getenv(\"T_INIT\")) __afl_manual_init();\n"
    "  if (getenv(\"T_MANY\")) __sanitizer_cov_trace_pc_guard(&many[69999]);\n"
    "  if (getenv(\"T_CLASSIC\")) { __afl_lop_register_classic(); "
    "__afl_area_ptr[65535]++; }\n"
    "  if (getenv(\"T_LOOP\")) { while (__afl_persistent_loop(3)) c = input(); "
    "}\n"
    "  else c = input();\n"
    "  if (c == 's') {\n"
    "    void (*h)(int) = signal(SIGCHLD, SIG_DFL);\n"
    "    return h == SIG_IGN ? 7 : h == reap ? 9 : 8;\n  }\n"
    "  if (c == 'x') return 3;\n"
    "  if (c == 'k') abort();\n"
    "  if (c == 'y') puts(\"why\");\n"
    "  puts(\"plain\");\n"
    "  return 0;\n}\n";

/* Temp dir holding t.c, the built target t and the input file. */
static char rtw_dir[] = "/tmp/lop-rtw.XXXXXX";
static char rtw_path[256];

/* One running target and the fuzzer-side resources it uses. */
struct rtw_target {
  pid_t pid;
  int cmd; /* we write commands here (its fd 198) */
  int st;  /* we read its words here (its fd 199) */
  int shm_id;
  uint8_t *map;
  size_t map_size;
  int fuzz_id;
  uint8_t *fuzz;
};

/* Runs a shell command line built from fmt; returns its exit code. */
static int rtw_sh(const char *fmt, ...) {
  char cmd[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof(cmd), fmt, ap);
  va_end(ap);
  int rc = system(cmd);
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* Writes the one-byte (or longer) input the target reads via $T_FILE. */
static void rtw_input(const char *text) {
  char path[300];
  snprintf(path, sizeof(path), "%s/in", rtw_dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
}

/* Builds the target with the real clang and the built runtime. */
static int rtw_setup(void **state) {
  (void)state;
  const char *root = getenv("LOP_ROOT") ? getenv("LOP_ROOT") : ".";
  if (!mkdtemp(rtw_dir))
    return -1;
  snprintf(rtw_path, sizeof(rtw_path), "%s/t", rtw_dir);
  char src[300];
  snprintf(src, sizeof(src), "%s/t.c", rtw_dir);
  FILE *f = fopen(src, "w");
  if (!f)
    return -1;
  fputs(rtw_src, f);
  fclose(f);
  return rtw_sh("%s/clang -O1 -w -fsanitize-coverage=trace-pc-guard -c %s -o "
                "%s.o && %s/clang %s.o %s/lib/lop/afl-llvm-rt.o -o %s",
                LOP_CLANG_DIR, src, rtw_path, LOP_CLANG_DIR, rtw_path, root,
                rtw_path);
}

static int rtw_teardown(void **state) {
  (void)state;
  return rtw_sh("rm -rf %s", rtw_dir);
}

/* Creates a 0600 segment of size bytes and maps it; returns its id. */
static int rtw_segment(size_t size, uint8_t **mem) {
  int id = shmget(IPC_PRIVATE, size, IPC_CREAT | IPC_EXCL | 0600);
  assert_true(id >= 0);
  *mem = shmat(id, NULL, 0);
  assert_true(*mem != (void *)-1);
  /* Linux still lets the target attach a segment marked for removal, and
     it then cannot outlive the test, even when an assertion fails. */
  shmctl(id, IPC_RMID, NULL);
  return id;
}

/* In the forked child: wires the pipes to 198/199, sets the environment
   ("NAME=value" strings, NULL-terminated) and runs the target. */
static void rtw_exec(struct rtw_target *t, int cmd[2], int st[2], char **env) {
  char num[32];
  if (t->shm_id >= 0) {
    snprintf(num, sizeof(num), "%d", t->shm_id);
    setenv(SHM_ENV_VAR, num, 1);
  }
  for (; env && *env; env++)
    putenv(*env);
  char in[300];
  snprintf(in, sizeof(in), "%s/in", rtw_dir);
  setenv("T_FILE", in, 1);
  snprintf(in, sizeof(in), "%s/forked", rtw_dir);
  setenv("T_FORKED", in, 1);
  dup2(cmd[0], FORKSRV_FD);
  dup2(st[1], FORKSRV_FD + 1);
  /* Our ends must not stay open in the target, or it never sees EOF. */
  close(cmd[0]);
  close(cmd[1]);
  close(st[0]);
  close(st[1]);
  int null = open("/dev/null", O_RDWR);
  dup2(null, 0);
  dup2(null, 1);
  execl(rtw_path, rtw_path, (char *)NULL);
  _exit(127);
}

/* Starts the target with a coverage segment of map_size bytes (0: none). */
static void rtw_start(struct rtw_target *t, size_t map_size, char **env) {
  int cmd[2], st[2];
  memset(t, 0, sizeof(*t));
  t->shm_id = t->fuzz_id = -1;
  if (map_size)
    t->shm_id = rtw_segment(map_size, &t->map);
  t->map_size = map_size;
  assert_int_equal(pipe(cmd), 0);
  assert_int_equal(pipe(st), 0);
  t->pid = fork();
  assert_true(t->pid >= 0);
  if (t->pid == 0)
    rtw_exec(t, cmd, st, env);
  close(cmd[0]);
  close(st[1]);
  t->cmd = cmd[1];
  t->st = st[0];
}

/* Reads one word from the target; false on EOF or timeout. */
static bool rtw_read(struct rtw_target *t, uint32_t *w) {
  struct pollfd p = {.fd = t->st, .events = POLLIN};
  if (poll(&p, 1, RTW_TIMEOUT_MS) != 1)
    return false;
  return read(t->st, w, 4) == 4;
}

static uint32_t rtw_expect_word(struct rtw_target *t) {
  uint32_t w = 0;
  assert_true(rtw_read(t, &w));
  return w;
}

static void rtw_send(struct rtw_target *t, uint32_t w) {
  assert_int_equal(write(t->cmd, &w, 4), 4);
}

/* One execution as a fuzzer does it: clear map, command, pid, status. */
static uint32_t rtw_run(struct rtw_target *t, uint32_t was_killed, pid_t *pid) {
  memset(t->map, 0, t->map_size);
  rtw_send(t, was_killed);
  uint32_t p = rtw_expect_word(t);
  assert_true((int32_t)p > 0);
  if (pid)
    *pid = (pid_t)p;
  return rtw_expect_word(t);
}

/* Starts the target with AFL++ 4.04c's segment, checks the hello and
   gives it its first run on input "a": returns that run's status word. */
static uint32_t rtw_first_run(struct rtw_target *t, char **env, pid_t *pid) {
  rtw_start(t, RTW_MAP_4_04C, env);
  assert_int_equal(rtw_expect_word(t), RTW_HELLO);
  rtw_input("a");
  return rtw_run(t, 0, pid);
}

/* Ends the target and unmaps its segments; returns its wait status. */
static int rtw_stop(struct rtw_target *t, bool kill_it) {
  int status = 0;
  close(t->cmd);
  close(t->st);
  if (kill_it)
    kill(t->pid, SIGKILL);
  waitpid(t->pid, &status, 0);
  if (t->shm_id >= 0)
    shmdt(t->map);
  if (t->fuzz_id >= 0)
    shmdt(t->fuzz);
  return status;
}

/* Number of non-zero bytes in the first n bytes of the map. */
static size_t rtw_count(const uint8_t *map, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    c += map[i] != 0;
  return c;
}

/* Run by hand (no fuzzer variables, no pipes) the target behaves like an
   uninstrumented program: same output, same exit codes, loop body once
   even when __AFL_PERSISTENT is set. */
static void test_by_hand(void **state) {
  (void)state;
  const char *run = "T_FILE=%s/in timeout 10 %s > %s/out 2>&1";
  rtw_input("y");
  assert_int_equal(rtw_sh(run, rtw_dir, rtw_path, rtw_dir), 0);
  assert_int_equal(rtw_sh("printf 'why\\nplain\\n' | cmp -s - %s/out", rtw_dir),
                   0);
  rtw_input("x");
  assert_int_equal(rtw_sh(run, rtw_dir, rtw_path, rtw_dir), 3);
  assert_int_equal(rtw_sh("test ! -s %s/out", rtw_dir), 0);
  rtw_input("k");
  assert_int_equal(rtw_sh(run, rtw_dir, rtw_path, rtw_dir), 128 + SIGABRT);
  rtw_input("x");
  assert_int_equal(rtw_sh("__AFL_PERSISTENT=1 T_LOOP=1 T_FILE=%s/in timeout 10 "
                          "%s",
                          rtw_dir, rtw_path),
                   3);
}

/* Hello (exact map size), then one fork per command with pid and raw status;
   the alive byte is set and different inputs give different maps. */
static void test_hello_and_runs(void **state) {
  (void)state;
  struct rtw_target t;
  rtw_start(&t, RTW_MAP_4_04C, NULL);
  assert_int_equal(rtw_expect_word(&t), RTW_HELLO);
  pid_t p1, p2;
  rtw_input("a");
  assert_int_equal(rtw_run(&t, 0, &p1), 0);
  assert_int_equal(t.map[0], 1);
  uint8_t map_a[MAP_SIZE];
  memcpy(map_a, t.map, MAP_SIZE);
  assert_true(rtw_count(map_a, MAP_SIZE) > 1);
  rtw_input("x");
  assert_int_equal(rtw_run(&t, 0, &p2), 3 << 8);
  assert_true(p1 != p2);
  assert_true(memcmp(map_a, t.map, MAP_SIZE) != 0);
  rtw_input("k");
  assert_int_equal(rtw_run(&t, 0, NULL), SIGABRT);
  rtw_input("a");
  assert_int_equal(rtw_run(&t, 0, NULL), 0);
  assert_memory_equal(map_a, t.map, MAP_SIZE);
  assert_int_equal(rtw_stop(&t, false), 0); /* fuzzer gone: exit 0 */
}

/* A bad __AFL_SHM_ID gives the SHMAT error hello and exit 1. */
static void test_bad_shm_id(void **state) {
  (void)state;
  char *bad[] = {"__AFL_SHM_ID=junk", NULL};
  char *gone[] = {"__AFL_SHM_ID=2147483000", NULL};
  char **cases[] = {bad, gone};
  for (int i = 0; i < 2; i++) {
    struct rtw_target t;
    rtw_start(&t, 0, cases[i]);
    assert_int_equal(rtw_expect_word(&t), FS_OPT_SET_ERROR(FS_ERROR_SHMAT));
    int status = rtw_stop(&t, false);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
  }
}

/* A segment smaller than the map the target needs is refused with the
   MAP_SIZE error hello instead of being written past. */
static void test_small_segment(void **state) {
  (void)state;
  struct rtw_target t;
  rtw_start(&t, RTW_TINY_SEGMENT, NULL);
  assert_int_equal(rtw_expect_word(&t), FS_OPT_SET_ERROR(FS_ERROR_MAP_SIZE));
  int status = rtw_stop(&t, false);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 1);
}

/* Fast persistent protocol when the child runs before the forkserver
   after fork() (the target's fork() makes the parent sleep): the pid still
   comes first, then the alive word, never the other way round. */
static void test_fast_persistent_child_first(void **state) {
  (void)state;
  char *env[] = {"__AFL_PERSISTENT=1", FAST_PERSIST_ENV_VAR "=1", "T_LOOP=1",
                 "T_SLOW_PARENT=1", NULL};
  struct rtw_target t;
  pid_t p;
  assert_int_equal(rtw_first_run(&t, env, &p), FS_LOP_ALIVE);
  assert_int_equal(kill(p, 0), 0);
  rtw_send(&t, 0);
  assert_int_equal(rtw_expect_word(&t), FS_LOP_ALIVE);
  rtw_input("x");
  rtw_send(&t, 0);
  assert_int_equal(rtw_expect_word(&t), 3 << 8);
  rtw_stop(&t, false);
}

/* Classic code arriving after the hello (a dlopen()ed library) into a
   segment as small as the exact map announced: its indices reach 65535, so
   the runtime moves every writer to the private map instead of letting it
   write past the segment. */
static void test_late_classic_small_segment(void **state) {
  (void)state;
  char *env[] = {"T_CLASSIC=1", NULL};
  struct rtw_target t;
  rtw_start(&t, FS_OPT_GET_MAPSIZE(RTW_HELLO), env);
  assert_int_equal(rtw_expect_word(&t), RTW_HELLO);
  rtw_input("a");
  assert_int_equal(rtw_run(&t, 0, NULL), 0);
  assert_int_equal(rtw_stop(&t, false), 0);
}

/* Persistent: __afl_persistent_loop(3) gives two stops and an exit from
   one pid, then a fresh child; each iteration sees a cleared map with the
   alive byte set. */
static void test_persistent(void **state) {
  (void)state;
  char *env[] = {"__AFL_PERSISTENT=1", "T_LOOP=1", NULL};
  struct rtw_target t;
  pid_t p[4];
  assert_int_equal(rtw_first_run(&t, env, &p[0]), RTW_STOPPED);
  assert_int_equal(t.map[0], 1);
  assert_int_equal(rtw_run(&t, 0, &p[1]), RTW_STOPPED);
  assert_int_equal(t.map[0], 1);
  rtw_input("x");
  assert_int_equal(rtw_run(&t, 0, &p[2]), 3 << 8);
  rtw_input("a");
  assert_int_equal(rtw_run(&t, 0, &p[3]), RTW_STOPPED);
  assert_int_equal(p[0], p[1]);
  assert_int_equal(p[1], p[2]);
  assert_true(p[3] != p[2]);
  /* A timed-out stopped child is killed by the fuzzer and reaped. */
  kill(p[3], SIGKILL);
  pid_t p5;
  assert_int_equal(rtw_run(&t, 1, &p5), RTW_STOPPED);
  assert_true(p5 != p[3]);
  /* The fuzzer goes away while p5 is stopped: the forkserver must not
     leave it stopped forever. */
  assert_int_equal(rtw_stop(&t, false), 0);
  assert_int_equal(kill(p5, 0), -1);
  assert_int_equal(errno, ESRCH);
}

/* lop's fast persistent protocol: the child itself answers FS_LOP_ALIVE at
   the end of each iteration and takes the next command, no pid in between;
   the last iteration's exit, a kill between runs and a fuzzer that goes
   away go through the forkserver as before. */
static void test_fast_persistent(void **state) {
  (void)state;
  char *env[] = {"__AFL_PERSISTENT=1", FAST_PERSIST_ENV_VAR "=1", "T_LOOP=1",
                 NULL};
  struct rtw_target t;
  pid_t p1, p2, p3;
  assert_int_equal(rtw_first_run(&t, env, &p1), FS_LOP_ALIVE);
  assert_int_equal(t.map[0], 1);
  uint8_t first[MAP_SIZE];
  memcpy(first, t.map, MAP_SIZE);
  memset(t.map, 0, MAP_SIZE);
  rtw_send(&t, 0); /* same child: no pid */
  assert_int_equal(rtw_expect_word(&t), FS_LOP_ALIVE);
  assert_int_equal(t.map[0], 1);
  assert_true(rtw_count(t.map, MAP_SIZE) > 1);
  rtw_input("x");
  rtw_send(&t, 0); /* third and last iteration: exit 3 */
  assert_int_equal(rtw_expect_word(&t), 3 << 8);
  rtw_input("a");
  assert_int_equal(rtw_run(&t, 0, &p2), FS_LOP_ALIVE);
  assert_true(p2 != p1);
  assert_memory_equal(first, t.map, MAP_SIZE);
  /* Killed between runs: the forkserver reports it at once, and the
     was_killed command that follows gets a fresh child. */
  kill(p2, SIGKILL);
  assert_int_equal(rtw_expect_word(&t), SIGKILL);
  assert_int_equal(rtw_run(&t, 1, &p3), FS_LOP_ALIVE);
  assert_true(p3 != p2);
  /* The fuzzer goes away while p3 waits for a command: both end. */
  rtw_stop(&t, false);
  assert_int_equal(kill(p3, 0), -1);
  assert_int_equal(errno, ESRCH);
}

/* Waits until process pid is stopped (state T in /proc/pid/stat). */
static void rtw_wait_stopped(pid_t pid) {
  char path[64], stat[256];
  snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
  for (int i = 0; i < RTW_TIMEOUT_MS; i++) {
    FILE *f = fopen(path, "r");
    char *close_paren = NULL;
    if (f && fgets(stat, sizeof(stat), f))
      close_paren = strrchr(stat, ')');
    if (f)
      fclose(f);
    if (close_paren && close_paren[1] == ' ' && close_paren[2] == 'T')
      return;
    usleep(1000);
  }
  fail_msg("process %d never stopped", (int)pid);
}

/* A fast persistent child killed before it read its command (here stopped
   first, as a child the scheduler did not run before the client's timer
   fired): the forkserver drops that unread command with the child, so the
   next was_killed command gets one fresh child and every reply after it
   belongs to its own run. */
static void test_fast_persistent_killed_before_command(void **state) {
  (void)state;
  char *env[] = {"__AFL_PERSISTENT=1", FAST_PERSIST_ENV_VAR "=1", "T_LOOP=1",
                 NULL};
  struct rtw_target t;
  pid_t p1, p2;
  assert_int_equal(rtw_first_run(&t, env, &p1), FS_LOP_ALIVE);
  assert_int_equal(kill(p1, SIGSTOP), 0);
  rtw_wait_stopped(p1);
  rtw_send(&t, 0); /* never read */
  assert_int_equal(kill(p1, SIGKILL), 0);
  assert_int_equal(rtw_expect_word(&t), SIGKILL);
  assert_int_equal(rtw_run(&t, 1, &p2), FS_LOP_ALIVE);
  assert_true(p2 != p1);
  struct pollfd p = {.fd = t.st, .events = POLLIN};
  assert_int_equal(poll(&p, 1, 300), 0); /* no reply of a run not asked for */
  rtw_send(&t, 0);
  assert_int_equal(rtw_expect_word(&t), FS_LOP_ALIVE);
  rtw_stop(&t, false);
}

/* Deferred: with __AFL_DEFER_FORKSRV the constructor stays silent and the
   hello comes from the harness's __afl_manual_init. */
static void test_deferred(void **state) {
  (void)state;
  char *silent[] = {"__AFL_DEFER_FORKSRV=1", NULL};
  char *manual[] = {"__AFL_DEFER_FORKSRV=1", "T_INIT=1", NULL};
  struct rtw_target t;
  uint32_t w;
  rtw_input("x");
  rtw_start(&t, RTW_MAP_4_04C, silent);
  assert_false(rtw_read(&t, &w)); /* ran to the end, never said hello */
  int status = rtw_stop(&t, false);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 3);
  rtw_start(&t, RTW_MAP_4_04C, manual);
  assert_int_equal(rtw_expect_word(&t), RTW_HELLO);
  assert_int_equal(rtw_run(&t, 0, NULL), 3 << 8);
  rtw_stop(&t, false);
}

/* Starts a target offered a testcase segment; checks the SHDMEM hello. */
static void rtw_start_shm_fuzz(struct rtw_target *t, char *env_var) {
  uint8_t *fuzz;
  int id = rtw_segment(SHM_FUZZ_MAP_SIZE, &fuzz);
  snprintf(env_var, 64, "%s=%d", SHM_FUZZ_ENV_VAR, id);
  char *env[] = {env_var, NULL};
  rtw_start(t, RTW_MAP_4_04C, env);
  t->fuzz_id = id;
  t->fuzz = fuzz;
  assert_int_equal(rtw_expect_word(t), RTW_HELLO_SHM);
}

/* Puts one input into the testcase segment. */
static void rtw_testcase(struct rtw_target *t, const char *data) {
  uint32_t len = (uint32_t)strlen(data);
  memcpy(t->fuzz, &len, 4);
  memcpy(t->fuzz + SHM_FUZZ_HDR, data, len);
}

/* Shared-memory testcases: after the 0x81000001 reply the target reads
   its inputs from the segment, not from its usual source. */
static void test_shm_testcase(void **state) {
  (void)state;
  static char env_var[64];
  struct rtw_target t;
  rtw_start_shm_fuzz(&t, env_var);
  rtw_send(&t, FS_OPT_REPLY_MASK);
  rtw_input("a");
  rtw_testcase(&t, "x");
  assert_int_equal(rtw_run(&t, 0, NULL), 3 << 8);
  rtw_testcase(&t, "k");
  assert_int_equal(rtw_run(&t, 0, NULL), SIGABRT);
  rtw_testcase(&t, "");
  assert_int_equal(rtw_run(&t, 0, NULL), 0);
  rtw_stop(&t, false);
}

/* A fuzzer that never replies (2.57b) sends a run command instead: the
   target takes it as the first was_killed and keeps its usual input. */
static void test_shm_testcase_no_reply(void **state) {
  (void)state;
  static char env_var[64];
  struct rtw_target t;
  rtw_start_shm_fuzz(&t, env_var);
  rtw_testcase(&t, "x");
  rtw_input("k");
  assert_int_equal(rtw_run(&t, 0, NULL), SIGABRT);
  rtw_input("a");
  assert_int_equal(rtw_run(&t, 0, NULL), 0);
  rtw_stop(&t, false);
}

/* More guards than 64 KiB: the hello announces ids + 1 rounded to 64, the
   high guards land in the fuzzer's bigger map, and a 64 KiB segment is
   refused rather than written past. */
static void test_many_guards(void **state) {
  (void)state;
  char *env[] = {"T_MANY=1", NULL};
  struct rtw_target t;
  rtw_input("a");
  rtw_start(&t, MAP_SIZE_MAX, env);
  uint32_t size = FS_OPT_GET_MAPSIZE(rtw_expect_word(&t));
  assert_true(size > RTW_MANY && size < RTW_MANY + 1024);
  assert_int_equal(size % MAP_SIZE_ALIGN, 0);
  memset(t.map, 0, size);
  assert_int_equal(rtw_run(&t, 0, NULL), 0);
  assert_true(rtw_count(t.map + MAP_SIZE, size - MAP_SIZE) == 1);
  rtw_stop(&t, false);
  rtw_start(&t, RTW_MAP_4_04C, env);
  assert_int_equal(rtw_expect_word(&t), FS_OPT_SET_ERROR(FS_ERROR_MAP_SIZE));
  rtw_stop(&t, false);
}

/* True once process pid is gone or a zombie, waiting up to RTW_TIMEOUT_MS. */
static bool rtw_gone(pid_t pid) {
  char path[64], stat[256];
  snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
  for (int i = 0; i < RTW_TIMEOUT_MS; i++) {
    FILE *f = fopen(path, "r");
    char *close_paren = NULL;
    if (f && fgets(stat, sizeof(stat), f))
      close_paren = strrchr(stat, ')');
    if (f)
      fclose(f);
    if (!f || (close_paren && strchr("ZX", close_paren[2])))
      return true;
    usleep(1000);
  }
  return false;
}

/* Waits up to RTW_TIMEOUT_MS for the target (the forkserver) to exit;
   true when it did. Kills it otherwise, so a failing test cleans up. */
static bool rtw_exits(struct rtw_target *t) {
  for (int i = 0; i < RTW_TIMEOUT_MS; i++) {
    if (waitpid(t->pid, NULL, WNOHANG) == t->pid)
      return true;
    usleep(1000);
  }
  kill(t->pid, SIGKILL);
  waitpid(t->pid, NULL, 0);
  return false;
}

/* The pid the harness's fork() gave its copy (input 'F'). */
static pid_t rtw_forked_pid(void) {
  char path[300];
  snprintf(path, sizeof(path), "%s/forked", rtw_dir);
  FILE *f = fopen(path, "r");
  int pid = 0;
  for (int i = 0; !f && i < RTW_TIMEOUT_MS; i++) {
    usleep(1000);
    f = fopen(path, "r");
  }
  assert_non_null(f);
  for (int i = 0; i < RTW_TIMEOUT_MS && fscanf(f, "%d", &pid) != 1; i++) {
    usleep(1000);
    rewind(f);
  }
  fclose(f);
  assert_true(pid > 0);
  return (pid_t)pid;
}

/* Pipes on 198/199 but no fuzzer variable: no hello, the program runs once
   (a shell or a daemon may hand pipes down). fd 199 a lock file, and
   198/199 on /dev/zero and /dev/null: the program runs as uninstrumented,
   writes nothing there and runs main once. */
static void test_no_forkserver_without_fuzzer(void **state) {
  (void)state;
  struct rtw_target t;
  uint32_t w;
  rtw_input("x");
  rtw_start(&t, 0, NULL);
  assert_false(rtw_read(&t, &w));
  int status = rtw_stop(&t, false);
  assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 3);
  const char *lock = "T_FILE=%s/in timeout 10 %s 199>%s/lock";
  assert_int_equal(rtw_sh(lock, rtw_dir, rtw_path, rtw_dir), 3);
  assert_int_equal(rtw_sh("test ! -s %s/lock", rtw_dir), 0);
  rtw_input("y");
  const char *dev = "T_FILE=%s/in timeout 10 %s 198</dev/zero 199>/dev/null "
                    ">%s/out";
  assert_int_equal(rtw_sh(dev, rtw_dir, rtw_path, rtw_dir), 0);
  assert_int_equal(rtw_sh("printf 'why\\nplain\\n' | cmp -s - %s/out", rtw_dir),
                   0);
}

/* afl-fuzz's forkserver mode without a map (AFL_DUMB_FORKSRV, no
   __AFL_SHM_ID) still gets a forkserver. */
static void test_dumb_forkserver(void **state) {
  (void)state;
  char *env[] = {DUMB_FORKSRV_ENV_VAR "=1", NULL};
  struct rtw_target t;
  rtw_input("x");
  rtw_start(&t, 0, env);
  assert_int_equal(rtw_expect_word(&t), RTW_HELLO);
  rtw_send(&t, 0);
  assert_true((int32_t)rtw_expect_word(&t) > 0);
  assert_int_equal(rtw_expect_word(&t), 3 << 8);
  rtw_stop(&t, false);
}

/* A stale __AFL_SHM_ID run by hand: exit 1 with one line on stderr naming
   the variable, not silence. */
static void test_stale_shm_id_by_hand(void **state) {
  (void)state;
  const char *ids[] = {"2147483000", "junk"};
  rtw_input("a");
  for (int i = 0; i < 2; i++) {
    assert_int_equal(rtw_sh("__AFL_SHM_ID=%s T_FILE=%s/in timeout 10 %s "
                            ">%s/out 2>%s/err",
                            ids[i], rtw_dir, rtw_path, rtw_dir, rtw_dir),
                     1);
    assert_int_equal(rtw_sh("test ! -s %s/out", rtw_dir), 0);
    assert_int_equal(rtw_sh("test \"$(wc -l <%s/err)\" = 1", rtw_dir), 0);
    assert_int_equal(rtw_sh("grep -q '^error: .*" SHM_ENV_VAR ".*; unset' "
                            "%s/err",
                            rtw_dir),
                     0);
  }
}

/* A persistent harness that forks inside its loop (input 'F'), in both
   protocols: only the process the forkserver started speaks, so the next
   reply is the next run's; the copy leaves the loop and exits instead of
   answering (fast) or stopping itself forever (standard). */
static void test_persistent_fork_in_harness(void **state) {
  (void)state;
  char *fast[] = {"__AFL_PERSISTENT=1", FAST_PERSIST_ENV_VAR "=1", "T_LOOP=1",
                  NULL};
  char *standard[] = {"__AFL_PERSISTENT=1", "T_LOOP=1", NULL};
  char **envs[] = {fast, standard};
  uint32_t pause_word[] = {FS_LOP_ALIVE, RTW_STOPPED};
  for (int i = 0; i < 2; i++) {
    struct rtw_target t;
    char path[300];
    snprintf(path, sizeof(path), "%s/forked", rtw_dir);
    unlink(path);
    rtw_start(&t, RTW_MAP_4_04C, envs[i]);
    assert_int_equal(rtw_expect_word(&t), RTW_HELLO);
    rtw_input("F");
    assert_int_equal(rtw_run(&t, 0, NULL), pause_word[i]);
    pid_t copy = rtw_forked_pid();
    /* Iterations two and three (the last, 'x' exits 3) of the same child;
       the standard protocol repeats the stopped child's pid each time. */
    const char *next[] = {"a", "x"};
    uint32_t want[] = {pause_word[i], 3 << 8};
    for (int k = 0; k < 2; k++) {
      rtw_input(next[k]);
      rtw_send(&t, 0);
      if (i == 1)
        assert_true((int32_t)rtw_expect_word(&t) > 0);
      assert_int_equal(rtw_expect_word(&t), want[k]);
    }
    assert_true(rtw_gone(copy));
    rtw_stop(&t, false);
  }
}

/* A deferred harness that ignores SIGCHLD, or reaps every child from a
   handler, before __AFL_INIT(): runs still report their status, and the
   child gets the harness's SIGCHLD disposition back ('s'). */
static void test_deferred_harness_reaps_children(void **state) {
  (void)state;
  char *ign[] = {"__AFL_DEFER_FORKSRV=1", "T_INIT=1", "T_IGN_CHLD=1", NULL};
  char *reap[] = {"__AFL_DEFER_FORKSRV=1", "T_INIT=1", "T_REAP_CHLD=1", NULL};
  char **envs[] = {ign, reap};
  int disposition[] = {7, 9};
  for (int i = 0; i < 2; i++) {
    struct rtw_target t;
    rtw_start(&t, RTW_MAP_4_04C, envs[i]);
    assert_int_equal(rtw_expect_word(&t), RTW_HELLO);
    rtw_input("a");
    assert_int_equal(rtw_run(&t, 0, NULL), 0);
    rtw_input("x");
    assert_int_equal(rtw_run(&t, 0, NULL), 3 << 8);
    rtw_input("s");
    assert_int_equal(rtw_run(&t, 0, NULL), disposition[i] << 8);
    rtw_stop(&t, false);
  }
}

/* The forkserver's own SIGALRM handler (its watch timer) never reaches a
   run: alarm() in the child still kills it. */
static void test_child_keeps_default_sigalrm(void **state) {
  (void)state;
  struct rtw_target t;
  rtw_start(&t, RTW_MAP_4_04C, NULL);
  assert_int_equal(rtw_expect_word(&t), RTW_HELLO);
  rtw_input("A");
  assert_int_equal(rtw_run(&t, 0, NULL), SIGALRM);
  rtw_stop(&t, false);
}

/* The fuzzer dies (its pipe ends close) while a run hangs, in all three
   protocols: the forkserver kills the run's child and exits. */
static void test_dead_client_ends_hung_run(void **state) {
  (void)state;
  char *fast[] = {"__AFL_PERSISTENT=1", FAST_PERSIST_ENV_VAR "=1", "T_LOOP=1",
                  NULL};
  char *standard[] = {"__AFL_PERSISTENT=1", "T_LOOP=1", NULL};
  char **envs[] = {NULL, standard, fast};
  for (int i = 0; i < 3; i++) {
    struct rtw_target t;
    rtw_start(&t, RTW_MAP_4_04C, envs[i]);
    assert_int_equal(rtw_expect_word(&t), RTW_HELLO);
    rtw_input("h");
    rtw_send(&t, 0);
    pid_t child = (pid_t)rtw_expect_word(&t);
    assert_true(child > 0);
    close(t.cmd);
    close(t.st);
    bool exited = rtw_exits(&t);
    bool child_gone = rtw_gone(child);
    if (!child_gone)
      kill(child, SIGKILL);
    shmdt(t.map);
    assert_true(exited);
    assert_true(child_gone);
  }
}

/* A forkserver killed while a run hangs takes the run's child with it. */
static void test_forkserver_death_kills_child(void **state) {
  (void)state;
  struct rtw_target t;
  rtw_start(&t, RTW_MAP_4_04C, NULL);
  assert_int_equal(rtw_expect_word(&t), RTW_HELLO);
  rtw_input("h");
  rtw_send(&t, 0);
  pid_t child = (pid_t)rtw_expect_word(&t);
  assert_true(child > 0);
  rtw_stop(&t, true);
  bool child_gone = rtw_gone(child);
  if (!child_gone)
    kill(child, SIGKILL);
  assert_true(child_gone);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_by_hand),
      cmocka_unit_test(test_hello_and_runs),
      cmocka_unit_test(test_bad_shm_id),
      cmocka_unit_test(test_small_segment),
      cmocka_unit_test(test_late_classic_small_segment),
      cmocka_unit_test(test_fast_persistent_child_first),
      cmocka_unit_test(test_persistent),
      cmocka_unit_test(test_fast_persistent),
      cmocka_unit_test(test_fast_persistent_killed_before_command),
      cmocka_unit_test(test_deferred),
      cmocka_unit_test(test_shm_testcase),
      cmocka_unit_test(test_shm_testcase_no_reply),
      cmocka_unit_test(test_many_guards),
      cmocka_unit_test(test_no_forkserver_without_fuzzer),
      cmocka_unit_test(test_dumb_forkserver),
      cmocka_unit_test(test_stale_shm_id_by_hand),
      cmocka_unit_test(test_persistent_fork_in_harness),
      cmocka_unit_test(test_deferred_harness_reaps_children),
      cmocka_unit_test(test_child_keeps_default_sigalrm),
      cmocka_unit_test(test_dead_client_ends_hung_run),
      cmocka_unit_test(test_forkserver_death_kills_child),
  };
  return cmocka_run_group_tests(tests, rtw_setup, rtw_teardown);
}
