/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Tests of bin/afl-showmap as a user runs it: flags, output format, bucket
 * modes, the afl-cmin format (-Z and AFL_CMIN_*), -s, -c, -H, exit codes,
 * error lines (also for hellos that are not hellos), batch mode and Ctrl-C
 * leaving nothing behind; runs that inherit closed standard descriptors or
 * descriptors up to the forkserver's, inputs over the shared-memory
 * testcase limit, and signals ignored by whoever started afl-showmap. The
 * target is the scripted forkserver of test-targets/conformance, compiled
 * here with cc.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "conformance.h"

static char dir[] = "/tmp/lop-showmap-test-XXXXXX";
static char showmap[PATH_MAX], script[PATH_MAX];
static char out[8192];

static int setup(void **state) {
  (void)state;
  const char *root = getenv("LOP_ROOT") ? getenv("LOP_ROOT") : ".";
  if (!mkdtemp(dir))
    return -1;
  snprintf(showmap, sizeof(showmap), "%s/bin/afl-showmap", root);
  snprintf(script, sizeof(script), "%s/fsrv-script", dir);
  return conformance_build(script, "") == 0 && access(showmap, X_OK) == 0 ? 0
                                                                          : -1;
}

static int teardown(void **state) {
  (void)state;
  return conformance_remove_dir(dir);
}

/* Runs "cd dir && printf input | env afl-showmap args", output (stdout and
   stderr) into out; returns the exit code. env: "VAR=value ..." or "". */
