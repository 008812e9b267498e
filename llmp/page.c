/* lop - AFL-compatible coverage toolchain. SPDX-License-Identifier: Apache-2.0
 *
 * Single-writer page chains in SysV shared memory. A writer creates each
 * page 0600 and marks it for removal at once (IPC_RMID): Linux still lets
 * readers attach it by id while the writer holds it, and the kernel frees
 * it when the last process detaches or dies, so no segment outlives its
 * users, whatever signal ends them. Hence the writer keeps each page until
 * every expected reader has set its joined bit. Messages are published by
 * a release store of the page's last_id; readers load it with acquire and
 * check every length they read before using it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/shm.h>
#include <unistd.h>

#include "internal.h"

/* Room an end-of-page message takes: always left free on every page. */
#define EOP_SPAN (sizeof(struct llmp_hdr) + LLMP_ALIGN)

_Static_assert(sizeof(struct llmp_page) == 128, "page header is 128 bytes");
_Static_assert(sizeof(struct llmp_hdr) == 48, "message header is 48 bytes");
_Static_assert(EOP_SPAN >= sizeof(struct llmp_hdr) + sizeof(struct llmp_eop),
               "an end-of-page message fits its reserve");

/* ThreadSanitizer does not see shmdt and shmat as free and allocation:
   a page attached where another thread's detached page was would be
   reported as a race. A release before every detach and an acquire after
   every attach, on one address, tell it the order the kernel guarantees
   (a range is mapped again only after it was unmapped). */
#if defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define LLMP_TSAN 1
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
static char tsan_maps;
#endif
#endif

void *llmp_shm_attach(int shmid) {
  void *p = shmat(shmid, NULL, 0);
#ifdef LLMP_TSAN
  if (p != (void *)-1)
    __tsan_acquire(&tsan_maps);
#endif
  return p;
}

void llmp_shm_detach(void *p) {
#ifdef LLMP_TSAN
  __tsan_release(&tsan_maps);
#endif
  shmdt(p);
}

uint64_t llmp_random64(void) {
  uint64_t v = 0;
  if (getrandom(&v, sizeof v, 0) != sizeof v)
    v = (uint64_t)getpid() * 0x9e3779b97f4a7c15ULL ^ (uint64_t)(size_t)&v;
  return v ? v : 1;
}

size_t llmp_span(size_t len) {
  return (sizeof(struct llmp_hdr) + len + LLMP_ALIGN - 1) &
         ~(size_t)(LLMP_ALIGN - 1);
}

bool llmp_page_joined(const struct llmp_page *p, unsigned bit) {
  return atomic_load_explicit(&p->joined[bit / 64], memory_order_acquire) &
         (1ULL << (bit % 64));
}

/* Creates, attaches and marks for removal a page of size bytes. */
static int page_create(struct llmp_wpage *wp, size_t size, uint64_t chain,
                       uint64_t seq) {
  int id = shmget(IPC_PRIVATE, size, IPC_CREAT | IPC_EXCL | 0600);
  if (id < 0)
    return -errno;
  void *mem = llmp_shm_attach(id);
  int err = errno;
  shmctl(id, IPC_RMID, NULL);
  if (mem == (void *)-1)
    return err ? -err : -ENOMEM;
  struct llmp_page *p = mem;
  p->magic = LLMP_PAGE_MAGIC;
  p->chain = chain;
  p->seq = seq;
  p->size = size;
  wp->shmid = id;
  wp->p = p;
  return 0;
}

int llmp_writer_init(struct llmp_writer *w, size_t size, unsigned max_kept) {
  memset(w, 0, sizeof *w);
  w->chain = llmp_random64();
  w->base_size = size;
  w->max_kept = max_kept;
  w->cap = 8;
  w->pages = calloc(w->cap, sizeof *w->pages);
  if (!w->pages)
    return -ENOMEM;
  int err = page_create(&w->pages[0], size, w->chain, 0);
  if (err) {
    free(w->pages);
    return err;
  }
  w->n = 1;
  w->off = sizeof(struct llmp_page);
  return 0;
}

struct llmp_page *llmp_writer_page(const struct llmp_writer *w) {
  return w->pages[w->n - 1].p;
}

int llmp_writer_shmid(const struct llmp_writer *w) {
  return w->pages[w->n - 1].shmid;
}

