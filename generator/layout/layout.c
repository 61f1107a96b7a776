/* layout.c — see layout.h.
 *
 * The body grid. GB/T 9704 asks for 3号 (16 pt) text, 22 lines of 28
 * characters filling the 156 × 225 mm text block. 28 × 16 pt = 448 pt is
 * wider than 156 mm = 442.2 pt, so the font stays at 16 pt (the size the
 * standard names) and the characters are set closer: every body line carries
 * a tracking of (442.2 - 28 × 16) / 27 ≈ -0.215 pt, which puts 28 character
 * boxes exactly across the block (pitch ≈ 15.785 pt; the two-character
 * indent is two pitches). Justified lines spread their slack on top of that
 * tracking. Lines are 225 mm / 22 ≈ 28.99 pt apart, and every text line —
 * title and headings included — takes one grid line, so a page of text has
 * exactly 22 lines; a glyph's em box is centred in its grid line.
 *
 * Flow: each block becomes boxes (layout_priv.h), then paginate() decides
 * where pages break, then the boxes' runs are copied onto their pages with
 * absolute coordinates, the merged table cells that a page break cut drawn
 * on each of their pages, the tables ruled and the pages numbered.
 */
#include "layout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "layout_priv.h"

#define MM(x) ((x) * 72.0 / 25.4)
#define PAGE_EPS 1e-6

const nb_page_style nb_gbt9704_style = {
    .page_width = MM(210),
    .page_height = MM(297),
    .margin_top = MM(37),
    .margin_left = MM(28),
    .block_width = MM(156),
    .block_height = MM(225),
    .body_size = 16,       /* 3号 */
    .lines_per_page = 22,
    .chars_per_line = 28,
    .title_size = 22,      /* 2号 */
    .folio_size = 14,      /* 4号 */
    .folio_gap = MM(7),
    .table_size = 12,      /* 小四 */
    .table_title_size = 18 /* 小二 */
};

/* ---- characters and runs ---- */

static void report_missing(lay *L, uint32_t cp, nb_font_role role, nb_pos pos)
{
    char shown[16] = "";
    if (cp >= 0x20 && !(cp >= 0x7F && cp <= 0x9F)) {
        nb_buf b = {0};
        nb_buf_put_utf8(&b, cp);
        snprintf(shown, sizeof shown, "“%s” ", nb_buf_str(&b));
        nb_buf_free(&b);
    }
    nb_error(L->d, pos,
             "no font of the %s role (%s) has the character %s(U+%04X); name a font "
             "that has it in fonts/fonts.yaml, or write the text without it",
             nb_font_role_chinese(role), nb_font_role_name(role), shown, (unsigned)cp);
}

bool lay_text(lay *L, lay_chars *out, const char *text, size_t len, nb_font_role role,
              double size, bool bold, nb_pos pos)
{
    uint32_t reported[8];
    size_t nreported = 0;
    bool ok = true;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t k = nb_utf8_decode(text + i, len - i, &cp);
        if (k == 0) {
            nb_error(L->d, pos, "the text is not valid UTF-8 (byte 0x%02X)",
                     (unsigned char)text[i]);
            return false;
        }
        lay_char ch = {cp, text + i, (unsigned)k, -1, size, bold, 0};
        if (!nb_lb_is_forced_break(cp)) {
            double em = 0;
            ch.face = L->m.pick(L->m.ctx, role, cp, &em);
            ch.advance = em * size;
            if (ch.face < 0) {
                bool seen = false;
                for (size_t j = 0; j < nreported; j++)
                    seen = seen || reported[j] == cp;
                if (!seen && nreported < 8) {
                    reported[nreported++] = cp;
                    report_missing(L, cp, role, pos);
                }
                ok = false;
            }
        }
        NB_GROW(out->items, out->count, out->cap);
        out->items[out->count++] = ch;
        i += k;
    }
    return ok;
}

