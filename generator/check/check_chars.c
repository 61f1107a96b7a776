/* check_chars.c — see check_chars.h. */
#include "check_chars.h"
#include "i18n.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The characters a report may print, once, in one place. */
static const struct {
    uint32_t first, last;
} accepted[] = {
    {0x0020, 0x007E},   /* ASCII letters, digits, punctuation, space */
    {0x00A0, 0x00AC},   /* Latin-1 signs: no-break space ¥ § ° ± · */
    {0x00AE, 0x00FF},   /* … × ÷ and accented letters (not the soft hyphen) */
    {0x0100, 0x024F},   /* Latin Extended-A/B: pinyin with tones (ā ǎ ǚ) */
    {0x0370, 0x03FF},   /* Greek */
    {0x0400, 0x045F},   /* Cyrillic (as in GB 2312) */
    {0x2010, 0x2027},   /* dashes, quotes ‘’“”, … ‧ */
    {0x2030, 0x205E},   /* ‰ ′ ″ ※ */
    {0x20A0, 0x20BF},   /* currency signs */
    {0x2100, 0x218F},   /* ℃ № ™ Ⅰ Ⅻ */
    {0x2190, 0x21FF},   /* arrows */
    {0x2200, 0x22FF},   /* mathematical operators ≤ ≥ ≠ */
    {0x2460, 0x24FF},   /* enclosed numbers ① ⑴ ⒈ */
    {0x2500, 0x257F},   /* box drawing */
    {0x25A0, 0x25FF},   /* geometric shapes ■ □ ▲ ○ ● */
    {0x2605, 0x2606},   /* ★ ☆ */
    {0x3000, 0x303F},   /* CJK punctuation 、。《》「」【】〔〕 */
    {0x3200, 0x32FF},   /* enclosed CJK ㈠ ㊣ */
    {0x3300, 0x33FF},   /* CJK compatibility ㎡ ㎏ */
    {0x3400, 0x4DBF},   /* CJK Extension A */
    {0x4E00, 0x9FFF},   /* CJK Unified Ideographs */
    {0xF900, 0xFAFF},   /* CJK compatibility ideographs */
    {0xFF01, 0xFF60},   /* full-width forms ，（）０-９Ａ-Ｚ */
    {0xFFE0, 0xFFE6},   /* full-width signs ￥ ￡ */
    {0x20000, 0x2FA1F}, /* CJK Extensions B-F, compatibility supplement */
    {0x30000, 0x323AF}, /* CJK Extensions G-H */
};

static bool in_accepted(uint32_t cp)
{
    for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++)
        if (cp >= accepted[i].first && cp <= accepted[i].last)
            return true;
    return false;
}

static bool is_direction_control(uint32_t cp)
{
    return cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x061C;
}

static bool is_invisible(uint32_t cp)
{
    return (cp >= 0x200B && cp <= 0x200D) || (cp >= 0x2060 && cp <= 0x2064) ||
           cp == 0xFEFF || cp == 0x00AD;
}

static bool is_private_use(uint32_t cp)
{
    return (cp >= 0xE000 && cp <= 0xF8FF) || cp >= 0xF0000;
}

