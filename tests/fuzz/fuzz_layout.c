/* fuzz_layout.c — libFuzzer harness for the layout of arbitrary text
 * (layout.h, layout_linebreak.h), with the real fonts of fonts/fonts.yaml and the
 * statistics table of the gov-2014 format bound to the sample report.
 *
 * Byte 0 chooses how the rest becomes a document:
 *   even  the rest is markup, parsed as the pipeline parses a rendered
 *         template (tables other than `stats` are refused first, as
 *         report.c does);
 *   odd   every line is one block, its first byte the kind (title, heading
 *         1-3, paragraph, sign-off, page break, table, attachment) and the
 *         rest its text, cut at '|' into spans of varying emphasis — shapes
 *         the markup parser may never produce, which layout must still take.
 * Text is not checked for UTF-8 first: layout must say so itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fonts.h"
#include "format.h"
#include "layout.h"
#include "markup.h"
#include "source.h"

#define SAMPLE NB_SOURCE_DIR "/samples/taoyuan-2017.yaml"

static nb_fontset *fonts;
static nb_arena setup_arena;
static nb_table_inst *tables;
static size_t ntables;

static const nb_node *sample_data(nb_diags *d)
{
    const nb_node *data = nb_source_load_file(SAMPLE, &setup_arena, d);
    /* Before the sample exists the tables show missing figures: still a layout. */
    return data ? data : nb_node_new_map(&setup_arena, (nb_pos){"empty", 1, 1});
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    nb_diags d = {0};
    fonts = nb_fonts_load(NB_SOURCE_DIR "/fonts", &d);
    nb_format *f = nb_format_load(NB_SOURCE_DIR "/templates", "gov-2014",
                                  (nb_pos){"fuzz", 1, 1}, &setup_arena, &d);
    if (!fonts || !f) {
        nb_diags_print(&d, stderr);
        abort();
    }
    const nb_node *data = sample_data(&d);
    ntables = f->ntables;
    tables = nb_arena_alloc(&setup_arena, (ntables + 1) * sizeof *tables);
    for (size_t i = 0; i < ntables; i++)
        tables[i] = (nb_table_inst){.def = &f->tables[i], .title = "政府信息公开情况统计表",
                                    .lead = f->tables[i].lead, .foot = f->tables[i].foot,
                                    .data = data};
    nb_diags_free(&d);
    return 0;
}

/* ---- odd: one block per line ---- */
static void add_spans(nb_block *b, const char *text, size_t len, nb_arena *a)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += text[i] == '|';
    b->spans = nb_arena_alloc(a, n * sizeof *b->spans);
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '|')
            continue;
        if (i > start) { /* markup never gives an empty span */
            unsigned style = (unsigned)(b->count % 4);
            b->spans[b->count++] =
                (nb_span){nb_arena_strndup(a, text + start, i - start), i - start, style};
        }
        start = i + 1;
    }
}

static void add_line(nb_document *doc, const char *line, size_t len, int lineno,
                     nb_arena *a)
{
    static const nb_block_kind kinds[] = {
        NB_BLOCK_TITLE,     NB_BLOCK_HEADING,   NB_BLOCK_HEADING,
        NB_BLOCK_HEADING,   NB_BLOCK_PARAGRAPH, NB_BLOCK_SIGNOFF,
        NB_BLOCK_PAGEBREAK, NB_BLOCK_TABLE,     NB_BLOCK_ATTACHMENT};
    unsigned k = len ? (unsigned char)line[0] % 9 : 4;
    nb_block b = {.kind = kinds[k], .level = k >= 1 && k <= 3 ? (int)k : 0,
                  .pos = {"fuzz", lineno, 1}};
    if (b.kind == NB_BLOCK_TABLE)
        b.table_id = "stats";
    else if (b.kind == NB_BLOCK_ATTACHMENT)
        add_spans(&b, "附件", strlen("附件"), a);
    else if (b.kind != NB_BLOCK_PAGEBREAK && len > 1)
        add_spans(&b, line + 1, len - 1, a);
    if (b.count == 0 && b.kind != NB_BLOCK_PAGEBREAK && b.kind != NB_BLOCK_TABLE)
        return; /* markup drops empty blocks */
    NB_GROW(doc->blocks, doc->count, doc->cap);
    doc->blocks[doc->count++] = b;
}

static void lines_to_blocks(const char *text, size_t len, nb_document *doc, nb_arena *a)
{
    int lineno = 1;
    for (size_t start = 0; start < len; lineno++) {
        const char *nl = memchr(text + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - text) : len;
        add_line(doc, text + start, end - start, lineno, a);
        start = end + 1;
    }
}

/* ---- even: markup ---- */
static bool tables_known(const nb_document *doc)
{
    for (size_t i = 0; i < doc->count; i++)
        if (doc->blocks[i].kind == NB_BLOCK_TABLE &&
            strcmp(doc->blocks[i].table_id, "stats") != 0)
            return false;
    return true;
}

static volatile double sink;

int LLVMFuzzerTestOneInput(const uint8_t *bytes, size_t size)
{
    if (size == 0)
        return 0;
    const char *text = (const char *)bytes + 1;
    size_t len = size - 1;
    nb_arena arena = {0};
    nb_diags diags = {0};
    nb_document doc = {0};
    bool ok = true;
    if (bytes[0] % 2 == 0)
        ok = nb_markup_parse("fuzz.md", text, len, &doc, &arena, &diags) &&
             tables_known(&doc);
    else
        lines_to_blocks(text, len, &doc, &arena);
    if (ok) {
        nb_layout *l = nb_layout_document(&doc, tables, ntables, nb_fonts_metrics(fonts),
                                          &nb_gbt9704_style, &arena, &diags);
        if (l) {
            for (size_t p = 0; p < l->npages; p++)
                for (size_t r = 0; r < l->pages[p].nruns; r++)
                    sink += l->pages[p].runs[r].x + (double)l->pages[p].runs[r].len;
            nb_layout_free(l);
        }
    }
    for (size_t i = 0; i < diags.count; i++)
        free(nb_diag_format(&diags.items[i]));
    nb_document_free(&doc);
    nb_diags_free(&diags);
    nb_arena_free(&arena);
    return 0;
}
