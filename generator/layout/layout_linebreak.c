/* layout_linebreak.c — see layout_linebreak.h. */
#include "layout_linebreak.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Widths are sums of a few dozen doubles: a line that fits exactly must not
 * be rejected for rounding. */
#define FIT_EPS 1e-6

/* A mark set half-width gives up HALF_MARGIN pt less than half its box (see
 * half_blank); a pushed-in line may make up for that by setting its
 * characters up to SQUEEZE pt closer than the tracking, which keeps every
 * overlap within half an em. */
#define HALF_MARGIN 0.05
#define SQUEEZE 0.04

/* ---- character classes ---- */

static bool in_list(uint32_t cp, const uint32_t *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == cp)
            return true;
    return false;
}

#define IN(cp, list) in_list((cp), (list), sizeof(list) / sizeof(list)[0])

/* Full-width closing and pause marks whose glyph sits in the left half of the
 * em box: their right half is blank and may be taken away. */
static const uint32_t close_marks[] = {
    0xFF0C, 0x3001, 0x3002, 0xFF0E, 0xFF1A, 0xFF1B, /* ，、。．：； */
    0xFF09, 0xFF3D, 0xFF5D, 0x3009, 0x300B, 0x300D, /* ）］｝〉》」 */
    0x300F, 0x3011, 0x3015, 0x3017, 0x3019,         /* 』】〕〗〙 */
    0x2019, 0x201D,                                 /* ’” */
};

/* Full-width opening marks: glyph in the right half, blank left half. */
static const uint32_t open_marks[] = {
    0xFF08, 0xFF3B, 0xFF5B, 0x3008, 0x300A, 0x300C, /* （［｛〈《「 */
    0x300E, 0x3010, 0x3014, 0x3016, 0x3018,         /* 『【〔〖〘 */
    0x2018, 0x201C,                                 /* ‘“ */
};

/* Marks that may not begin a line besides close_marks: the centred or
 * half-width ones, dashes and ellipses, and units written as symbols. */
static const uint32_t other_no_start[] = {
    '!',    ')',    ',',    '.',    ':',    ';',    '?',    ']',    '}',    '%',
    0xFF01, 0xFF1F, 0xFF05, 0xFF5E, 0x301C, 0x30FB, /* ！？％～〜・ */
    0x2026, 0x2025, 0x2014, 0x2015, 0x2013, 0x2E3A, /* …‥—―–⸺ */
    0x00B7, 0x2030, 0x2103,                         /* ·‰℃ */
};

/* Marks that may not end a line besides open_marks: half-width openers and
 * currency signs, which belong to the number after them. */
static const uint32_t other_no_end[] = {
    '(', '[', '{', '$', 0x00A5, 0xFFE5, 0x00A3, 0x20AC, /* ¥￥£€ */
};

bool nb_lb_no_line_start(uint32_t cp)
{
    return IN(cp, close_marks) || IN(cp, other_no_start);
}

bool nb_lb_no_line_end(uint32_t cp) { return IN(cp, open_marks) || IN(cp, other_no_end); }

bool nb_lb_is_forced_break(uint32_t cp) { return cp == '\n' || cp == 0x2028; }

static bool is_space(uint32_t cp) { return cp == ' '; }

static bool is_digit(uint32_t cp)
{
    return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19);
}

/* Characters of numbers and Latin words. */
static bool is_alnum(uint32_t cp)
{
    return is_digit(cp) || (cp >= 'A' && cp <= 'Z') || (cp >= 'a' && cp <= 'z') ||
           (cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A) ||
           (cp >= 0x00C0 && cp <= 0x024F && cp != 0x00D7 && cp != 0x00F7);
}

/* Characters that join two word characters into one unbreakable unit:
 * 0736-6620322, 3.5, 1,000, 12:30, a/b, user@host. */
static bool is_joiner(uint32_t cp)
{
    return cp == '.' || cp == ',' || cp == '-' || cp == '/' || cp == ':' || cp == '_' ||
           cp == '@' || cp == '+' || cp == '&' || cp == '\'' || cp == '#' || cp == '~' ||
           cp == 0x2010 || cp == 0x2011 || cp == 0x2013 || cp == 0xFF0D || cp == 0xFF0E;
}

static bool is_ideograph(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3FFFF) ||
           cp == 0x3007;
}

enum { MARK_NONE, MARK_CLOSE, MARK_OPEN };