static int vsh(const char *env, const char *input, const char *fmt,
               va_list ap) {
  char args[2048], cmd[4096];
  vsnprintf(args, sizeof(args), fmt, ap);
  snprintf(cmd, sizeof(cmd), "cd %s && printf '%s' | %s %s %s 2>&1", dir, input,
           env, showmap, args);
  FILE *p = popen(cmd, "r");
  size_t n = fread(out, 1, sizeof(out) - 1, p);
  out[n] = 0;
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static int sh(const char *input, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = vsh("", input, fmt, ap);
  va_end(ap);
  return rc;
}

/* sh with environment assignments in front of afl-showmap. */
static int sh_env(const char *env, const char *input, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = vsh(env, input, fmt, ap);
  va_end(ap);
  return rc;
}

/* Runs a bash command line in dir with $SM set to afl-showmap and $S to
   the script; output (stdout and stderr) into out; returns the exit code. */
static int shell(const char *fmt, ...) {
  char line[4096], cmd[8192];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof(line), fmt, ap);
  va_end(ap);
  snprintf(cmd, sizeof(cmd), "cd %s && SM=%s S=%s bash -c '%s' 2>&1", dir,
           showmap, script, line);
  FILE *p = popen(cmd, "r");
  size_t n = fread(out, 1, sizeof(out) - 1, p);
  out[n] = 0;
  int st = pclose(p);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void contains(const char *text) {
  if (!strstr(out, text))
    fail_msg("output lacks '%s':\n%s", text, out);
}

static void test_text_output(void **s) {
  (void)s;
  assert_int_equal(sh("aaaaabbc", "-q -o - -- %s classic", script), 0);
  assert_string_equal(out, "000098:4\n000099:2\n000100:1\n");
  assert_int_equal(sh("aaaaabbc", "-o - -r -- %s classic", script), 0);
  contains("000098:5\n000099:2\n000100:1\n");
  contains("afl-showmap: captured 3 tuples (highest value 5, total values "
           "8) in \"-\"");
  assert_int_equal(sh("aaaaabbc", "-q -e -o - -- %s v1", script), 0);
  assert_string_equal(out, "000098:1\n000099:1\n000100:1\n");
}

static void test_file_output_and_at(void **s) {
  (void)s;
  assert_int_equal(sh("abc", "-q -o map.txt -- %s extended @@", script), 0);
  assert_string_equal(out, "");
  char path[PATH_MAX];
  snprintf(path, sizeof(path), "%s/map.txt", dir);
  FILE *in = fopen(path, "r");
  assert_non_null(in);
  size_t n = fread(out, 1, sizeof(out) - 1, in);
  out[n] = 0;
  fclose(in);
  assert_string_equal(out, "000098:1\n000099:1\n000100:1\n");
}

static void test_binary(void **s) {
  (void)s;
  assert_int_equal(sh("aaa", "-q -b -o map.bin -- %s classic", script), 0);
  char path[PATH_MAX];
  snprintf(path, sizeof(path), "%s/map.bin", dir);
  FILE *in = fopen(path, "rb");
  assert_non_null(in);
  static uint8_t map[2 * MAP_SIZE];
  assert_int_equal(fread(map, 1, sizeof(map), in), MAP_SIZE);
  fclose(in);
  assert_int_equal(map[0], 0);
  assert_int_equal(map[98], 4); /* 3 hits -> fuzzer bucket 4 */
}

static void test_exit_codes(void **s) {
  (void)s;
  assert_int_equal(sh("crash", "-q -o - -- %s classic", script), 2);
  assert_int_equal(sh("hang", "-q -t 100 -o - -- %s classic", script), 1);
  assert_int_equal(sh("nocov", "-o - -- %s classic", script), 1);
  contains("afl-showmap: error: no instrumentation detected in ");
  contains("; build it with afl-clang-fast");
}

static void test_errors(void **s) {
  (void)s;
  assert_int_equal(sh("", "-x -o - -- %s", script), 1);
  assert_string_equal(out, "afl-showmap: error: unknown option '-x'; see "
                           "afl-showmap -h\n");
  assert_int_equal(sh("", "-- %s classic", script), 1);
  contains("afl-showmap: error: no output given; use -o file");
  assert_int_equal(sh("", "-o -"), 1);
  contains("afl-showmap: error: no target given");
  assert_int_equal(sh("", "-t abc -o - -- %s", script), 1);
  contains("afl-showmap: error: bad value 'abc' for -t");
  assert_int_equal(sh("", "-o - -- /nonexistent/x"), 1);
  contains("afl-showmap: error: target '/nonexistent/x' not found");
  assert_int_equal(sh("", "-t 20 -o - -- %s silent", script), 1);
  contains("afl-showmap: error: target did not say hello within 200 ms");
  assert_int_equal(sh("", "-o - -- /bin/true"), 1);
  contains("target exited during the handshake (exit code 0)");
  assert_int_equal(sh("", "-h"), 0);
  contains("usage: afl-showmap");
  assert_int_equal(sh_env("AFL_MAP_SIZE=abc", "", "-o - -- %s", script), 1);
  assert_string_equal(out, "afl-showmap: error: bad value 'abc' for "
                           "AFL_MAP_SIZE; give a number from 2 to 8388608\n");
}

/* An open file limit that leaves no room for the descriptors a spawned
   forkserver needs is named, with what to do. */
static void test_fd_limit_too_low(void **s) {
  (void)s;
  assert_int_equal(shell("ulimit -Sn 150; printf a | $SM -o - -- $S classic"),
                   1);
  assert_string_equal(out, "afl-showmap: error: the open file limit is 150; "
                           "a forkserver needs descriptors up to 203: raise "
                           "it (ulimit -n)\n");
}

/* With -i, -o names a directory; an existing file there is refused before
   anything runs. */
static void test_batch_output_is_a_file(void **s) {
  (void)s;
  assert_int_equal(shell("mkdir -p fi && printf a > fi/1 && printf x > ofile"),
                   0);
  assert_int_equal(sh("", "-i fi -o ofile -- %s classic", script), 1);
  assert_string_equal(out, "afl-showmap: error: with -i, -o must be a "
                           "directory: 'ofile' is not one; give a directory "
                           "(or -C for one union map)\n");
}

static void test_batch(void **s) {
  (void)s;
  char cmd[PATH_MAX * 2];
  snprintf(cmd, sizeof(cmd),
           "mkdir -p %s/in && printf a > %s/in/one && printf bb > %s/in/two",
           dir, dir, dir);
  assert_int_equal(system(cmd), 0);
  assert_int_equal(sh("", "-q -i in -o outdir -- %s classic", script), 0);
  snprintf(cmd, sizeof(cmd),
           "cd %s && test \"$(cat outdir/one)\" = 000098:1 && "
           "test \"$(cat outdir/two)\" = 000099:2",
           dir);
  assert_int_equal(system(cmd), 0);
  assert_int_equal(sh("", "-q -C -i in -o union -- %s classic", script), 0);
  snprintf(cmd, sizeof(cmd),
           "cd %s && test \"$(cat union)\" = \"$(printf '000098:1\\n"
           "000099:1')\"",
           dir);
  assert_int_equal(system(cmd), 0);
}

/* Reads dir/name into out; "" when absent. */
static void slurp(const char *name) {
  char path[PATH_MAX];
  snprintf(path, sizeof(path), "%s/%s", dir, name);
  FILE *in = fopen(path, "r");
  size_t n = in ? fread(out, 1, sizeof(out) - 1, in) : 0;
  out[n] = 0;
  if (in)
    fclose(in);
}

/* -Z: afl-cmin's "<value><index>" lines, quiet, bucketed like the text. */
static void test_cmin_format(void **s) {
  (void)s;
  assert_int_equal(sh("aaaaabbc", "-Z -o - -- %s classic", script), 0);
  assert_string_equal(out, "498\n299\n1100\n");
  assert_int_equal(sh("aaaaabbc", "-Z -r -o - -- %s classic", script), 0);
  assert_string_equal(out, "598\n299\n1100\n");
}

/* -Z drops hangs and crashes (empty output, exit code kept);
   AFL_CMIN_ALLOW_ANY keeps crashes, AFL_CMIN_CRASHES_ONLY keeps only them
   and then exits 0 on a crash. */
static void test_cmin_crashes(void **s) {
  (void)s;
  assert_int_equal(sh("crashcov", "-Z -o z -- %s classic", script), 2);
  slurp("z");
  assert_string_equal(out, "");
  assert_int_equal(sh("hang", "-Z -t 50 -o z -- %s classic", script), 1);
  slurp("z");
  assert_string_equal(out, "");
  assert_int_equal(
      sh_env("AFL_CMIN_ALLOW_ANY=1", "crashcov", "-Z -o - -- %s v1", script),
      2);
  assert_string_equal(out, "198\n2100\n1105\n1112\n1115\n1116\n1119\n");
  assert_int_equal(
      sh_env("AFL_CMIN_CRASHES_ONLY=1", "crashcov", "-Z -o - -- %s v1", script),
      0);
  assert_true(strlen(out) > 0);
  assert_int_equal(
      sh_env("AFL_CMIN_CRASHES_ONLY=1", "abc", "-Z -o - -- %s v1", script), 0);
  assert_string_equal(out, "");
}

/* -s: no classification at all, -e included. */
static void test_no_classify(void **s) {
  (void)s;
  assert_int_equal(sh("aaaaabbc", "-q -s -o - -- %s classic", script), 0);
  assert_string_equal(out, "000098:5\n000099:2\n000100:1\n");
  assert_int_equal(sh("aaaaabbc", "-q -s -e -o - -- %s classic", script), 0);
  assert_string_equal(out, "000098:5\n000099:2\n000100:1\n");
}

/* -c lets the target dump core (soft limit raised to the hard one);
   without it the core limit is 0. */
static void test_core_dumps(void **s) {
  (void)s;
  assert_int_equal(sh("core", "-q -o - -- %s classic", script), 0);
  assert_string_equal(out, "000004:1\n");
  struct rlimit r;
  assert_int_equal(getrlimit(RLIMIT_CORE, &r), 0);
  if (r.rlim_max == 0)
    skip(); /* nothing to raise to here */
  assert_int_equal(sh("core", "-q -c -o - -- %s classic", script), 0);
  assert_string_equal(out, "000004:2\n");
}

/* -H file: the input comes from file (stdin ignored); with -i it names
   the delivery file like -f. -t none is the default timeout. */
static void test_input_file(void **s) {
  (void)s;
  char cmd[PATH_MAX * 2];
  snprintf(cmd, sizeof(cmd), "printf bb > %s/h.in", dir);
  assert_int_equal(system(cmd), 0);
  assert_int_equal(sh("zzz", "-q -H h.in -o - -- %s classic", script), 0);
  assert_string_equal(out, "000099:2\n");
  assert_int_equal(sh("zzz", "-q -H h.in -o - -- %s classic @@", script), 0);
  assert_string_equal(out, "000099:2\n");
  assert_int_equal(sh("a", "-q -t none -o - -- %s classic", script), 0);
  assert_string_equal(out, "000098:1\n");
  assert_int_equal(sh("", "-q -H nope.in -o - -- %s classic", script), 1);
  contains("afl-showmap: error: cannot read input 'nope.in'");
  snprintf(cmd, sizeof(cmd), "mkdir -p %s/hin && printf a > %s/hin/x", dir,
           dir);
  assert_int_equal(system(cmd), 0);
  assert_int_equal(
      sh("", "-q -i hin -H deliver -o hout -- %s classic @@", script), 0);
  snprintf(cmd, sizeof(cmd),
           "cd %s && test \"$(cat hout/x)\" = 000098:1 && test -f deliver",
           dir);
  assert_int_equal(system(cmd), 0);
  assert_int_equal(sh("", "-i hin -H a -f b -o hout -- %s classic", script), 1);
  contains("afl-showmap: error: -H and -f both name the input file for -i");
}

/* Batch -Z, as afl-cmin runs it: a crashing input leaves an empty trace. */
static void test_cmin_batch(void **s) {
  (void)s;
  char cmd[PATH_MAX * 2];
  snprintf(cmd, sizeof(cmd),
           "mkdir -p %s/zin && printf a > %s/zin/1 && printf crashcov > "
           "%s/zin/2",
           dir, dir, dir);
  assert_int_equal(system(cmd), 0);
  assert_int_equal(sh("", "-Z -i zin -o zout -- %s classic", script), 0);
  assert_string_equal(out, "");
  slurp("zout/1");
  assert_string_equal(out, "198\n");
  slurp("zout/2");
  assert_string_equal(out, "");
  snprintf(cmd, sizeof(cmd), "test -f %s/zout/2", dir);
  assert_int_equal(system(cmd), 0);
}

/* Batch mode offers shared-memory testcases: a target that asks for them
   gets __AFL_SHM_FUZZ_ID and reads every input from the segment. */
static void test_batch_shm_testcases(void **s) {
  (void)s;
  char cmd[PATH_MAX * 2];
  snprintf(cmd, sizeof(cmd),
           "mkdir -p %s/sin && printf env > %s/sin/1 && printf bb > %s/sin/2",
           dir, dir, dir);
  assert_int_equal(system(cmd), 0);
  assert_int_equal(sh("", "-q -i sin -o sout -- %s extended", script), 0);
  slurp("sout/1");
  assert_string_equal(out, "000001:1\n000002:1\n000003:2\n");
  slurp("sout/2");
  assert_string_equal(out, "000099:2\n");
}

/* Hellos that are not hellos: one line in words, exit 1. */
static void test_bad_hellos(void **s) {
  (void)s;
  assert_int_equal(sh("", "-o - -- %s short", script), 1);
  contains("afl-showmap: error: target exited during the handshake");
  assert_int_equal(sh("", "-o - -- %s v1huge", script), 1);
  contains("afl-showmap: error: target announced a map of 268435456 bytes");
  assert_int_equal(sh("", "-o - -- %s errshmat", script), 1);
  contains("target could not map the shared memory (shmat)");
  assert_int_equal(sh("", "-o - -- %s errv1", script), 1);
  contains("target could not open the shared memory (shm_open)");
}

/* SIGINT during the handshake: no segment of the killed tool remains,
   no target process, no temp output. */
static void test_ctrl_c(void **s) {
  (void)s;
  pid_t pid = fork();
  if (pid == 0) {
    if (chdir(dir) < 0)
      _exit(1);
    execl(showmap, showmap, "-q", "-t", "5000", "-o", "x", "--", script,
          "silent", "@@", (char *)NULL);
    _exit(1);
  }
  usleep(300000);
  kill(pid, SIGINT);
  int st;
  waitpid(pid, &st, 0);
  assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGINT);
  char cmd[512];
  snprintf(cmd, sizeof(cmd),
           "awk '$5 == %d' /proc/sysvipc/shm | grep -q . && exit 1; "
           "pgrep -f 'fsrv-scrip[t] silent' && exit 1; ls -A %s | grep -q "
           "afl-showmap "
           "&& exit 1; exit 0",
           (int)pid, dir);
  usleep(100000);
  assert_int_equal(system(cmd), 0);
}

