/* util.c — see util.h. */
#include "util.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void out_of_memory(void)
{
    fputs("nianbao: out of memory\n", stderr);
    abort();
}

void *nb_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *nb_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *nb_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory();
    return q;
}

char *nb_xstrdup(const char *s) { return nb_xstrndup(s, strlen(s)); }

char *nb_xstrndup(const char *s, size_t n)
{
    char *p = nb_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

uint64_t nb_hash_string(const char *s)
{
    uint64_t h = 14695981039346656037u; /* FNV-1a offset basis */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u; /* FNV prime */
    return h;
}

/* ---- arena ---- */
struct nb_arena_block {
    nb_arena_block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

enum { ARENA_BLOCK = 64 * 1024 };

void *nb_arena_alloc(nb_arena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    nb_arena_block *b = a->head;
    if (!b || b->size - b->used < n) {
        size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
        b = nb_xmalloc(sizeof *b + size);
        b->size = size;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = b->data + b->used;
    b->used += n;
    memset(p, 0, n);
    return p;
}

char *nb_arena_strndup(nb_arena *a, const char *s, size_t n)
{
    char *p = nb_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *nb_arena_strdup(nb_arena *a, const char *s)
{
    return nb_arena_strndup(a, s, strlen(s));
}

char *nb_arena_printf(nb_arena *a, const char *fmt, ...)
{
    nb_buf b = {0};
    va_list ap;
    va_start(ap, fmt);
    nb_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    char *p = nb_arena_strndup(a, nb_buf_str(&b), b.len);
    nb_buf_free(&b);
    return p;
}

void nb_arena_free(nb_arena *a)
{
    nb_arena_block *b = a->head;
    while (b) {
        nb_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

/* ---- buf ---- */
static void buf_reserve(nb_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = nb_xrealloc(b->data, cap);
    b->cap = cap;
}

void nb_buf_append(nb_buf *b, const char *s, size_t n)
{
    buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void nb_buf_puts(nb_buf *b, const char *s) { nb_buf_append(b, s, strlen(s)); }
void nb_buf_putc(nb_buf *b, char c) { nb_buf_append(b, &c, 1); }

void nb_buf_put_utf8(nb_buf *b, uint32_t cp)
{
    char s[4];
    size_t n;
    if (cp < 0x80) {
        s[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        s[0] = (char)(0xC0 | (cp >> 6));
        s[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        s[0] = (char)(0xE0 | (cp >> 12));
        s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        s[0] = (char)(0xF0 | (cp >> 18));
        s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        s[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        s[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    nb_buf_append(b, s, n);
}

void nb_buf_vprintf(nb_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return;
    buf_reserve(b, (size_t)n);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void nb_buf_printf(nb_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nb_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *nb_buf_str(const nb_buf *b) { return b->data ? b->data : ""; }

char *nb_buf_detach(nb_buf *b)
{
    char *p = b->data ? b->data : nb_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void nb_buf_clear(nb_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void nb_buf_free(nb_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

/* ---- UTF-8 ---- */
size_t nb_utf8_decode(const char *str, size_t n, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    *cp = 0xFFFD;
    if (n == 0)
        return 0;
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    size_t len;
    uint32_t c, min;
    if ((s[0] & 0xE0) == 0xC0) {
        len = 2, c = s[0] & 0x1F, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        len = 3, c = s[0] & 0x0F, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        len = 4, c = s[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

size_t nb_utf8_invalid_at(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        uint32_t cp;
        size_t k = nb_utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            return i;
        i += k;
    }
    return (size_t)-1;
}

size_t nb_utf8_length(const char *s, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            count++;
    return count;
}

static size_t decode_up_to(const char *s, uint32_t *cps, size_t max)
{
    size_t n = 0, len = strlen(s);
    for (size_t i = 0; i < len && n < max;) {
        size_t k = nb_utf8_decode(s + i, len - i, &cps[n]);
        i += k ? k : 1;
        n++;
    }
    return n;
}

size_t nb_utf8_edit_distance(const char *x, const char *y, size_t limit)
{
    uint32_t a[64], b[64];
    size_t n = decode_up_to(x, a, 64), m = decode_up_to(y, b, 64);
    if ((n > m ? n - m : m - n) > limit)
        return limit + 1;
    size_t row[65];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        size_t best = row[0];
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            size_t cost = diag + (a[i - 1] != b[j - 1]);
            size_t v = up + 1 < row[j - 1] + 1 ? up + 1 : row[j - 1] + 1;
            row[j] = cost < v ? cost : v;
            diag = up;
            if (row[j] < best)
                best = row[j];
        }
        if (best > limit) /* every way on is already too far */
            return limit + 1;
    }
    return row[m] > limit ? limit + 1 : row[m];
}

/* ---- files ---- */
char *nb_read_file_at_most(const char *path, size_t max, size_t *len)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        errno = EISDIR;
        return NULL;
    }
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    nb_buf b = {0};
    char chunk[65536];
    size_t n;
    while (b.len <= max && (n = fread(chunk, 1, sizeof chunk, f)) > 0)
        nb_buf_append(&b, chunk, n);
    int err = ferror(f);
    fclose(f);
    if (err) {
        nb_buf_free(&b);
        errno = EIO;
        return NULL;
    }
    if (len)
        *len = b.len;
    return nb_buf_detach(&b);
}

char *nb_read_file(const char *path, size_t *len)
{
    return nb_read_file_at_most(path, SIZE_MAX - 1, len);
}

char *nb_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return nb_xstrdup(".");
    if (slash == path)
        return nb_xstrdup("/");
    return nb_xstrndup(path, (size_t)(slash - path));
}

char *nb_path_join(const char *dir, const char *name)
{
    nb_buf b = {0};
    if (name[0] == '/' || !dir || !dir[0]) {
        nb_buf_puts(&b, name);
    } else {
        nb_buf_puts(&b, dir);
        if (dir[strlen(dir) - 1] != '/')
            nb_buf_putc(&b, '/');
        nb_buf_puts(&b, name);
    }
    return nb_buf_detach(&b);
}

char *nb_basename_noext(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t n = (dot && dot != base) ? (size_t)(dot - base) : strlen(base);
    return nb_xstrndup(base, n);
}

const char *nb_closest_word(const char *word, const char *const *candidates, size_t n)
{
    size_t len = nb_utf8_length(word, strlen(word));
    size_t limit = len <= 3 ? 1 : len <= 5 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        size_t dist = nb_utf8_edit_distance(word, candidates[i], limit);
        if (dist < best_d && dist < len) { /* never every letter replaced */
            best_d = dist;
            best = candidates[i];
        }
    }
    return best;
}

size_t nb_utf8_fit(const char *s, size_t n, size_t max)
{
    if (n <= max)
        return n;
    size_t cut = max;
    /* back over continuation bytes (10xxxxxx) to the start of a character */
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
        cut--;
    return cut;
}