static int mark_kind(const nb_lb_char *ch, double em)
{
    if (ch->advance < 0.75 * em)
        return MARK_NONE; /* a half-width form: nothing to take away */
    if (IN(ch->cp, close_marks))
        return MARK_CLOSE;
    if (IN(ch->cp, open_marks))
        return MARK_OPEN;
    return MARK_NONE;
}

/* How strongly a break between c[b-1] and c[b] is ruled out:
 * 0 allowed; 1 splits a word, a number or a number and its unit, or puts a
 * space at a line start; 2 breaks a punctuation rule. Breaks are taken at the
 * lowest level that yields a line. */
enum { BREAK_FREE = 0, BREAK_GLUE = 1, BREAK_PUNCT = 2 };

static int break_level(const nb_lb_char *c, size_t n, size_t b)
{
    uint32_t x = c[b - 1].cp, y = c[b].cp;
    if (nb_lb_no_line_start(y) || nb_lb_no_line_end(x))
        return BREAK_PUNCT;
    if (is_space(y))
        return BREAK_GLUE;
    if (is_alnum(x) && is_alnum(y))
        return BREAK_GLUE;
    if (is_alnum(x) && is_joiner(y) && b + 1 < n && is_alnum(c[b + 1].cp))
        return BREAK_GLUE;
    if (is_joiner(x) && is_alnum(y) && b >= 2 && is_alnum(c[b - 2].cp))
        return BREAK_GLUE;
    if (is_digit(x) && is_ideograph(y))
        return BREAK_GLUE; /* 135000条 */
    return BREAK_FREE;
}

/* ---- composing ---- */

typedef struct composer {
    const nb_lb_char *c;
    size_t n;
    const nb_lb_spec *spec;
    nb_lb_result *out;
} composer;

static double set_width(const composer *k, size_t i)
{
    return k->c[i].advance - k->out->trim_left[i] - k->out->trim_right[i];
}

/* The blank taken from a mark set half-width: a hair less than half its
 * box, less the grid's negative tracking too. The character after it then
 * overlaps its box by less than half an em, even on a line that is not
 * stretched; a glyph overlapped by more than that reads to text extraction
 * (poppler) as the start of a new line. */
static double half_blank(const composer *k, size_t i)
{
    double t = k->spec->tracking < 0 ? k->spec->tracking : 0;
    double h = k->c[i].advance / 2 + t - HALF_MARGIN;
    return h > 0 ? h : 0;
}

/* Adjacent full-width marks: the blank between them is at most half an em. */
static void close_up_adjacent_marks(composer *k)
{
    for (size_t i = 0; i + 1 < k->n; i++) {
        int a = mark_kind(&k->c[i], k->spec->em);
        int b = mark_kind(&k->c[i + 1], k->spec->em);
        if (a == MARK_CLOSE && (b == MARK_CLOSE || b == MARK_OPEN))
            k->out->trim_right[i] = half_blank(k, i);
        else if (a == MARK_OPEN && b == MARK_OPEN)
            k->out->trim_left[i + 1] = half_blank(k, i + 1);
    }
}

/* Natural width of [s, e) up to its last visible character. */
static double natural_width(const composer *k, size_t s, size_t e, size_t *ink_end)
{
    size_t ie = e;
    while (ie > s && (is_space(k->c[ie - 1].cp) || nb_lb_is_forced_break(k->c[ie - 1].cp)))
        ie--;
    double w = 0;
    for (size_t i = s; i < ie; i++)
        w += set_width(k, i) + (i > s ? k->spec->tracking : 0);
    if (ink_end)
        *ink_end = ie;
    return w;
}

/* The end of the longest prefix of the text from `s` that fits in `room`
 * (at least one character). Trailing spaces always fit: they hang. */
static size_t fitting_end(const composer *k, size_t s, double room)
{
    double acc = 0;
    size_t e;
    for (e = s; e < k->n; e++) {
        if (nb_lb_is_forced_break(k->c[e].cp))
            break;
        double w = set_width(k, e) + (e > s ? k->spec->tracking : 0);
        if (e > s && !is_space(k->c[e].cp) && acc + w > room + FIT_EPS)
            break;
        acc += w;
    }
    return e;
}