/* Writes header fields of a message at w->off; the id is published later. */
static struct llmp_hdr *place(struct llmp_writer *w, size_t len) {
  struct llmp_page *p = llmp_writer_page(w);
  struct llmp_hdr *h = (struct llmp_hdr *)((uint8_t *)p + w->off);
  memset(h, 0, sizeof *h);
  h->len = (uint32_t)len;
  h->span = (uint32_t)llmp_span(len);
  h->id = atomic_load_explicit(&p->last_id, memory_order_relaxed) + 1;
  return h;
}

/* Size of the next page: the first size, or a power of two holding twice
   the largest message seen plus the header and the end-of-page reserve. */
static size_t next_size(const struct llmp_writer *w) {
  size_t need = 2 * w->largest + sizeof(struct llmp_page) + EOP_SPAN;
  size_t s = w->base_size;
  while (s < need)
    s *= 2;
  return s;
}

/* True when every reader that attached p has left it again. */
static bool page_idle(const struct llmp_page *p) {
  uint64_t joined = 0;
  for (unsigned i = 0; i < LLMP_JOIN_WORDS; i++)
    joined += (uint64_t)__builtin_popcountll(
        atomic_load_explicit(&p->joined[i], memory_order_acquire));
  return atomic_load_explicit(&p->left, memory_order_acquire) >= joined;
}

/* Takes a spare page of size bytes that no reader maps any more, and
   makes it the writer's next page (new seq, no messages, no readers).
   Readers check seq, so one that comes late finds a stale page, never
   old messages. */
static bool reuse_spare(struct llmp_writer *w, struct llmp_wpage *out,
                        size_t size) {
  for (size_t i = 0; i < w->nspare; i++) {
    struct llmp_page *p = w->spare[i].p;
    if (p->size != size || !page_idle(p))
      continue;
    *out = w->spare[i];
    w->spare[i] = w->spare[--w->nspare];
    p->seq = w->seq + 1;
    atomic_store_explicit(&p->last_id, 0, memory_order_relaxed);
    atomic_store_explicit(&p->left, 0, memory_order_relaxed);
    for (unsigned k = 0; k < LLMP_JOIN_WORDS; k++)
      atomic_store_explicit(&p->joined[k], 0, memory_order_relaxed);
    return true;
  }
  return false;
}

void llmp_writer_retire(struct llmp_writer *w, struct llmp_wpage wp) {
  if (w->nspare < LLMP_SPARE_PAGES)
    w->spare[w->nspare++] = wp;
  else
    llmp_shm_detach(wp.p);
}

/* Ends the current page with a message naming a new one, then writes on
   the new one. -EAGAIN when max_kept pages are still unjoined. */
static int switch_page(struct llmp_writer *w) {
  if (w->max_kept && w->n > w->max_kept)
    return -EAGAIN;
  if (w->n == w->cap) {
    struct llmp_wpage *np = realloc(w->pages, 2 * w->cap * sizeof *np);
    if (!np)
      return -ENOMEM;
    w->pages = np;
    w->cap *= 2;
  }
  struct llmp_wpage next = {-1, NULL};
  int err = reuse_spare(w, &next, next_size(w))
                ? 0
                : page_create(&next, next_size(w), w->chain, w->seq + 1);
  if (err || !next.p)
    return err ? err : -ENOMEM;
  struct llmp_hdr *h = place(w, sizeof(struct llmp_eop));
  h->tag = LLMP_TAG_EOP;
  struct llmp_eop eop = {next.shmid, 0, next.p->size, w->seq + 1, w->chain};
  memcpy(h + 1, &eop, sizeof eop);
  atomic_store_explicit(&llmp_writer_page(w)->last_id, h->id,
                        memory_order_release);
  w->pages[w->n++] = next;
  w->seq++;
  w->off = sizeof(struct llmp_page);
  return 0;
}

struct llmp_hdr *llmp_writer_alloc(struct llmp_writer *w, size_t len) {
  if (len > LLMP_MSG_MAX) {
    errno = EMSGSIZE;
    return NULL;
  }
  size_t span = llmp_span(len);
  if (span > w->largest)
    w->largest = span;
  while (w->off + span + EOP_SPAN > llmp_writer_page(w)->size) {
    int err = switch_page(w);
    if (err) {
      errno = -err;
      return NULL;
    }
  }
  w->pending = place(w, len);
  return w->pending;
}

void llmp_writer_commit(struct llmp_writer *w) {
  struct llmp_hdr *h = w->pending;
  if (!h)
    return;
  w->pending = NULL;
  w->off += h->span;
  atomic_store_explicit(&llmp_writer_page(w)->last_id, h->id,
                        memory_order_release);
}

