/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * SQLite workload of make bench: an in-memory database with ROWS rows
 * (argv[1], default 20000): inserts in one transaction, an index, then
 * aggregate, LIKE, join and update queries. Prints a checksum so no build
 * can skip the work.
 */
#include "sqlite3.h"

#include <stdio.h>
#include <stdlib.h>

static sqlite3 *db;

/* Runs one statement; exits with a message on failure. */
static void exec(const char *sql) {
  char *err = NULL;
  if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
    fprintf(stderr, "sqlite-work: %s: %s\n", sql, err ? err : "?");
    exit(2);
  }
}

/* Runs a query returning one integer. */
static long long query(const char *sql) {
  sqlite3_stmt *st;
  long long v = 0;
  if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
    exit(3);
  if (sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* Inserts rows with a prepared statement inside one transaction. */
static void fill(int rows) {
  sqlite3_stmt *st;
  exec("CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, name TEXT)");
  exec("CREATE TABLE g(k INTEGER PRIMARY KEY, label TEXT)");
  exec("BEGIN");
  if (sqlite3_prepare_v2(db, "INSERT INTO t(k, name) VALUES(?, ?)", -1, &st,
                         NULL) != SQLITE_OK)
    exit(3);
  unsigned int x = 7;
  char name[32];
  for (int i = 0; i < rows; i++) {
    x = x * 1103515245U + 12345U;
    snprintf(name, sizeof(name), "row%u-%d", (x >> 8) % 5000, i % 97);
    sqlite3_bind_int(st, 1, (int)((x >> 12) % 1000));
    sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  exec("INSERT INTO g SELECT DISTINCT k, 'group' || k FROM t");
  exec("COMMIT");
}

int main(int argc, char **argv) {
  int rows = argc > 1 ? atoi(argv[1]) : 20000;
  if (sqlite3_open(":memory:", &db) != SQLITE_OK)
    return 1;
  fill(rows);
  exec("CREATE INDEX tk ON t(k)");
  long long sum = query("SELECT sum(c) FROM (SELECT count(*) c FROM t "
                        "GROUP BY k ORDER BY c DESC LIMIT 50)");
  sum += query("SELECT count(*) FROM t WHERE name LIKE '%7-1%'");
  sum += query("SELECT count(*) FROM t JOIN g ON t.k = g.k "
               "WHERE g.label LIKE 'group1%'");
  exec("UPDATE t SET name = upper(name) WHERE k % 3 = 0");
  sum += query("SELECT count(DISTINCT name) FROM t");
  printf("sqlite rows=%d sum=%lld\n", rows, sum);
  sqlite3_close(db);
  return 0;
}