/* Sets full-width marks inside [s, e) half-width — an opening mark at the
 * line start first, then others from the end, never the last character (a
 * mark at a line end keeps its full box: set half-width, its box would still
 * reach past the margin for every tool that measures boxes) — until the
 * line fits `room`, the last hair of room taken from the spacing. False,
 * with every trim as it was, when the marks do not give enough room. */
static bool squeeze_marks_inside(composer *k, size_t s, size_t e, double room)
{
    double need = natural_width(k, s, e, NULL) - room;
    size_t order[64];
    size_t norder = 0;
    order[norder++] = s;
    for (size_t i = e - 1; i-- > s + 1 && norder < 64;)
        order[norder++] = i;
    double *tl = k->out->trim_left, *tr = k->out->trim_right;
    double saved_l[64], saved_r[64];
    for (size_t j = 0; j < norder; j++) {
        saved_l[j] = tl[order[j]];
        saved_r[j] = tr[order[j]];
    }
    for (size_t j = 0; j < norder && need > SQUEEZE * (double)(e - s - 1) + FIT_EPS; j++) {
        size_t i = order[j];
        int kind = mark_kind(&k->c[i], k->spec->em);
        /* never both sides of one gap: the glyphs would overlap by an em */
        if (kind == MARK_CLOSE && tr[i] == 0 && (i + 1 >= k->n || tl[i + 1] == 0)) {
            tr[i] = half_blank(k, i);
            need -= tr[i];
        } else if (kind == MARK_OPEN && tl[i] == 0 && (i == 0 || tr[i - 1] == 0)) {
            tl[i] = half_blank(k, i);
            need -= tl[i];
        }
    }
    if (need <= SQUEEZE * (double)(e - s - 1) + FIT_EPS)
        return true;
    for (size_t j = 0; j < norder; j++) { /* cannot: leave the line as it was */
        tl[order[j]] = saved_l[j];
        tr[order[j]] = saved_r[j];
    }
    return false;
}

/* Push in: the marks that would begin the next line are kept on this one by
 * setting punctuation inside the line half-width (squeeze_marks_inside);
 * when the marks inside do not give enough room, the line is pushed out
 * instead. Returns the new end, or 0 when that cannot be done. */
static size_t push_in(composer *k, size_t s, size_t e, double room)
{
    size_t e2 = e;
    while (e2 < k->n && e2 - e < 2 && nb_lb_no_line_start(k->c[e2].cp) &&
           !is_space(k->c[e2].cp))
        e2++;
    if (e2 == e)
        return 0;
    if (e2 < k->n && !nb_lb_is_forced_break(k->c[e2].cp) &&
        break_level(k->c, k->n, e2) != BREAK_FREE)
        return 0;
    /* the mark now ending the line gets its full box back from a close-up
     * with the mark after it (which begins the next line) */
    double *tl = k->out->trim_left, *tr = k->out->trim_right;
    double saved_r = tr[e2 - 1], saved_l = e2 < k->n ? tl[e2] : 0;
    tr[e2 - 1] = 0;
    if (e2 < k->n)
        tl[e2] = 0;
    if (squeeze_marks_inside(k, s, e2, room))
        return e2;
    tr[e2 - 1] = saved_r;
    if (e2 < k->n)
        tl[e2] = saved_l;
    return 0;
}

/* Push out: the last break at or before `e` allowed at `level`; 0 if none. */
static size_t last_break(const composer *k, size_t s, size_t e, int level)
{
    for (size_t b = e; b > s; b--)
        if (break_level(k->c, k->n, b) <= level)
            return b;
    return 0;
}

/* Two marks set closer because they were neighbours are no longer
 * neighbours once a line break falls between them: each gets its full box
 * back. The mark that now ends the line must have it (its box would reach
 * past the margin otherwise: 《…办法》 before （, half an em out); when the
 * line no longer fits, marks inside it are set half-width instead. False,
 * with the trims as they were, when even that leaves the line too wide. */
static bool separate_marks_at_break(composer *k, size_t s, size_t b, double room)
{
    if (b == 0 || b >= k->n)
        return true;
    double *tl = k->out->trim_left, *tr = k->out->trim_right;
    double trimmed_l = tl[b], trimmed_r = tr[b - 1];
    tl[b] = 0;
    if (trimmed_r == 0)
        return true;
    tr[b - 1] = 0;
    size_t gaps = b - s - 1;
    if (natural_width(k, s, b, NULL) <= room + SQUEEZE * (double)gaps + FIT_EPS ||
        squeeze_marks_inside(k, s, b, room))
        return true;
    tl[b] = trimmed_l;
    tr[b - 1] = trimmed_r;
    return false;
}

