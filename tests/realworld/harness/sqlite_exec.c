/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * SQLite harness: runs the testcase as SQL on a fresh in-memory database,
 * with a progress handler and small limits so that no statement runs or
 * grows without bound. Built against the instrumented libsqlite3.a.
 */
#include "input.h"
#include <sqlite3.h>

/* Virtual machine steps (in units of PROGRESS_STEPS) before a statement is
   interrupted: keeps recursive CTEs and huge joins fast. */
#define PROGRESS_STEPS 1000
#define MAX_PROGRESS_CALLS 10000

/* Largest string or blob (bytes) a statement may build. */
#define MAX_LENGTH 100000

static int progress_calls;

/* Progress handler: a non-zero return interrupts the running statement. */
static int progress(void *unused) {
  (void)unused;
  return ++progress_calls > MAX_PROGRESS_CALLS;
}

/* Runs NUL-terminated sql; returns sqlite3_exec's result code. */
static int run_sql(const char *sql) {
  sqlite3 *db;
  int rc;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK)
    return SQLITE_CANTOPEN;
  sqlite3_limit(db, SQLITE_LIMIT_LENGTH, MAX_LENGTH);
  sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
  sqlite3_progress_handler(db, PROGRESS_STEPS, progress, NULL);
  rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
  sqlite3_close(db);
  return rc;
}

int main(int argc, char **argv) {
  size_t len = 0;
  unsigned char *buf = harness_read_input(argc, argv, &len);
  if (!buf)
    return 1;
  run_sql((const char *)buf);
  free(buf);
  return 0;
}
