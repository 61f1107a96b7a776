/* tmpl_escape.c — escaping interpolated values.
 *
 * html: the Mustache spec's escaping.
 * markup: the report text is CommonMark read by md4c (markup.h), so a value
 * must not change the document's structure: every ASCII character that md4c
 * gives a meaning anywhere (\ ` * _ [ ] < > # | & ~) is backslash-escaped,
 * and at the start of a line also what would open a list, a quote, a setext
 * underline or a thematic break (- + = and the '.' or ')' after a number).
 * A value's line breaks are kept as soft breaks (which the markup stage joins)
 * with the next line escaped the same way; inside a heading, quote or table
 * line, where a line break would end the block, they become a space. Blank
 * lines inside a value are folded into one break, so data can never start a
 * paragraph, heading or list of its own; spaces and line breaks around the
 * value are dropped.
 */
#include <string.h>

#include "tmpl_impl.h"

static void html(nb_buf *out, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        switch (s[i]) {
        case '&': nb_buf_puts(out, "&amp;"); break;
        case '<': nb_buf_puts(out, "&lt;"); break;
        case '>': nb_buf_puts(out, "&gt;"); break;
        case '"': nb_buf_puts(out, "&quot;"); break;
        case '\'': nb_buf_puts(out, "&#39;"); break;
        default: nb_buf_putc(out, s[i]);
        }
    }
}

static bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
static bool is_break(char c) { return c == '\n' || c == '\r'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* The current output line is summed up by its first character that is not a
 * blank (0 while there is none), kept up to date as text is appended, so
 * that escaping a value never rescans the line. */
void nb_tmpl_track_line(char *first, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n')
            *first = 0;
        else if (!*first && s[i] != ' ' && s[i] != '\t')
            *first = s[i];
    }
}

static void put(nb_buf *out, char c, char *first)
{
    nb_buf_putc(out, c);
    nb_tmpl_track_line(first, &c, 1);
}

/* A heading, quote or table line: a line break would end the block. */
static bool in_block_line(char first) { return first && strchr("#>|", first); }

static void drop_trailing_blanks(nb_buf *out, size_t floor)
{
    while (out->len > floor && (out->data[out->len - 1] == ' ' ||
                                out->data[out->len - 1] == '\t'))
        out->data[--out->len] = '\0';
}

/* Replace the run of line breaks and blanks at s[0..] by one break. */
static size_t line_break(nb_buf *out, const char *s, size_t n, size_t value_start,
                         char *first)
{
    size_t j = 0;
    while (j < n && is_blank(s[j]))
        j++;
    drop_trailing_blanks(out, value_start);
    if (in_block_line(*first)) {
        unsigned char before = out->len ? (unsigned char)out->data[out->len - 1] : ' ';
        unsigned char after = (unsigned char)s[j];
        if (before < 0x80 && after < 0x80) /* CJK text joins without a space */
            nb_buf_putc(out, ' ');
    } else {
        put(out, '\n', first);
    }
    return j;
}

/* What would open a block at the start of a line; returns bytes consumed. */
static size_t line_opening(nb_buf *out, const char *s, size_t n, char *first)
{
    if (s[0] == '-' || s[0] == '+' || s[0] == '=') {
        put(out, '\\', first);
        put(out, s[0], first);
        return 1;
    }
    size_t k = 0;
    while (k < n && is_digit(s[k]))
        k++;
    if (k == 0)
        return 0;
    nb_buf_append(out, s, k);
    nb_tmpl_track_line(first, s, k);
    if (k < n && (s[k] == '.' || s[k] == ')')) {
        put(out, '\\', first);
        put(out, s[k++], first);
    }
    return k;
}

static void markup(nb_buf *out, const char *s, size_t n, char *first)
{
    static const char always[] = "\\`*_[]<>#|&~";
    while (n > 0 && is_blank(s[0]))
        s++, n--;
    while (n > 0 && is_blank(s[n - 1]))
        n--;
    size_t value_start = out->len;
    size_t i = 0;
    while (i < n) {
        if (is_break(s[i])) {
            i += line_break(out, s + i, n - i, value_start, first);
            continue;
        }
        if (!*first) {
            size_t used = line_opening(out, s + i, n - i, first);
            if (used) {
                i += used;
                continue;
            }
        }
        if (s[i] && strchr(always, s[i]))
            put(out, '\\', first);
        put(out, s[i++], first);
    }
}

void nb_tmpl_escape_tracked(nb_buf *out, const char *s, size_t n, nb_escape mode,
                            char *line_first)
{
    size_t before = out->len;
    switch (mode) {
    case NB_ESCAPE_HTML:
        html(out, s, n);
        break;
    case NB_ESCAPE_MARKUP:
        markup(out, s, n, line_first);
        return;
    case NB_ESCAPE_NONE:
        nb_buf_append(out, s, n);
        break;
    }
    nb_tmpl_track_line(line_first, out->data + before, out->len - before);
}

void nb_tmpl_escape(nb_buf *out, const char *s, size_t n, nb_escape mode)
{
    size_t start = out->len;
    while (start > 0 && out->data[start - 1] != '\n')
        start--;
    char first = 0;
    nb_tmpl_track_line(&first, out->data ? out->data + start : "", out->len - start);
    nb_tmpl_escape_tracked(out, s, n, mode, &first);
}