/* How often text occurs in out. */
static int count_of(const char *text) {
  int n = 0;
  for (const char *p = out; (p = strstr(p, text)); p += strlen(text))
    n++;
  return n;
}

/* Three inputs whose maps differ, in dir/fin. */
static void make_fin(void) {
  assert_int_equal(shell("mkdir -p fin && printf a > fin/1 && printf bb > "
                         "fin/2 && printf ccc > fin/3"),
                   0);
}

/* The outputs of make_fin's inputs are right in directory o. */
static void check_fin(const char *o) {
  assert_int_equal(shell("test \"$(cat %s/1)\" = 000098:1 && "
                         "test \"$(cat %s/2)\" = 000099:2 && "
                         "test \"$(cat %s/3)\" = 000100:3",
                         o, o, o),
                   0);
}

/* Whatever descriptors afl-showmap inherits, every run gets its own input:
   stdin, stdout and stderr closed, or every descriptor up to and around
   the forkserver's two (198, 199) already taken. */
static void test_inherited_descriptors(void **s) {
  (void)s;
  make_fin();
  assert_int_equal(shell("$SM -q -i fin -o closed0 -- $S classic <&-"), 0);
  check_fin("closed0");
  assert_int_equal(shell("$SM -q -i fin -o closed12 -- $S classic >&- 2>&-"),
                   0);
  check_fin("closed12");
  assert_int_equal(
      shell("$SM -q -i fin -o closed012 -- $S classic <&- >&- 2>&-"), 0);
  check_fin("closed012");
  char o[32];
  for (int top = 193; top <= 199; top++) {
    snprintf(o, sizeof(o), "open%d", top);
    assert_int_equal(shell("for ((i = 3; i <= %d; i++)); do eval \"exec "
                           "$i</dev/null\"; done; $SM -q -i fin -o %s -- $S "
                           "classic",
                           top, o),
                     0);
    check_fin(o);
  }
  assert_int_equal(shell("for ((i = 3; i <= 199; i++)); do eval \"exec "
                         "$i</dev/null\"; done; printf bb | $SM -q -o - -- "
                         "$S classic"),
                   0);
  assert_string_equal(out, "000099:2\n");
}