/* The break at or before `b` where the line [s, b) fits with its last mark
 * in its full box: `b` itself, else earlier breaks (pushed out further). */
static size_t settle_break(composer *k, size_t s, size_t b, double room)
{
    size_t tried = b;
    while (!separate_marks_at_break(k, s, tried, room)) {
        size_t earlier = last_break(k, s, tried - 1, BREAK_FREE);
        if (!earlier)
            earlier = last_break(k, s, tried - 1, BREAK_GLUE);
        if (!earlier)
            return b; /* nothing better: as close to the margin as it gets */
        tried = earlier;
    }
    return tried;
}

static void add_line(composer *k, size_t s, size_t e, double room, bool stretch)
{
    nb_lb_line line = {.start = s, .end = e, .char_space = k->spec->tracking};
    line.width = natural_width(k, s, e, &line.ink_end);
    size_t gaps = line.ink_end > s ? line.ink_end - s - 1 : 0;
    if (gaps > 0 && line.width > room && line.width <= room + SQUEEZE * (double)gaps + FIT_EPS) {
        /* pushed in: the last hair of room comes from the spacing */
        line.char_space += (room - line.width) / (double)gaps;
        line.width = room;
        line.justified = stretch && k->spec->justify;
    } else if (stretch && k->spec->justify && gaps > 0 && line.width <= room) {
        double extra = (room - line.width) / (double)gaps;
        /* A line left short by an unbreakable unit stays ragged rather
         * than being torn apart. */
        if (extra <= k->spec->em / 2) {
            line.char_space += extra;
            line.width = room;
            line.justified = true;
        }
    }
    NB_GROW(k->out->lines, k->out->nlines, k->out->cap);
    k->out->lines[k->out->nlines++] = line;
}

/* One line from `s`; returns where the next begins. */
static size_t compose_line(composer *k, size_t s)
{
    double room = k->out->nlines == 0 ? k->spec->first_width : k->spec->width;
    size_t e = fitting_end(k, s, room);
    if (e < k->n && nb_lb_is_forced_break(k->c[e].cp)) {
        add_line(k, s, e + 1, room, false);
        return e + 1;
    }
    if (e == k->n) {
        add_line(k, s, e, room, false);
        return e;
    }
    size_t b = push_in(k, s, e, room);
    if (!b) {
        b = last_break(k, s, e, BREAK_FREE);
        if (!b)
            b = last_break(k, s, e, BREAK_GLUE);
        if (!b)
            b = e; /* nothing else fits: break anywhere rather than overflow */
        b = settle_break(k, s, b, room);
    }
    bool last = b == k->n;
    add_line(k, s, b, room, !last);
    return b;
}

void nb_linebreak(const nb_lb_char *c, size_t n, const nb_lb_spec *spec, nb_lb_result *out)
{
    memset(out, 0, sizeof *out);
    out->trim_left = nb_xcalloc(n ? n : 1, sizeof(double));
    out->trim_right = nb_xcalloc(n ? n : 1, sizeof(double));
    composer k = {c, n, spec, out};
    close_up_adjacent_marks(&k);
    size_t s = 0;
    while (s < n)
        s = compose_line(&k, s);
}

/* ---- balanced lines (titles, table cells) ---- */

/* How well a break between c[b-1] and c[b] reads in a title or a cell;
 * lower is better. There is no dictionary: the seams between the words of
 * meaning of an official title show in its characters. Between phrases:
 * after a pause or closing mark, before an opening mark, before a number
 * (the year after the issuer: 淮安市人民政府 / 2024年…) and before 关于.
 * Inside a phrase but between words: after a number's 年, 年度, 月, 日.
 * Anywhere else the break may split a word. (An issuer's name is not a
 * seam of its own: 政府 also begins 政府信息公开.) */
enum { SEAM_PHRASE = 0, SEAM_UNIT = 1, SEAM_WORD = 3 };
#define LONE_CHARACTER 10.0 /* cost of a line of one character */
#define TIE 1e-9

