/* util.h — small building blocks shared by every stage: an arena allocator
 * (every tree of one build lives and dies together), a growable byte buffer,
 * UTF-8 decoding, and allocation that never returns NULL.
 */
#ifndef NB_UTIL_H
#define NB_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Allocation failure is not recoverable for a command-line tool: these abort
 * with a message instead of making every caller test for NULL. */
void *nb_xmalloc(size_t n);
void *nb_xcalloc(size_t count, size_t size);
void *nb_xrealloc(void *p, size_t n);
char *nb_xstrdup(const char *s);
char *nb_xstrndup(const char *s, size_t n);

/* Grow a dynamic array `items` of `count` elements with capacity `cap` so that
 * one more element fits. */
#define NB_GROW(items, count, cap)                                            \
    do {                                                                      \
        if ((count) >= (cap)) {                                               \
            (cap) = (cap) ? (cap) * 2 : 8;                                    \
            (items) = nb_xrealloc((items), (cap) * sizeof *(items));          \
        }                                                                     \
    } while (0)

/* The 64-bit FNV-1a hash of a string, for the hash tables of keys. */
uint64_t nb_hash_string(const char *s);

/* ---- arena: many small allocations, one free ---- */
typedef struct nb_arena_block nb_arena_block;
typedef struct nb_arena {
    nb_arena_block *head;
} nb_arena;

void *nb_arena_alloc(nb_arena *a, size_t n); /* zeroed, 16-byte aligned */
char *nb_arena_strdup(nb_arena *a, const char *s);
char *nb_arena_strndup(nb_arena *a, const char *s, size_t n);
char *nb_arena_printf(nb_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void nb_arena_free(nb_arena *a);

/* ---- buf: a growable, always NUL-terminated byte string ---- */
typedef struct nb_buf {
    char *data; /* NULL until the first append */
    size_t len;
    size_t cap;
} nb_buf;

void nb_buf_append(nb_buf *b, const char *s, size_t n);
void nb_buf_puts(nb_buf *b, const char *s);
void nb_buf_putc(nb_buf *b, char c);
void nb_buf_put_utf8(nb_buf *b, uint32_t cp);
void nb_buf_printf(nb_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void nb_buf_vprintf(nb_buf *b, const char *fmt, va_list ap);
const char *nb_buf_str(const nb_buf *b); /* "" when empty, never NULL */
char *nb_buf_detach(nb_buf *b);          /* caller frees; buffer reset */
void nb_buf_clear(nb_buf *b);
void nb_buf_free(nb_buf *b);

/* ---- UTF-8 ---- */
/* Decode one code point at s[0..n). Returns its length in bytes (1..4), or 0
 * for an invalid or truncated sequence (then *cp is U+FFFD). */
size_t nb_utf8_decode(const char *s, size_t n, uint32_t *cp);
/* Byte offset of the first invalid sequence, or (size_t)-1 if all valid. */
size_t nb_utf8_invalid_at(const char *s, size_t n);
/* Number of code points in a valid UTF-8 string. */
size_t nb_utf8_length(const char *s, size_t n);
/* Levenshtein distance between two strings, counted in code points (the
 * first 64 of each), or limit + 1 when it is larger than `limit`: how "did
 * you mean" suggestions find a slip of the pen. */
size_t nb_utf8_edit_distance(const char *x, const char *y, size_t limit);
/* The candidate closest to `word` if it is close enough to be a slip of the
 * pen (a letter or two wrong, missing, doubled or swapped), else NULL: the
 * "did you mean" of every unknown key, alias and command. */
const char *nb_closest_word(const char *word, const char *const *candidates, size_t n);
/* The length of the longest start of s[0..n) that ends between two
 * characters and is at most `max` bytes: where to cut text to fit. */
size_t nb_utf8_fit(const char *s, size_t n, size_t max);

/* ---- files ---- */
/* Read a whole file. Returns NULL and sets errno on failure. */
char *nb_read_file(const char *path, size_t *len);
/* Read at most `max` + 1 bytes, so that a file over a limit — or an endless
 * one such as /dev/zero or a pipe — is refused without being read whole. */
char *nb_read_file_at_most(const char *path, size_t max, size_t *len);
/* Directory part of a path ("." if none); caller frees. */
char *nb_dirname(const char *path);
/* Join a directory and a relative name; caller frees. */
char *nb_path_join(const char *dir, const char *name);
/* The file name without directory and without its last extension; caller frees. */
char *nb_basename_noext(const char *path);

#endif