/* An input over the 1 MiB shared-memory testcase limit is cut to it, as
   afl-fuzz does, with one notice; the batch goes on. */
static void test_big_input_truncated(void **s) {
  (void)s;
  assert_int_equal(shell("mkdir -p big && printf a > big/1 && head -c "
                         "1048586 /dev/zero | tr \"\\0\" b > big/2 && cp "
                         "big/2 big/3 && printf cc > big/4"),
                   0);
  assert_int_equal(shell("$SM -i big -o bo -- $S extended"), 0);
  assert_int_equal(count_of("truncated"), 1);
  assert_int_equal(shell("test \"$(cat bo/1)\" = 000098:1 && "
                         "test \"$(cat bo/2)\" = 000099:8 && "
                         "test \"$(cat bo/3)\" = 000099:8 && "
                         "test \"$(cat bo/4)\" = 000100:2"),
                   0);
  assert_int_equal(shell("$SM -o - -- $S extended < big/2"), 0);
  contains("000099:8\n");
  contains(
      "afl-showmap: warning: input of 1048586 bytes truncated to the 1048576 "
      "byte shared-memory testcase limit, as afl-fuzz does\n");
}

/* A signal mask line ("SigIgn:", "SigCgt:") of /proc/pid/status. */
static unsigned long long sig_mask(pid_t pid, const char *name) {
  char path[64], line[256];
  unsigned long long mask = 0;
  snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
  FILE *in = fopen(path, "r");
  while (in && fgets(line, sizeof(line), in))
    if (!strncmp(line, name, strlen(name)))
      mask = strtoull(line + strlen(name), NULL, 16);
  if (in)
    fclose(in);
  return mask;
}