/* Does the text from b on begin with the UTF-8 word? */
static bool word_at(const nb_lb_char *c, size_t n, size_t b, const char *word)
{
    size_t len = strlen(word);
    for (size_t i = 0; i < len; b++) {
        uint32_t cp;
        size_t k = nb_utf8_decode(word + i, len - i, &cp);
        if (k == 0 || b >= n || c[b].cp != cp)
            return false;
        i += k;
    }
    return true;
}

static int seam_cost(const nb_lb_char *c, size_t n, size_t b)
{
    static const uint32_t half_close[] = {')', ']', ',', ';', ':', '!', '?', 0xFF01, 0xFF1F};
    static const uint32_t half_open[] = {'(', '['};
    uint32_t x = c[b - 1].cp, y = c[b].cp;
    if (IN(x, close_marks) || IN(x, half_close) || IN(y, open_marks) || IN(y, half_open))
        return SEAM_PHRASE;
    if (is_ideograph(x) && is_digit(y))
        return SEAM_PHRASE;
    if (word_at(c, n, b, "关于"))
        return SEAM_PHRASE;
    bool after_number = b >= 2 && is_digit(c[b - 2].cp);
    if ((x == 0x5E74 || x == 0x6708 || x == 0x65E5) && after_number) /* 年 月 日 */
        return SEAM_UNIT;
    if (x == 0x5EA6 && b >= 3 && c[b - 2].cp == 0x5E74 && is_digit(c[b - 3].cp)) /* 年度 */
        return SEAM_UNIT;
    return SEAM_WORD;
}

/* The cost of a line `width` wide holding `visible` characters: its share
 * of the measure squared (the sum over the lines is least when they are
 * even), a line of one character heavily. */
static double line_cost(double width, double room, size_t visible, size_t n)
{
    double share = room > 0 ? width / room : 0;
    return share * share + (visible == 1 && n > 1 ? LONE_CHARACTER : 0);
}

/* Break [0, n) into exactly `want` lines at breaks allowed at `level`, each
 * within its measure, at the least cost: seams first, then evenness. On a
 * tie the earlier lines are the longer. Fills ends[0..want) and returns the
 * cost; -1 if no such breaking exists. */
static double cheapest_breaks(const composer *k, size_t want, int level, size_t *ends)
{
    size_t n = k->n;
    double *best = nb_xmalloc((n + 1) * (want + 1) * sizeof(double));
    size_t *from = nb_xmalloc((n + 1) * (want + 1) * sizeof(size_t));
#define AT(e, l) ((e) * (want + 1) + (l))
    for (size_t i = 0; i < (n + 1) * (want + 1); i++)
        best[i] = -1;
    best[AT(0, 0)] = 0;
    for (size_t l = 1; l <= want; l++) {
        double room = l == 1 ? k->spec->first_width : k->spec->width;
        for (size_t s = 0; s < n; s++) {
            if (best[AT(s, l - 1)] < 0)
                continue;
            /* the line [s, e) grows until its ink leaves the measure */
            double acc = 0, ink = 0;
            size_t visible = 0;
            for (size_t e = s + 1; e <= n; e++) {
                acc += set_width(k, e - 1) + (e - 1 > s ? k->spec->tracking : 0);
                if (!is_space(k->c[e - 1].cp)) {
                    ink = acc;
                    visible++;
                }
                if (ink > room + FIT_EPS)
                    break;
                if (e < n && break_level(k->c, n, e) > level)
                    continue;
                double seam = e < n ? seam_cost(k->c, n, e) : 0;
                double cost = best[AT(s, l - 1)] + line_cost(ink, room, visible, n) + seam;
                /* s ascends: on a tie the later start (longer lines above) wins */
                if (best[AT(e, l)] < 0 || cost <= best[AT(e, l)] + TIE) {
                    best[AT(e, l)] = cost;
                    from[AT(e, l)] = s;
                }
            }
        }
    }
    double cost = best[AT(n, want)];
    for (size_t e = n, l = want; cost >= 0 && l > 0; l--) {
        ends[l - 1] = e;
        e = from[AT(e, l)];
    }
#undef AT
    free(best);
    free(from);
    return cost;
}

/* The narrowest measure that still needs no more lines than plain breaking
 * (every line then comes close to the same length): for text with forced
 * breaks, or when no breaking at allowed places fits. */
