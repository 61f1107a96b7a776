/* source_slips.c — the slips of a Chinese input method in YAML, named where
 * they are typed. See source_slips.h.
 *
 * A full-width colon after a key, a key without the space after its colon,
 * a comma inside a number in {…}: libyaml either accepts them with another
 * meaning (1,040 becomes two entries) or stumbles over them a line later
 * with words about "simple keys". These functions look at the text itself,
 * line by line, and say what was typed and what to type instead.
 */
#include "source_slips.h"

#include <string.h>

#include "util.h"

#define FULLWIDTH_COLON "\xEF\xBC\x9A" /* ： U+FF1A */
#define FULLWIDTH_COMMA "\xEF\xBC\x8C" /* ， U+FF0C */

/* ---- lines ---- */
typedef struct line {
    const char *start; /* the line's first byte */
    size_t len;        /* without its line break */
    int number;        /* 1-based */
} line;

/* The line that starts at *offset, moving *offset to the next; false at the
 * end of the text. */
static bool next_line(const char *text, size_t len, size_t *offset, line *l)
{
    if (*offset >= len)
        return false;
    const char *p = text + *offset, *nl = memchr(p, '\n', len - *offset);
    size_t n = nl ? (size_t)(nl - p) : len - *offset;
    *offset += n + (nl ? 1 : 0);
    l->start = p;
    l->len = n && p[n - 1] == '\r' ? n - 1 : n;
    l->number++;
    return true;
}

/* The 1-based column, in characters, of byte `at` of the line. */
static int column_of(const line *l, const char *at)
{
    return (int)nb_utf8_length(l->start, (size_t)(at - l->start)) + 1;
}

static nb_pos pos_in(const char *name, const line *l, const char *at)
{
    return (nb_pos){name, l->number, column_of(l, at)};
}

static bool is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-';
}

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Where the line's content starts: after its indentation and a list dash. */
static const char *content_start(const line *l)
{
    const char *p = l->start, *end = l->start + l->len;
    while (p < end && *p == ' ')
        p++;
    while (p + 1 < end && p[0] == '-' && p[1] == ' ') {
        p += 2;
        while (p < end && *p == ' ')
            p++;
    }
    return p;
}

/* The end of an ASCII key that starts at p (a letter or '_'), or p. */
static const char *key_end(const char *p, const char *end)
{
    if (p >= end || is_digit(*p) || *p == '-' || !is_key_char(*p))
        return p;
    while (p < end && is_key_char(*p))
        p++;
    return p;
}

/* The value as typed after a slip, trimmed, for the corrected line. */
static int value_len(const char *p, const char *end)
{
    while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
        end--;
    return (int)(end - p);
}

/* ---- slips libyaml stumbles over later ---- */
/* `region：某某县` — a full-width colon after an ASCII key. */
static bool fullwidth_colon(const char *name, const line *l, nb_diags *d)
{
    const char *end = l->start + l->len, *key = content_start(l), *k = key_end(key, end);
    size_t n = strlen(FULLWIDTH_COLON);
    if (k == key || (size_t)(end - k) < n || memcmp(k, FULLWIDTH_COLON, n) != 0)
        return false;
    const char *value = k + n;
    while (value < end && *value == ' ')
        value++;
    nb_error(d, pos_in(name, l, k),
             "'%.*s' is written with the full-width colon '：' after the key %.*s; YAML "
             "needs the half-width colon and a space: %.*s: %.*s",
             value_len(key, end), key, (int)(k - key), key, (int)(k - key), key,
             value_len(value, end), value);
    return true;
}

/* `licensing:12580` — no space after the colon, so the line is one text. */
static bool colon_without_space(const char *name, const line *l, nb_diags *d)
{
    const char *end = l->start + l->len, *key = content_start(l), *k = key_end(key, end);
    if (k == key || k + 1 >= end || *k != ':')
        return false;
    char after = k[1];
    if (after == ' ' || after == '\t' || after == '/' || after == ':')
        return false; /* a proper key, or an address such as http://… */
    nb_error(d, pos_in(name, l, k),
             "'%.*s' has no space after the colon, so YAML reads the whole line as one "
             "text; write %.*s: %.*s",
             value_len(key, end), key, (int)(k - key), key, value_len(k + 1, end), k + 1);
    return true;
}

/* A tab in the line's indentation, or between a dash or colon and a value. */
static bool tab_in_indentation(const char *name, const line *l, nb_diags *d)
{
    const char *end = l->start + l->len;
    for (const char *p = l->start; p < end; p++) {
        if (*p == '\t') {
            nb_error(d, pos_in(name, l, p), "a tab is used for indentation here; indent "
                     "with spaces");
            return true;
        }
        if (*p != ' ' && *p != '-')
            return false;
    }
    return false;
}

bool nb_slips_explain(const char *name, const char *text, size_t len, int at_line,
                      nb_diags *d)
{
    /* the slip is on the line libyaml names or on one of the two lines
     * before it (libyaml reads a line too far before it gives up); the
     * nearest one is the one */
    line lines[3];
    int found = 0;
    size_t offset = 0;
    line l = {0};
    while (l.number < at_line && next_line(text, len, &offset, &l))
        if (l.number >= at_line - 2)
            lines[found++] = l;
    for (int i = found; i-- > 0;)
        if (tab_in_indentation(name, &lines[i], d) || fullwidth_colon(name, &lines[i], d) ||
            colon_without_space(name, &lines[i], d))
            return true;
    return false;
}