/* True once process pid has a child: afl-showmap has spawned its target,
   so its cleanup handlers are in. */
static bool has_child(pid_t pid) {
  char path[64];
  snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
  FILE *in = fopen(path, "r");
  bool yes = in && fgetc(in) != EOF;
  if (in)
    fclose(in);
  return yes;
}

#define SIGBIT(s) (1ULL << ((s)-1))

/* Started with SIGHUP and SIGINT ignored (nohup, a background job),
   afl-showmap keeps ignoring them once its cleanup handlers are in; SIGTERM
   still cleans up and ends it. */
static void test_ignored_signals_stay_ignored(void **s) {
  (void)s;
  pid_t pid = fork();
  if (pid == 0) {
    signal(SIGHUP, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    if (chdir(dir) < 0)
      _exit(1);
    execl(showmap, showmap, "-q", "-t", "5000", "-o", "x", "--", script,
          "silent", (char *)NULL);
    _exit(1);
  }
  for (int i = 0; i < 3000 && !has_child(pid); i++)
    usleep(10000);
  assert_true(has_child(pid));
  unsigned long long ign = sig_mask(pid, "SigIgn:");
  unsigned long long cgt = sig_mask(pid, "SigCgt:");
  kill(pid, SIGTERM);
  int st;
  waitpid(pid, &st, 0);
  assert_true(ign & SIGBIT(SIGHUP));
  assert_true(ign & SIGBIT(SIGINT));
  assert_true(cgt & SIGBIT(SIGTERM));
  assert_true(WIFSIGNALED(st));
  assert_int_equal(WTERMSIG(st), SIGTERM);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_text_output),
      cmocka_unit_test(test_file_output_and_at),
      cmocka_unit_test(test_binary),
      cmocka_unit_test(test_exit_codes),
      cmocka_unit_test(test_errors),
      cmocka_unit_test(test_batch),
      cmocka_unit_test(test_cmin_format),
      cmocka_unit_test(test_cmin_crashes),
      cmocka_unit_test(test_cmin_batch),
      cmocka_unit_test(test_no_classify),
      cmocka_unit_test(test_core_dumps),
      cmocka_unit_test(test_input_file),
      cmocka_unit_test(test_batch_shm_testcases),
      cmocka_unit_test(test_bad_hellos),
      cmocka_unit_test(test_ctrl_c),
      cmocka_unit_test(test_batch_output_is_a_file),
      cmocka_unit_test(test_fd_limit_too_low),
      cmocka_unit_test(test_inherited_descriptors),
      cmocka_unit_test(test_big_input_truncated),
      cmocka_unit_test(test_ignored_signals_stay_ignored),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