static void narrowest_measure(const nb_lb_char *c, size_t n, const nb_lb_spec *plain,
                              size_t want, nb_lb_result *out)
{
    double indent = plain->width - plain->first_width;
    double lo = 0, hi = plain->width;
    for (int iter = 0; iter < 40; iter++) {
        double mid = (lo + hi) / 2;
        nb_lb_spec narrow = *plain;
        narrow.width = mid;
        narrow.first_width = mid - indent;
        nb_lb_result r;
        nb_linebreak(c, n, &narrow, &r);
        bool ok = r.nlines <= want;
        for (size_t i = 0; ok && i < r.nlines; i++)
            if (r.lines[i].width > mid + FIT_EPS)
                ok = false; /* forced to break inside a unit */
        nb_lb_result_free(&r);
        if (ok)
            hi = mid;
        else
            lo = mid;
    }
    nb_lb_spec best = *plain;
    best.width = hi;
    best.first_width = hi - indent;
    nb_linebreak(c, n, &best, out);
}

static bool has_forced_break(const nb_lb_char *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (nb_lb_is_forced_break(c[i].cp))
            return true;
    return false;
}

/* The cheapest breaking into `fewest` to `most` lines, each line beyond the
 * fewest costing EXTRA_LINE: a line more is worth taking to break between
 * phrases rather than inside a word. Fills ends; returns the lines, 0 if
 * none fits. */
#define EXTRA_LINE 2.0
static size_t cheapest_lines(const composer *k, size_t fewest, size_t most, size_t *ends)
{
    size_t *trial = nb_xmalloc(most * sizeof(size_t));
    size_t lines = 0;
    double best = -1;
    for (int level = BREAK_FREE; level <= BREAK_GLUE && lines == 0; level++)
        for (size_t m = fewest; m <= most; m++) {
            double cost = cheapest_breaks(k, m, level, trial);
            if (cost < 0)
                continue;
            cost += EXTRA_LINE * (double)(m - fewest);
            if (best < 0 || cost < best - TIE) {
                best = cost;
                lines = m;
                memcpy(ends, trial, m * sizeof(size_t));
            }
        }
    free(trial);
    return lines;
}

void nb_linebreak_balanced_within(const nb_lb_char *c, size_t n, const nb_lb_spec *spec,
                                  size_t max_lines, nb_lb_result *out)
{
    nb_lb_spec plain = *spec;
    plain.justify = false;
    nb_linebreak(c, n, &plain, out);
    size_t want = out->nlines;
    if (want <= 1)
        return; /* one line: a break could only cost */
    size_t most = max_lines > want ? max_lines : want;
    nb_lb_result_free(out);
    if (has_forced_break(c, n)) {
        narrowest_measure(c, n, &plain, want, out);
        return;
    }
    out->trim_left = nb_xcalloc(n ? n : 1, sizeof(double));
    out->trim_right = nb_xcalloc(n ? n : 1, sizeof(double));
    composer k = {c, n, &plain, out};
    close_up_adjacent_marks(&k);
    size_t *ends = nb_xmalloc(most * sizeof(size_t));
    size_t lines = cheapest_lines(&k, want, most, ends);
    if (lines > 0) {
        for (size_t l = 0, s = 0; l < lines; s = ends[l++]) {
            double room = l == 0 ? plain.first_width : plain.width;
            separate_marks_at_break(&k, s, ends[l], room);
            add_line(&k, s, ends[l], room, false);
        }
    } else {
        nb_lb_result_free(out);
        narrowest_measure(c, n, &plain, want, out);
    }
    free(ends);
}

void nb_linebreak_balanced(const nb_lb_char *c, size_t n, const nb_lb_spec *spec,
                           nb_lb_result *out)
{
    nb_linebreak_balanced_within(c, n, spec, 0, out);
}

double nb_lb_widest_piece(const nb_lb_char *c, size_t n, double tracking)
{
    double widest = 0, piece = 0;
    for (size_t i = 0; i < n; i++) {
        if (nb_lb_is_forced_break(c[i].cp) ||
            (i > 0 && break_level(c, n, i) == BREAK_FREE)) {
            piece = 0;
        }
        if (nb_lb_is_forced_break(c[i].cp) || is_space(c[i].cp))
            continue; /* spaces hang at a line end */
        piece += c[i].advance + (piece > 0 ? tracking : 0);
        if (piece > widest)
            widest = piece;
    }
    return widest;
}

void nb_lb_result_free(nb_lb_result *r)
{
    free(r->lines);
    free(r->trim_left);
    free(r->trim_right);
    memset(r, 0, sizeof *r);
}