nb_lb_char *lay_lb_chars(const lay_chars *cs)
{
    nb_lb_char *c = nb_xmalloc((cs->count ? cs->count : 1) * sizeof *c);
    for (size_t i = 0; i < cs->count; i++)
        c[i] = (nb_lb_char){cs->items[i].cp, cs->items[i].advance};
    return c;
}

lay_box *lay_add_box(lay *L, double height)
{
    NB_GROW(L->boxes, L->nboxes, L->cap_boxes);
    lay_box *b = &L->boxes[L->nboxes++];
    *b = (lay_box){.height = height, .run0 = L->nruns, .table = -1, .outline = -1};
    b->keep_with_prev = L->keep_next;
    L->keep_next = false;
    return b;
}

typedef struct run_list {
    nb_run **runs;
    size_t *n, *cap;
} run_list;

static void flush_run(lay *L, run_list rl, nb_run *run, nb_buf *text)
{
    if (!text->len)
        return;
    run->text = nb_arena_strndup(L->a, text->data, text->len);
    run->len = text->len;
    NB_GROW(*rl.runs, *rl.n, *rl.cap);
    (*rl.runs)[(*rl.n)++] = *run;
    nb_buf_clear(text);
}

/* The next character of the line that prints, or `end`. */
static size_t next_printing(const lay_chars *cs, size_t i, size_t end)
{
    while (i < end && cs->items[i].face < 0)
        i++;
    return i;
}

/* One run per stretch of the line in one face, size and weight, so that a
 * line is as few runs as its faces allow. A mark set half-width is a run of
 * its own whose char_space is reduced by the blank taken away — the blank on
 * the left of an opening mark is taken from the character before it, which
 * comes to the same place. Each run then ends exactly where the next begins,
 * as text extraction expects: no run starts left of where the one before it
 * ends. */
void lay_emit_line_to(lay *L, nb_run **runs, size_t *nruns, size_t *cap, const lay_chars *cs,
                      const nb_lb_result *r, size_t li, double x, double y)
{
    const nb_lb_line *ln = &r->lines[li];
    run_list rl = {runs, nruns, cap};
    nb_buf text = {0};
    nb_run run = {0};
    size_t i = next_printing(cs, ln->start, ln->end);
    if (i < ln->end)
        x -= r->trim_left[i]; /* an opening mark set half-width at the line start */
    while (i < ln->end) {
        const lay_char *ch = &cs->items[i];
        size_t next = next_printing(cs, i + 1, ln->end);
        double closer = r->trim_right[i] + (next < ln->end ? r->trim_left[next] : 0);
        if (text.len && (ch->face != run.face || ch->bold != run.bold || ch->size != run.size ||
                         closer > 0))
            flush_run(L, rl, &run, &text);
        if (!text.len)
            run = (nb_run){.face = ch->face, .size = ch->size, .x = x, .y = y,
                           .char_space = ln->char_space - closer, .bold = ch->bold};
        nb_buf_append(&text, ch->src, ch->srclen);
        x += ch->advance + ln->char_space - closer;
        if (closer > 0)
            flush_run(L, rl, &run, &text);
        i = next;
    }
    flush_run(L, rl, &run, &text);
    nb_buf_free(&text);
}

void lay_emit_line(lay *L, const lay_chars *cs, const nb_lb_result *r, size_t li, double x,
                   double y)
{
    size_t before = L->nruns;
    lay_emit_line_to(L, &L->runs, &L->nruns, &L->cap_runs, cs, r, li, x, y);
    L->boxes[L->nboxes - 1].nruns += L->nruns - before;
}

long lay_outline(lay *L, const char *title, int level)
{
    nb_layout *o = L->out;
    NB_GROW(o->outline, o->noutline, o->cap_outline);
    o->outline[o->noutline] = (nb_outline_entry){title, level, 0, 0};
    return (long)o->noutline++;
}

/* ---- text blocks ---- */