/* ---- slips libyaml accepts with another meaning ---- */
/* The scan's state across lines: quotes, brackets, comments. */
typedef struct scan {
    char quote;      /* ' or " while in a quoted value */
    char flow[64];   /* the open brackets, innermost last */
    int depth;
    int block_indent; /* inside a | or > block: its parent's indentation; else -1 */
} scan;

/* A quote opens a value only where a value starts. */
static bool starts_value(const line *l, const char *p)
{
    if (p == l->start)
        return true;
    char c = p[-1];
    return c == ' ' || c == '[' || c == '{' || c == ',' || c == ':' || c == '-';
}

static int indentation(const line *l)
{
    int n = 0;
    while ((size_t)n < l->len && l->start[n] == ' ')
        n++;
    return n;
}

/* Does the line open a block scalar (`key: |`, `- >-`)? */
static bool opens_block(const line *l)
{
    const char *end = l->start + l->len;
    while (end > l->start && end[-1] == ' ')
        end--;
    while (end > l->start && (end[-1] == '-' || end[-1] == '+' || is_digit(end[-1])))
        end--;
    return end - l->start >= 2 && (end[-1] == '|' || end[-1] == '>') &&
           (end[-2] == ' ' || end[-2] == ':');
}

/* `{natural: 1,040}` — a thousands comma splits a number in two. */
static bool thousands_comma(const char *name, const line *l, const char *p, nb_diags *d)
{
    const char *end = l->start + l->len;
    if (*p != ',' || p == l->start || !is_digit(p[-1]) || end - p < 4 || !is_digit(p[1]) ||
        !is_digit(p[2]) || !is_digit(p[3]) || (p + 4 < end && is_digit(p[4])))
        return false;
    const char *first = p;
    while (first > l->start && (is_digit(first[-1]) || first[-1] == ','))
        first--;
    const char *last = p + 4;
    while (last + 3 < end && last[0] == ',' && is_digit(last[1]) && is_digit(last[2]) &&
           is_digit(last[3]))
        last += 4;
    nb_buf digits = {0};
    for (const char *q = first; q < last; q++)
        if (*q != ',')
            nb_buf_putc(&digits, *q);
    nb_error(d, pos_in(name, l, first),
             "'%.*s' is written with a thousands separator: inside {…} or […] the comma "
             "separates entries, so it splits the number in two; write the digits alone "
             "(%s)", (int)(last - first), first, nb_buf_str(&digits));
    nb_buf_free(&digits);
    return true;
}

/* `{natural: 40，commercial: 2}` — a full-width comma between entries. */
static bool fullwidth_comma(const char *name, const line *l, const char *p, nb_diags *d)
{
    const char *end = l->start + l->len;
    size_t n = strlen(FULLWIDTH_COMMA);
    if ((size_t)(end - p) < n || memcmp(p, FULLWIDTH_COMMA, n) != 0)
        return false;
    const char *next = p + n;
    while (next < end && *next == ' ')
        next++;
    const char *k = key_end(next, end);
    bool before_key = k > next && k < end && *k == ':';
    bool after_digit = p > l->start && is_digit(p[-1]);
    if (!before_key && !after_digit)
        return false; /* a comma in Chinese text, where it belongs */
    const char *from = p;
    while (from > l->start && from[-1] != ',' && from[-1] != '{' && from[-1] != ' ')
        from--;
    const char *to = k > next ? k : next;
    if (after_digit && !before_key) {
        while (to < end && is_digit(*to))
            to++;
        nb_error(d, pos_in(name, l, p),
                 "'%.*s' is written with the full-width comma '，' inside a number; "
                 "write the digits alone, without a separator", (int)(to - from), from);
        return true;
    }
    nb_error(d, pos_in(name, l, p),
             "'%.*s': the full-width comma '，' does not separate the entries of {…}; "
             "use the half-width comma and a space: ', '", (int)(to - from), from);
    return true;
}

/* One line of the scan: quotes, comments, brackets, and the slips inside
 * brackets. */
static bool scan_line(scan *s, const char *name, const line *l, nb_diags *d)
{
    const char *end = l->start + l->len;
    for (const char *p = l->start; p < end; p++) {
        char c = *p;
        if (s->quote) {
            if (c == s->quote && s->quote == '\'' && p + 1 < end && p[1] == '\'')
                p++; /* '' inside '…' */
            else if (c == '\\' && s->quote == '"' && p + 1 < end)
                p++;
            else if (c == s->quote)
                s->quote = 0;
            continue;
        }
        if (c == '#' && (p == l->start || p[-1] == ' '))
            return false; /* a comment to the end of the line */
        if ((c == '\'' || c == '"') && starts_value(l, p)) {
            s->quote = c;
        } else if ((c == '[' || c == '{') && s->depth < (int)sizeof s->flow) {
            s->flow[s->depth++] = c;
        } else if ((c == ']' || c == '}') && s->depth > 0) {
            s->depth--;
        } else if (s->depth > 0) {
            if (thousands_comma(name, l, p, d))
                return true;
            if (s->flow[s->depth - 1] == '{' && fullwidth_comma(name, l, p, d))
                return true;
        }
    }
    return false;
}

bool nb_slips_check(const char *name, const char *text, size_t len, nb_diags *d)
{
    scan s = {.block_indent = -1};
    line l = {0};
    size_t offset = 0;
    while (next_line(text, len, &offset, &l)) {
        bool blank = content_start(&l) == l.start + l.len;
        if (s.block_indent >= 0) {
            if (blank || indentation(&l) > s.block_indent)
                continue; /* text of a | or > block: anything goes */
            s.block_indent = -1;
        }
        if (scan_line(&s, name, &l, d))
            return false;
        if (!s.quote && s.depth == 0 && opens_block(&l))
            s.block_indent = indentation(&l);
    }
    return true;
}
