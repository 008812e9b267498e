/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * The input-to-state stage (RedQueen, as AFL++ 4.04c runs it with -c at
 * its default level), once per queue entry: colourise the entry (replace
 * ranges of bytes by random ones as long as the target's path stays the
 * same), run the CmpLog build on the entry and on the colourised copy,
 * then for every logged compare put the other operand where the input
 * holds one (fuzz/i2s.c decides where and what) and judge each result as
 * any mutation. Routine operands also join the automatic dictionary.
 */
#include "cov.h"
#include "engine.h"
#include "i2s.h"

#include <stdlib.h>
#include <string.h>

bool eng_cmplog_start(struct engine *e) {
  if (!e->o->cmplog)
    return true;
  e->cmp_orig = calloc(1, sizeof(*e->cmp_orig));
  e->col = malloc(MAX_FILE);
  if (!e->cmp_orig || !e->col) {
    snprintf(e->err, sizeof(e->err), "out of memory for the CmpLog map");
    return false;
  }
  char *input =
      e->x.f.input_path && !e->x.f.input_is_temp ? e->x.f.input_path : NULL;
  return cmpx_start(&e->cx, e->o, input, e->timeout_ms, e->err, sizeof(e->err));
}

/* One CmpLog run of buf; EXEC_FAIL sets e->err and e->failed. */
static enum exec_result rq_cmplog_run(struct engine *e, const uint8_t *buf,
                                      size_t len) {
  exec_set_timeout(&e->cx.x, e->timeout_ms);
  enum exec_result r = cmpx_run(&e->cx, buf, len);
  if (r == EXEC_FAIL) {
    snprintf(e->err, sizeof(e->err), "CmpLog binary (-c %s): %s", e->o->cmplog,
             e->cx.x.err);
    e->failed = true;
  }
  return r;
}

bool eng_cmplog_check(struct engine *e) {
  bool logged = false;
  if (!e->cx.on)
    return true;
  for (size_t i = 0; i < e->q.n; i++) {
    const struct qentry *q = e->q.e[i];
    enum exec_result r = rq_cmplog_run(e, q->data, q->len);
    if (r == EXEC_FAIL)
      return false;
    if (r != EXEC_OK) {
      snprintf(e->err, sizeof(e->err),
               "the CmpLog binary (-c %s) %s on seed %s, which the target "
               "runs fine; build both from the same source",
               e->o->cmplog, r == EXEC_CRASH ? "crashes" : "times out",
               q->path);
      return false;
    }
    logged |= cmpx_used_slots(e->cx.map) > 0;
  }
  if (!logged)
    snprintf(e->err, sizeof(e->err),
             "the CmpLog binary (-c %s) logged no comparison on any seed: it "
             "is not a CmpLog build; build it with AFL_LLVM_CMPLOG=1",
             e->o->cmplog);
  return logged;
}

/* ---- colourisation --------------------------------------------------------
 */

/* Colour one range of e->col with `changed`; keep it when the path stays
   q's. False when the loop must end. */
static bool rq_colour_range(struct engine *e, const struct qentry *q,
                            const uint8_t *changed, struct i2s_range rg,
                            struct i2s_ranges *todo) {
  struct out_desc d = {.src = q->id, .op = "colorization", .pos = -1};
  uint64_t cksum = 0;
  memcpy(e->buf, e->col, q->len);
  memcpy(e->buf + rg.start, changed + rg.start, rg.end - rg.start);
  if (!eng_try(e, q->len, &d, &cksum))
    return false;
  if (cksum == q->cksum) {
    memcpy(e->col + rg.start, changed + rg.start, rg.end - rg.start);
    return true;
  }
  size_t mid = rg.start + (rg.end - rg.start) / 2;
  if (rg.end - rg.start > 1 && (!i2s_ranges_push(todo, rg.start, mid) ||
                                !i2s_ranges_push(todo, mid, rg.end))) {
    snprintf(e->err, sizeof(e->err), "out of memory");
    e->failed = true;
    return false;
  }
  return true;
}

/* e->col = q's data with every byte colourisation could change changed
   (at most 2 x length runs, AFL++'s budget). */
static bool rq_colourise(struct engine *e, const struct qentry *q) {
  uint8_t *changed = malloc(q->len);
  struct i2s_ranges todo = {0};
  struct i2s_range rg;
  bool ok = changed && i2s_ranges_push(&todo, 0, q->len);
  if (!ok) {
    snprintf(e->err, sizeof(e->err), "out of memory");
    e->failed = true;
  }
  memcpy(e->col, q->data, q->len);
  if (ok) {
    memcpy(changed, q->data, q->len);
    i2s_colour(&e->rng, changed, q->len);
  }
  for (uint64_t runs = 0;
       ok && runs < 2ULL * q->len && i2s_ranges_pop(&todo, &rg); runs++)
    ok = rq_colour_range(e, q, changed, rg, &todo);
  free(changed);
  i2s_ranges_free(&todo);
  return ok;
}

/* ---- solving --------------------------------------------------------------
 */

/* Try one edit of q's data as an `its` mutation. */
static bool rq_try_edit(struct engine *e, const struct qentry *q,
                        const struct i2s_edit *ed, uint32_t *budget) {
  if (*budget == 0)
    return true;
  (*budget)--;
  memcpy(e->buf, q->data, q->len);
  size_t len = i2s_apply(ed, e->buf, q->len, MAX_FILE);
  struct out_desc d = {.src = q->id, .op = "its", .pos = (int64_t)ed->pos};
  return eng_try(e, len, &d, NULL);
}

/* The logged compare i of slot k, as i2s_ins (false for a repeat of an
   earlier entry of the slot, or a width lop does not solve). */