static bool is_non_character(uint32_t cp)
{
    return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

const char *nb_character_refused(uint32_t cp)
{
    if (cp == '\n')
        return NULL;
    if (cp == 0)
        return _("a NUL character, which would cut the text short here; delete it");
    if (cp == '\t')
        return _("a tab, which a report's text cannot hold; write a space");
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
        return _("a control character, which cannot be printed; delete it (it often "
               "comes with text pasted from Word)");
    if (is_direction_control(cp))
        return _("an invisible direction control, which can make text read otherwise "
               "than it is stored; delete it");
    if (is_invisible(cp))
        return _("an invisible formatting character; delete it");
    if (cp == 0x2028 || cp == 0x2029)
        return _("a line or paragraph separator; start a new line or list item instead");
    if (cp >= 0xD800 && cp <= 0xDFFF)
        return _("half of a UTF-16 surrogate pair, not a character; delete it");
    if (is_non_character(cp))
        return _("a non-character, not text; delete it");
    if (is_private_use(cp))
        return _("a private-use character, which means nothing outside the program that "
               "made it; write the character itself");
    if (!in_accepted(cp))
        return _("not a character a report prints (Chinese, Latin, Greek, Cyrillic, "
               "digits, punctuation and common signs are); replace or delete it");
    return NULL;
}

/* A refused character worth showing in the message: one that prints as
 * something, and does not reorder or hide the message's own text. */
static bool shows(uint32_t cp)
{
    return cp >= 0x20 && !(cp >= 0x7F && cp <= 0x9F) && !is_direction_control(cp) &&
           !is_invisible(cp) && cp != 0x2028 && cp != 0x2029 && !is_non_character(cp) &&
           !(cp >= 0xD800 && cp <= 0xDFFF);
}

/* ---- reading a scalar as written ---- */

/* One character of a scalar's source: its code point, where it starts, and
 * for an escape how it was written. */
typedef struct written {
    uint32_t cp;
    size_t at, len; /* bytes of the source */
    bool escape;
    bool line_break; /* a break of the source, not a character of the text */
} written;

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* An escape of a double-quoted scalar at s[0] == '\\'. */
static written read_escape(const char *s, size_t n)
{
    static const char simple[] = "0abtnvfre \"/\\\tN_LP";
    static const uint32_t value[] = {0,   7,   8,   9,    10,   11,     12,     13,    0x1B,
                                     ' ', '"', '/', '\\', 9,    0x85,   0xA0,   0x2028, 0x2029};
    written w = {.len = 2, .escape = true};
    if (n < 2)
        return (written){.cp = '\\', .len = 1};
    const char *k = strchr(simple, s[1]);
    if (k && s[1]) {
        w.cp = value[k - simple];
        return w;
    }
    if (s[1] == '\n' || s[1] == '\r') { /* a line continued */
        w.line_break = true;
        return w;
    }
    int digits = s[1] == 'x' ? 2 : s[1] == 'u' ? 4 : s[1] == 'U' ? 8 : 0;
    uint32_t cp = 0;
    for (int i = 0; i < digits && (size_t)(2 + i) < n && hex_value(s[2 + i]) >= 0; i++) {
        cp = cp * 16 + (uint32_t)hex_value(s[2 + i]);
        w.len++;
    }
    w.cp = cp;
    return w;
}

static written read_written(const char *s, size_t n, bool double_quoted)
{
    if (double_quoted && s[0] == '\\')
        return read_escape(s, n);
    if (s[0] == '\n' || s[0] == '\r')
        return (written){.cp = '\n', .len = 1, .line_break = true};
    written w = {0};
    w.len = nb_utf8_decode(s, n, &w.cp);
    if (w.len == 0)
        w.len = 1;
    return w;
}

static void check_scalar(const nb_node *n, nb_diags *d)
{
    if (!n->source)
        return;
    bool double_quoted = n->source_len && n->source[0] == '"';
    /* a tab written in the file is content only when the value keeps one
     * (YAML drops tabs around folded lines) */
    bool keeps_tab = memchr(n->text, '\t', n->len) != NULL;
    for (size_t i = 0; i < n->source_len;) {
        written w = read_written(n->source + i, n->source_len - i, double_quoted);
        w.at = i;
        i += w.len;
        if (w.line_break || (w.cp == '\t' && !w.escape && !keeps_tab))
            continue;
        const char *why = nb_character_refused(w.cp);
        if (!why)
            continue;
        nb_pos at = nb_scalar_source_pos(n, w.at);
        if (w.escape)
            nb_error(d, at, "U+%04X (written %.*s) is %s", (unsigned)w.cp, (int)w.len,
                     n->source + w.at, why);
        else if (shows(w.cp))
            nb_error(d, at, "U+%04X '%.*s' is %s", (unsigned)w.cp, (int)w.len,
                     n->source + w.at, why);
        else
            nb_error(d, at, "U+%04X is %s", (unsigned)w.cp, why);
        return; /* one message per value */
    }
}

/* ---- the tree ---- */

/* Nodes already checked: an alias shares its anchor's node, which is
 * reported once. Open addressing, at most half full. */
typedef struct seen_set {
    const nb_node **slots;
    size_t cap, count;
} seen_set;

static size_t hash_ptr(const void *p)
{
    uintptr_t x = (uintptr_t)p;
    x ^= x >> 17;
    x *= 0xed5ad4bbu;
    x ^= x >> 11;
    return (size_t)x;
}

static bool first_visit(seen_set *s, const nb_node *n)
{
    if (2 * (s->count + 1) > s->cap) {
        seen_set bigger = {nb_xcalloc(s->cap ? s->cap * 2 : 64, sizeof *s->slots),
                           s->cap ? s->cap * 2 : 64, 0};
        for (size_t i = 0; i < s->cap; i++)
            if (s->slots[i])
                first_visit(&bigger, s->slots[i]);
        free(s->slots);
        *s = bigger;
    }
    size_t i = hash_ptr(n) & (s->cap - 1);
    for (; s->slots[i]; i = (i + 1) & (s->cap - 1))
        if (s->slots[i] == n)
            return false;
    s->slots[i] = n;
    s->count++;
    return true;
}

/* An explicit YAML tag (`!!binary`, `!!int`, `!foo`) would not change how
 * nianbao reads the value: `region: !!binary 5qGD…` would print the base64
 * letters. Only `!!str` means something (text, as quotes would). */
static void check_tag(const nb_node *n, nb_diags *d)
{
    static const char core[] = "tag:yaml.org,2002:";
    if (!n->tag || strcmp(n->tag, "tag:yaml.org,2002:str") == 0)
        return;
    bool is_core = strncmp(n->tag, core, sizeof core - 1) == 0;
    nb_error(d, n->pos, "the YAML tag %s%s means nothing in a report; delete it (a "
             "figure is a plain number, a text is plain text)", is_core ? "!!" : "",
             n->tag + (is_core ? sizeof core - 1 : 0));
}

static void walk(const nb_node *n, seen_set *seen, nb_diags *d)
{
    if (!n || !first_visit(seen, n))
        return;
    if (n->kind == NB_NODE_SCALAR) {
        check_tag(n, d);
        check_scalar(n, d);
    } else if (n->kind == NB_NODE_SEQ) {
        for (size_t i = 0; i < n->count; i++)
            walk(n->items[i], seen, d);
    } else {
        for (size_t i = 0; i < n->count; i++) {
            walk(n->pairs[i].key, seen, d);
            walk(n->pairs[i].value, seen, d);
        }
    }
}

void nb_check_characters(const nb_node *data, nb_diags *d)
{
    seen_set seen = {0};
    walk(data, &seen, d);
    free(seen.slots);
}