static double baseline_in_line(double line_height, double size)
{
    return -((line_height - size) / 2 + LAY_ASCENT * size);
}

void lay_set_lines(lay *L, const lay_chars *cs, const lay_format *f, long outline)
{
    if (cs->count == 0)
        return;
    double width = L->st->block_width;
    nb_lb_spec spec = {.first_width = width - f->first_indent,
                       .width = width,
                       .tracking = f->tracking,
                       .em = f->size,
                       .justify = f->justify};
    nb_lb_char *c = lay_lb_chars(cs);
    nb_lb_result r;
    if (f->balanced)
        nb_linebreak_balanced(c, cs->count, &spec, &r);
    else
        nb_linebreak(c, cs->count, &spec, &r);
    double left = L->st->margin_left;
    double lh = f->line_height > 0 ? f->line_height : L->line_height;
    for (size_t li = 0; li < r.nlines; li++) {
        double above = li == 0 ? f->space_before : 0;
        lay_box *b = lay_add_box(L, lh + above);
        if (li == 0) {
            b->keep_with_prev = b->keep_with_prev || f->keep_with_prev;
            b->outline = outline;
        } else if (f->keep == LAY_KEEP_ALL || li == 1 || li + 1 == r.nlines) {
            b->keep_with_prev = true; /* li == 1: orphan; last line: widow */
        }
        double w = r.lines[li].width, x = left;
        if (f->align == LAY_LEFT && li == 0)
            x += f->first_indent;
        else if (f->align == LAY_CENTER)
            x += (width - w) / 2;
        else if (f->align == LAY_RIGHT)
            x += width - f->right_gap - w;
        lay_emit_line(L, cs, &r, li, x, baseline_in_line(lh, f->size) - above);
    }
    nb_lb_result_free(&r);
    free(c);
}

static const char *block_plain_text(lay *L, const nb_block *b, size_t first, size_t count)
{
    nb_buf t = {0};
    for (size_t i = first; i < first + count && i < b->count; i++)
        for (size_t k = 0; k < b->spans[i].len; k++)
            if (b->spans[i].text[k] != '\n')
                nb_buf_putc(&t, b->spans[i].text[k]);
    const char *s = nb_arena_strdup(L->a, nb_buf_str(&t));
    nb_buf_free(&t);
    return s;
}

/* The face of a span of body text: 楷体 for emphasis, bold 仿宋 for strong
 * (at a paragraph's start: a run-in heading, the level-3 heading face). */
static nb_font_role body_span_role(unsigned style, bool *bold)
{
    *bold = (style & NB_SPAN_STRONG) != 0;
    return (style & NB_SPAN_EMPH) ? NB_ROLE_KAI : NB_ROLE_FANGSONG;
}

static nb_font_role heading_role(int level, bool *bold)
{
    *bold = level == 3;
    switch (level) {
    case 1: return NB_ROLE_HEI;
    case 2: return NB_ROLE_KAI;
    default: return level <= 0 ? NB_ROLE_HEI : NB_ROLE_FANGSONG;
    }
}

/* All spans of `b` in one fixed face (titles, headings, labels) or, when
 * `fixed` is false, each span in the face of its emphasis. */
static bool block_chars(lay *L, const nb_block *b, lay_chars *cs, bool fixed,
                        nb_font_role role, bool bold, double size)
{
    bool ok = true;
    for (size_t i = 0; i < b->count; i++) {
        nb_font_role r = role;
        bool bd = bold;
        if (!fixed)
            r = body_span_role(b->spans[i].style, &bd);
        ok = lay_text(L, cs, b->spans[i].text, b->spans[i].len, r, size, bd, b->pos) && ok;
    }
    return ok;
}

static void blank_line(lay *L, bool keep_with_prev)
{
    lay_box *b = lay_add_box(L, L->line_height);
    b->blank = true;
    b->keep_with_prev = b->keep_with_prev || keep_with_prev;
}