static bool rq_ins(const struct engine *e, uint32_t k, uint32_t i,
                   struct i2s_ins *c) {
  const struct cmp_operands *o = &e->cx.map->log[k][i];
  const struct cmp_operands *oo = &e->cmp_orig->log[k][i];
  for (uint32_t j = 0; j < i; j++)
    if (e->cx.map->log[k][j].v0 == o->v0 && e->cx.map->log[k][j].v1 == o->v1)
      return false;
  const struct cmp_header *h = &e->cx.map->headers[k];
  *c = (struct i2s_ins){.o0 = oo->v0,
                        .o1 = oo->v1,
                        .c0 = o->v0,
                        .c1 = o->v1,
                        .size = cmp_hdr_shape(h) + 1,
                        .attr = cmp_hdr_attr(h)};
  /* 16-byte operands whose high halves are zero: their low 8 bytes. */
  if (c->size > 8 && !(o->v0_128 | o->v1_128 | oo->v0_128 | oo->v1_128))
    c->size = 8;
  return c->size <= 8;
}

/* The logged routine call i of slot k as i2s_rtn; its original operands
   join the automatic dictionary. */
static void rq_rtn(struct engine *e, uint32_t k, uint32_t i,
                   struct i2s_rtn *c) {
  const struct cmp_fn_operands *o = &cmp_fn_log(e->cx.map, k)[i];
  const struct cmp_fn_operands *oo = &cmp_fn_log(e->cmp_orig, k)[i];
  const uint8_t *ov[2] = {oo->v0, oo->v1}, *cv[2] = {o->v0, o->v1};
  uint8_t ol[2] = {oo->v0_len, oo->v1_len}, cl[2] = {o->v0_len, o->v1_len};
  for (int s = 0; s < 2; s++) {
    c->o[s] = ov[s];
    c->c[s] = cv[s];
    c->olen[s] = cmpx_fn_len(ov[s], ol[s]);
    c->clen[s] = cmpx_fn_len(cv[s], cl[s]);
    c->str[s] = ol[s] & CMP_FN_STR_LEN;
    size_t before = e->autod.n;
    if (c->olen[s] >= DICT_MIN_AUTO)
      dict_add(&e->autod, ov[s], c->olen[s]);
    e->autodict_n += e->autod.n - before;
  }
}

/* Every edit slot k's entry i suggests, at every position of q. */
static bool rq_entry(struct engine *e, const struct qentry *q, uint32_t k,
                     uint32_t i, uint32_t *budget) {
  struct i2s_edit ed[ENG_I2S_EDITS];
  struct i2s_ins ci;
  struct i2s_rtn cr;
  bool ins = cmp_hdr_type(&e->cx.map->headers[k]) == CMP_TYPE_INS;
  if (ins && !rq_ins(e, k, i, &ci))
    return true;
  if (!ins)
    rq_rtn(e, k, i, &cr);
  for (size_t pos = 0; pos < q->len && *budget; pos++) {
    size_t n = ins ? i2s_ins_edits(&ci, q->data, e->col, q->len, pos, ed,
                                   ENG_I2S_EDITS)
                   : i2s_rtn_edits(&cr, q->data, e->col, q->len, pos, ed,
                                   ENG_I2S_EDITS);
    for (size_t j = 0; j < n; j++)
      if (!rq_try_edit(e, q, &ed[j], budget))
        return false;
  }
  return true;
}

/* The entries of slot k both runs logged. */
static bool rq_slot(struct engine *e, const struct qentry *q, uint32_t k,
                    uint32_t *budget) {
  const struct cmp_header *h = &e->cx.map->headers[k];
  const struct cmp_header *oh = &e->cmp_orig->headers[k];
  if (!cmp_hdr_hits(h) || cmp_hdr_type(h) != cmp_hdr_type(oh))
    return true;
  uint32_t n = cmp_hdr_entries(h) < cmp_hdr_entries(oh) ? cmp_hdr_entries(h)
                                                        : cmp_hdr_entries(oh);
  for (uint32_t i = 0; i < n && *budget; i++)
    if (!rq_entry(e, q, k, i, budget))
      return false;
  return true;
}

/* Both CmpLog runs; *skip when the CmpLog build crashed or hung on one
   (then the entry gets no stage). */
static bool rq_cmplog_both(struct engine *e, const struct qentry *q,
                           bool *skip) {
  enum exec_result r = rq_cmplog_run(e, q->data, q->len);
  if (r == EXEC_OK) {
    cmpx_snapshot(e->cmp_orig, e->cx.map);
    r = rq_cmplog_run(e, e->col, q->len);
  }
  *skip = r != EXEC_OK;
  return r != EXEC_FAIL;
}

bool eng_i2s_stage(struct engine *e, struct qentry *q) {
  uint64_t finds = e->q.n + e->crashes, execs = e->x.execs;
  bool skip = false;
  q->passed_i2s = true;
  e->stage = "colorization";
  bool ok = rq_colourise(e, q);
  e->colour_finds += e->q.n + e->crashes - finds;
  e->colour_execs += e->x.execs - execs;
  if (!ok || !rq_cmplog_both(e, q, &skip))
    return false;
  if (skip)
    return true;
  finds = e->q.n + e->crashes;
  execs = e->x.execs;
  e->stage = "input-to-state";
  uint32_t budget = ENG_I2S_MAX_TRIES;
  for (uint32_t k = 0; k < CMP_MAP_W && ok && budget; k++)
    ok = rq_slot(e, q, k, &budget);
  e->its_finds += e->q.n + e->crashes - finds;
  e->its_execs += e->x.execs - execs;
  return ok;
}