bool llmp_page_all_joined(const struct llmp_page *p, const uint64_t *mask) {
  for (unsigned i = 0; i < LLMP_JOIN_WORDS; i++) {
    uint64_t j = atomic_load_explicit(&p->joined[i], memory_order_acquire);
    if ((j & mask[i]) != mask[i])
      return false;
  }
  return true;
}

size_t llmp_writer_release(struct llmp_writer *w, const uint64_t *mask) {
  size_t keep = 0;
  for (size_t i = 0; i + 1 < w->n; i++) {
    if (llmp_page_all_joined(w->pages[i].p, mask))
      llmp_writer_retire(w, w->pages[i]);
    else
      w->pages[keep++] = w->pages[i];
  }
  w->pages[keep++] = w->pages[w->n - 1];
  w->n = keep;
  return keep;
}

void llmp_writer_free(struct llmp_writer *w) {
  for (size_t i = 0; i < w->n; i++)
    llmp_shm_detach(w->pages[i].p);
  for (size_t i = 0; i < w->nspare; i++)
    llmp_shm_detach(w->spare[i].p);
  free(w->pages);
  memset(w, 0, sizeof *w);
}

/* Attaches page shmid and checks it is page seq of chain. */
static int page_attach(struct llmp_reader *r, int shmid, uint64_t chain,
                       uint64_t seq) {
  void *mem = llmp_shm_attach(shmid);
  if (mem == (void *)-1)
    return -ESTALE;
  struct shmid_ds ds;
  struct llmp_page *p = mem;
  if (shmctl(shmid, IPC_STAT, &ds) < 0 || ds.shm_segsz < sizeof *p ||
      p->magic != LLMP_PAGE_MAGIC || p->chain != chain || p->seq != seq ||
      p->size != ds.shm_segsz) {
    llmp_shm_detach(mem);
    return -ESTALE;
  }
  atomic_fetch_or_explicit(&p->joined[r->bit / 64], 1ULL << (r->bit % 64),
                           memory_order_acq_rel);
  r->shmid = shmid;
  r->p = p;
  r->chain = chain;
  r->seq = seq;
  r->read_id = 0;
  r->off = sizeof *p;
  return 0;
}

int llmp_reader_open(struct llmp_reader *r, int shmid, uint64_t chain,
                     uint64_t seq, unsigned bit) {
  memset(r, 0, sizeof *r);
  r->bit = bit;
  return page_attach(r, shmid, chain, seq);
}

void llmp_reader_seek(struct llmp_reader *r, uint64_t read_id, size_t off) {
  r->read_id = read_id;
  r->off = off;
}

/* Follows an end-of-page message: attach the next page, leave this one. */
static int follow_eop(struct llmp_reader *r, const struct llmp_hdr *h) {
  struct llmp_eop eop;
  if (h->len != sizeof eop)
    return -EBADMSG;
  memcpy(&eop, h + 1, sizeof eop);
  if (eop.chain != r->chain || eop.seq != r->seq + 1)
    return -EBADMSG;
  struct llmp_page *old = r->p;
  int err = page_attach(r, eop.shmid, eop.chain, eop.seq);
  if (err)
    return err;
  atomic_fetch_add_explicit(&old->left, 1, memory_order_acq_rel);
  llmp_shm_detach(old);
  return 0;
}

int llmp_reader_next(struct llmp_reader *r, struct llmp_msg *out) {
  for (;;) {
    struct llmp_page *p = r->p;
    uint64_t last = atomic_load_explicit(&p->last_id, memory_order_acquire);
    if (last <= r->read_id)
      return 0;
    size_t size = p->size;
    if (r->off > size || size - r->off < sizeof(struct llmp_hdr))
      return -EBADMSG;
    const struct llmp_hdr *h =
        (const struct llmp_hdr *)((const uint8_t *)p + r->off);
    uint32_t len = h->len, span = h->span;
    if (h->id != r->read_id + 1 || span % LLMP_ALIGN || span > size - r->off ||
        len > LLMP_MSG_MAX || llmp_span(len) != span)
      return -EBADMSG;
    r->read_id++;
    r->off += span;
    if (h->tag != LLMP_TAG_EOP) {
      *out = (struct llmp_msg){
          h->tag, h->sender, h->origin, h->seq, (const uint8_t *)(h + 1), len};
      return 1;
    }
    int err = follow_eop(r, h);
    if (err)
      return err;
  }
}

void llmp_reader_close(struct llmp_reader *r) {
  if (r->p) {
    atomic_fetch_add_explicit(&r->p->left, 1, memory_order_acq_rel);
    llmp_shm_detach(r->p);
  }
  r->p = NULL;
}