static lay_format body_format(const lay *L)
{
    return (lay_format){.size = L->st->body_size,
                         .tracking = L->tracking,
                         .first_indent = 2 * L->pitch,
                         .align = LAY_LEFT,
                         .justify = true,
                         .keep = LAY_KEEP_PARAGRAPH};
}

static bool lay_title(lay *L, const nb_block *b, int outline_level)
{
    lay_chars cs = {0};
    bool ok = block_chars(L, b, &cs, true, NB_ROLE_XIAOBIAOSONG, false, L->st->title_size);
    lay_format f = {.size = L->st->title_size,
                     .align = LAY_CENTER,
                     .balanced = true,
                     .keep = LAY_KEEP_ALL};
    long o = lay_outline(L, block_plain_text(L, b, 0, b->count), outline_level);
    lay_set_lines(L, &cs, &f, o);
    blank_line(L, true); /* GB/T 9704: the text begins one line under the title */
    L->keep_next = true;
    free(cs.items);
    return ok;
}

static bool lay_heading(lay *L, const nb_block *b)
{
    bool bold;
    nb_font_role role = heading_role(b->level, &bold);
    lay_chars cs = {0};
    bool ok = block_chars(L, b, &cs, true, role, bold, L->st->body_size);
    lay_format f = body_format(L);
    f.keep = LAY_KEEP_ALL;
    long o = lay_outline(L, block_plain_text(L, b, 0, b->count), b->level < 1 ? 1 : b->level);
    lay_set_lines(L, &cs, &f, o);
    L->keep_next = true; /* a heading is never the last line of a page */
    free(cs.items);
    return ok;
}

static bool lay_paragraph(lay *L, const nb_block *b)
{
    lay_chars cs = {0};
    bool ok = block_chars(L, b, &cs, false, NB_ROLE_FANGSONG, false, L->st->body_size);
    long o = -1;
    if (b->count > 0 && (b->spans[0].style & NB_SPAN_STRONG))
        o = lay_outline(L, block_plain_text(L, b, 0, 1), 3); /* a run-in heading */
    lay_format f = body_format(L);
    if (b->level == NB_PARAGRAPH_ENTRY) {
        f.justify = false;
        f.first_indent = 0;
    }
    lay_set_lines(L, &cs, &f, o);
    free(cs.items);
    return ok;
}

static bool lay_signoff(lay *L, const nb_block *b, const nb_block *prev)
{
    /* One line under the text, and on its page (a title has its blank line
     * already). */
    bool after_text = prev && (prev->kind == NB_BLOCK_PARAGRAPH ||
                               prev->kind == NB_BLOCK_HEADING || prev->kind == NB_BLOCK_TABLE);
    if (after_text)
        blank_line(L, true);
    lay_chars cs = {0};
    bool ok = block_chars(L, b, &cs, false, NB_ROLE_FANGSONG, false, L->st->body_size);
    lay_format f = {.size = L->st->body_size,
                     .tracking = L->tracking,
                     .right_gap = 4 * L->pitch,
                     .align = LAY_RIGHT,
                     .keep = LAY_KEEP_ALL,
                     .keep_with_prev = prev && prev->kind != NB_BLOCK_PAGEBREAK};
    lay_set_lines(L, &cs, &f, -1);
    free(cs.items);
    return ok;
}

static bool lay_attachment(lay *L, const nb_block *b)
{
    lay_chars cs = {0};
    bool ok = block_chars(L, b, &cs, true, NB_ROLE_HEI, false, L->st->body_size);
    lay_format f = {.size = L->st->body_size,
                     .tracking = L->tracking,
                     .align = LAY_LEFT,
                     .keep = LAY_KEEP_ALL};
    long o = lay_outline(L, block_plain_text(L, b, 0, b->count), 1);
    lay_set_lines(L, &cs, &f, o);
    blank_line(L, true); /* its title goes on the third line */
    L->keep_next = true;
    free(cs.items);
    return ok;
}

static const nb_table_inst *find_table(const nb_table_inst *tables, size_t n, const char *id)
{
    for (size_t i = 0; id && i < n; i++)
        if (tables[i].def && tables[i].def->id && strcmp(tables[i].def->id, id) == 0)
            return &tables[i];
    return NULL;
}

static bool lay_table_ref(lay *L, const nb_block *b, const nb_table_inst *tables, size_t n)
{
    const nb_table_inst *t = find_table(tables, n, b->table_id);
    if (t)
        return lay_table_block(L, b, t);
    nb_buf known = {0};
    for (size_t i = 0; i < n; i++)
        if (tables[i].def && tables[i].def->id)
            nb_buf_printf(&known, "%s%s", known.len ? ", " : "", tables[i].def->id);
    nb_error(L->d, b->pos, "there is no table “%s” in this report format; its tables are: %s",
             b->table_id ? b->table_id : "", known.len ? nb_buf_str(&known) : "(none)");
    nb_buf_free(&known);
    return false;
}

static bool lay_block(lay *L, const nb_document *doc, size_t i, const nb_table_inst *tables,
                      size_t ntables)
{
    const nb_block *b = &doc->blocks[i];
    const nb_block *prev = i > 0 ? &doc->blocks[i - 1] : NULL;
    switch (b->kind) {
    case NB_BLOCK_TITLE:
        return lay_title(L, b, prev && prev->kind == NB_BLOCK_ATTACHMENT ? 2 : 0);
    case NB_BLOCK_HEADING:
        return lay_heading(L, b);
    case NB_BLOCK_PARAGRAPH:
        return lay_paragraph(L, b);
    case NB_BLOCK_SIGNOFF:
        return lay_signoff(L, b, prev);
    case NB_BLOCK_PAGEBREAK:
        lay_add_box(L, 0)->break_before = true;
        L->keep_next = false;
        return true;
    case NB_BLOCK_TABLE:
        return lay_table_ref(L, b, tables, ntables);
    case NB_BLOCK_ATTACHMENT:
        return lay_attachment(L, b);
    }
    return true;
}

/* ---- pagination ---- */

typedef struct placed {
    size_t box;
    size_t page;
    double top;  /* below the top of the text block */
    bool repeat; /* a table header repeated on a continuation page */
} placed;

typedef struct pager {
    lay *L;
    placed *p;
    size_t n, cap;
    size_t page;
    size_t page_first; /* index in p where the page begins */
    size_t page_start; /* first box placed on the page (not a repeated header) */
    size_t real;       /* boxes placed on the page, repeated headers not counted */
    double used;
} pager;

static void place(pager *g, size_t box, bool repeat)
{
    NB_GROW(g->p, g->n, g->cap);
    g->p[g->n++] = (placed){box, g->page, g->used, repeat};
    g->used += g->L->boxes[box].height;
    if (!repeat && g->real++ == 0)
        g->page_start = box;
}

static void new_page(pager *g)
{
    g->page++;
    g->page_first = g->n;
    g->real = 0;
    g->used = 0;
    g->page_start = (size_t)-1;
}

/* The last place before box i where the page may break: boxes chained to
 * their predecessors move on together — a heading (or a chain of them) with
 * the first two lines of its paragraph, or with its table's title, lead
 * lines, header and first row or section; widow and orphan lines; rows tied
 * by merged cells. If the whole page is one chain, break before i anyway:
 * a unit taller than a page is broken as it comes, never lost or retried. */
static size_t break_point(const pager *g, size_t i)
{
    size_t j = i;
    while (j > g->page_start && g->L->boxes[j].keep_with_prev)
        j--;
    return j == g->page_start ? i : j;
}

/* A table continued from an earlier page repeats its header rows first. */
static void repeat_header(pager *g, const lay_box *b, size_t i)
{
    if (b->table < 0)
        return;
    long hb = lay_table_header_box(g->L->tables[b->table]);
    if (hb >= 0 && (size_t)hb < i)
        place(g, (size_t)hb, true);
}

static void paginate(pager *g)
{
    lay *L = g->L;
    double room = L->st->block_height;
    g->page_start = (size_t)-1;
    for (size_t i = 0; i < L->nboxes;) {
        const lay_box *b = &L->boxes[i];
        if (b->break_before) {
            if (g->n > g->page_first)
                new_page(g);
            i++;
            continue;
        }
        if (g->real == 0 && b->blank) {
            i++; /* no blank line at the top of a page */
            continue;
        }
        if (g->real == 0) {
            if (g->n == g->page_first)
                repeat_header(g, b, i);
            place(g, i++, false); /* even if too tall: it cannot fit better elsewhere */
            continue;
        }
        if (g->used + b->height <= room + PAGE_EPS) {
            place(g, i++, false);
            continue;
        }
        size_t j = break_point(g, i);
        while (g->n > g->page_first && g->p[g->n - 1].box >= j && !g->p[g->n - 1].repeat)
            g->n--;
        new_page(g);
        i = j;
    }
    if (g->page > 0 && g->n == g->page_first)
        g->page--; /* a page break at the very end opens no page */
}

/* ---- pages ---- */

/* The end of the run of placed boxes from k that are one table's rows on
 * one page (k + 1 for any other box). */
static size_t table_chunk_end(const lay *L, const pager *g, size_t k)
{
    int t = L->boxes[g->p[k].box].table;
    size_t end = k + 1;
    while (end < g->n && t >= 0 && L->boxes[g->p[end].box].table == t &&
           g->p[end].page == g->p[k].page)
        end++;
    return end;
}

static lay_row_slice *table_slices(const lay *L, const pager *g, size_t from, size_t to)
{
    lay_row_slice *s = nb_xmalloc((to - from) * sizeof *s);
    double block_top = L->st->page_height - L->st->margin_top;
    for (size_t k = from; k < to; k++) {
        const lay_box *b = &L->boxes[g->p[k].box];
        s[k - from] = (lay_row_slice){b->row0, b->row1, block_top - g->p[k].top};
    }
    return s;
}

static void copy_box(lay *L, const placed *pl)
{
    const lay_box *b = &L->boxes[pl->box];
    nb_page *pg = &L->out->pages[pl->page];
    double top = L->st->page_height - L->st->margin_top - pl->top;
    for (size_t r = b->run0; r < b->run0 + b->nruns; r++) {
        NB_GROW(pg->runs, pg->nruns, pg->cap_runs);
        nb_run run = L->runs[r];
        run.y += top;
        pg->runs[pg->nruns++] = run;
    }
    if (b->outline >= 0 && !pl->repeat) {
        L->out->outline[b->outline].page = pl->page;
        L->out->outline[b->outline].y = top;
    }
}

/* Boxes onto their pages; a table's rows on a page get the text of the
 * merged cells cut across pages and the page's part of the grid. */
static void emit_pages(lay *L, const pager *g)
{
    nb_layout *o = L->out;
    o->npages = o->cap_pages = g->page + 1;
    o->pages = nb_xcalloc(o->npages, sizeof *o->pages);
    for (size_t k = 0; k < g->n;) {
        size_t end = table_chunk_end(L, g, k);
        int t = L->boxes[g->p[k].box].table;
        if (t < 0) {
            copy_box(L, &g->p[k]);
            k = end;
            continue;
        }
        nb_page *pg = &o->pages[g->p[k].page];
        lay_row_slice *s = table_slices(L, g, k, end);
        for (size_t q = k; q < end; q++) {
            lay_table_cut_cells(L, L->tables[t], s, end - k, q - k, pg);
            copy_box(L, &g->p[q]);
        }
        lay_table_rules(L->tables[t], s, end - k, pg);
        free(s);
        k = end;
    }
}

/* `— 7 —` in 4号 宋体, 7 mm under the block (the dashes' height), outside
 * edge with one character's space: right on odd pages, left on even. */
static bool number_page(lay *L, nb_page *pg, int number)
{
    const nb_page_style *st = L->st;
    char text[48];
    snprintf(text, sizeof text, "\u2014 %d \u2014", number);
    lay_chars cs = {0};
    bool ok = lay_text(L, &cs, text, strlen(text), NB_ROLE_SONG, st->folio_size, false,
                       (nb_pos){0});
    if (ok) {
        nb_lb_char *c = lay_lb_chars(&cs);
        nb_lb_spec spec = {.first_width = st->block_width, .width = st->block_width,
                           .em = st->folio_size};
        nb_lb_result r;
        nb_linebreak(c, cs.count, &spec, &r);
        double w = 0;
        for (size_t i = 0; i < cs.count; i++)
            w += cs.items[i].advance;
        double x = number % 2 ? st->margin_left + st->block_width - st->folio_size - w
                              : st->margin_left + st->folio_size;
        double block_bottom = st->page_height - st->margin_top - st->block_height;
        double dash_height = (LAY_ASCENT - 0.5) * st->folio_size; /* mid em box */
        double y = block_bottom - st->folio_gap - dash_height;
        /* one line: the text is far narrower than the block */
        for (size_t li = 0; li < r.nlines; li++)
            lay_emit_line_to(L, &pg->runs, &pg->nruns, &pg->cap_runs, &cs, &r, li, x, y);
        nb_lb_result_free(&r);
        free(c);
    }
    free(cs.items);
    pg->number = number;
    return ok;
}

/* ---- entry points ---- */

static void lay_free_staging(lay *L)
{
    free(L->runs);
    free(L->boxes);
    for (size_t i = 0; i < L->ntables; i++)
        lay_table_free(L->tables[i]);
    free(L->tables);
}

nb_layout *nb_layout_document(const nb_document *doc, const nb_table_inst *tables,
                              size_t ntables, nb_metrics metrics,
                              const nb_page_style *style, nb_arena *a, nb_diags *d)
{
    if (!style)
        style = &nb_gbt9704_style;
    lay L = {.st = style, .m = metrics, .a = a, .d = d};
    L.out = nb_xcalloc(1, sizeof *L.out);
    L.out->width = style->page_width;
    L.out->height = style->page_height;
    int n = style->chars_per_line > 1 ? style->chars_per_line : 2;
    L.tracking = (style->block_width - n * style->body_size) / (n - 1);
    L.pitch = style->body_size + L.tracking;
    L.line_height = style->block_height / (style->lines_per_page > 0 ? style->lines_per_page : 1);

    size_t errors_before = d->errors;
    for (size_t i = 0; doc && i < doc->count; i++)
        lay_block(&L, doc, i, tables, ntables);

    pager g = {.L = &L};
    if (d->errors == errors_before) {
        paginate(&g);
        if ((size_t)g.page + 1 > NB_LAYOUT_MAX_PAGES) {
            /* A report is tens of pages: thousands mean a whole document
             * was pasted into one value; drawing them would only take time. */
            nb_error(d, doc && doc->count ? doc->blocks[0].pos : (nb_pos){0},
                     "the report would take %zu pages; the limit is %d (is a whole "
                     "document pasted into one value?)", (size_t)g.page + 1,
                     NB_LAYOUT_MAX_PAGES);
        } else {
            emit_pages(&L, &g);
            for (size_t p = 0; p < L.out->npages; p++)
                number_page(&L, &L.out->pages[p], (int)p + 1);
        }
    }
    free(g.p);
    lay_free_staging(&L);
    if (d->errors != errors_before) {
        nb_layout_free(L.out);
        return NULL;
    }
    return L.out;
}

void nb_layout_free(nb_layout *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->npages; i++) {
        free(l->pages[i].runs);
        free(l->pages[i].strokes);
    }
    free(l->pages);
    free(l->outline);
    free(l);
}
