/* markup.c — see markup.h. md4c calls back for every block, span and text
 * chunk; this file turns those calls into nb_block/nb_span. */
#include "markup.h"

#include <md4c.h>
#include <stdlib.h>
#include <string.h>

typedef struct parse_state {
    const char *name;
    const char *input;
    size_t input_len;
    nb_document *doc;
    nb_arena *a;
    nb_diags *d;
    /* the block being built */
    bool in_block;
    nb_block block;
    nb_span *spans;
    size_t nspans, cap_spans;
    nb_buf text;          /* text of the current span */
    unsigned style;       /* current span style bits */
    const char *first_raw; /* where the block's first text chunk is in the input */
    bool pending_softbreak;
    /* context */
    int quote_depth;
    int image_depth;
    const char *image_src;
    bool failed;
    /* the last position computed: blocks come in reading order, so each
     * position is counted on from the one before, not from the start (a
     * rendered report of 60,000 paragraphs would otherwise take minutes) */
    const char *seen;
    nb_pos seen_pos;
} parse_state;

static nb_pos pos_of(parse_state *S, const char *p)
{
    nb_pos pos = {S->name, 0, 0};
    if (!p || p < S->input || p > S->input + S->input_len)
        return pos;
    const char *q = S->input;
    pos.line = 1;
    pos.col = 1;
    if (S->seen && S->seen <= p) {
        q = S->seen;
        pos = S->seen_pos;
    }
    for (; q < p; q++) {
        if (*q == '\n')
            pos.line++, pos.col = 1;
        else if (((unsigned char)*q & 0xC0) != 0x80)
            pos.col++;
    }
    S->seen = p;
    S->seen_pos = pos;
    return pos;
}

static void unsupported(parse_state *S, const char *what)
{
    if (S->failed)
        return;
    S->failed = true;
    nb_error(S->d, S->block.pos.line ? S->block.pos : (nb_pos){S->name, 0, 0},
             "%s is not part of a report's markup; use paragraphs, headings (## ###), "
             "> sign-off lines, --- page breaks and ![](table:ID)", what);
}

/* ---- spans ---- */
static void flush_span(parse_state *S)
{
    if (S->text.len == 0)
        return;
    if (S->nspans && S->spans[S->nspans - 1].style == S->style) {
        /* same style as the previous span: one span */
        nb_span *prev = &S->spans[S->nspans - 1];
        nb_buf joined = {0};
        nb_buf_append(&joined, prev->text, prev->len);
        nb_buf_append(&joined, S->text.data, S->text.len);
        prev->text = nb_arena_strndup(S->a, joined.data, joined.len);
        prev->len = joined.len;
        nb_buf_free(&joined);
    } else {
        NB_GROW(S->spans, S->nspans, S->cap_spans);
        S->spans[S->nspans++] = (nb_span){
            nb_arena_strndup(S->a, S->text.data, S->text.len), S->text.len, S->style};
    }
    nb_buf_clear(&S->text);
}

static bool is_word_char(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static char last_char(const parse_state *S)
{
    if (S->text.len)
        return S->text.data[S->text.len - 1];
    if (S->nspans)
        return S->spans[S->nspans - 1].text[S->spans[S->nspans - 1].len - 1];
    return 0;
}

/* A line break inside a paragraph is nothing between Chinese characters; a
 * space between two Latin words. */
static void resolve_softbreak(parse_state *S, const char *next, size_t n)
{
    if (!S->pending_softbreak)
        return;
    S->pending_softbreak = false;
    if (n && is_word_char((unsigned char)last_char(S)) && is_word_char((unsigned char)next[0]))
        nb_buf_putc(&S->text, ' ');
}

static void append_entity(parse_state *S, const char *s, size_t n)
{
    static const struct { const char *name; const char *text; } named[] = {
        {"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""},
        {"&apos;", "'"}, {"&nbsp;", "\xC2\xA0"}, {"&emsp;", "\xE3\x80\x80"}};
    for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
        if (strlen(named[i].name) == n && memcmp(named[i].name, s, n) == 0) {
            nb_buf_puts(&S->text, named[i].text);
            return;
        }
    }
    if (n > 3 && s[1] == '#') {
        bool hex = s[2] == 'x' || s[2] == 'X';
        unsigned long cp = strtoul(s + (hex ? 3 : 2), NULL, hex ? 16 : 10);
        if (cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
            nb_buf_put_utf8(&S->text, (uint32_t)cp);
            return;
        }
    }
    nb_buf_append(&S->text, s, n); /* unknown: keep as written */
}

static int on_text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *user)
{
    parse_state *S = user;
    if (S->image_depth)
        return 0; /* an image's alt text is a caption, not body text */
    if (!S->first_raw && type == MD_TEXT_NORMAL)
        S->first_raw = s;
    if (S->block.pos.line == 0)
        S->block.pos = pos_of(S, s);
    switch (type) {
    case MD_TEXT_SOFTBR:
    case MD_TEXT_BR:
        S->pending_softbreak = true;
        return 0;
    case MD_TEXT_ENTITY:
        resolve_softbreak(S, s, n);
        append_entity(S, s, n);
        return 0;
    case MD_TEXT_NULLCHAR:
        nb_buf_puts(&S->text, "\xEF\xBF\xBD");
        return 0;
    default:
        resolve_softbreak(S, s, n);
        nb_buf_append(&S->text, s, n);
        return 0;
    }
}

/* ---- blocks ---- */
static void begin_block(parse_state *S, nb_block_kind kind, int level)
{
    S->in_block = true;
    S->block = (nb_block){.kind = kind, .level = level};
    S->nspans = 0;
    S->style = 0;
    S->first_raw = NULL;
    S->pending_softbreak = false;
    nb_buf_clear(&S->text);
}

/* The block's first text chunk starts with an unescaped `**` (the input is
 * not NUL-terminated: look only inside it). */
static bool opens_with_stars(const parse_state *S)
{
    const char *p = S->first_raw, *end = S->input + S->input_len;
    if (!p || p < S->input || end - p < 2 || memcmp(p, "**", 2) != 0)
        return false;
    return !(p > S->input && p[-1] == '\\');
}

/* md4c cannot close `**1、健全考评机制。**对接` (CommonMark's flanking rules
 * do not fit Chinese punctuation), so a paragraph that opens with an
 * unescaped `**` and has no strong span is split here. */
static void split_runin_heading(parse_state *S)
{
    if (S->block.kind != NB_BLOCK_PARAGRAPH || S->nspans != 1 || S->spans[0].style ||
        !opens_with_stars(S))
        return;
    const nb_span *all = &S->spans[0];
    if (all->len < 4 || strncmp(all->text, "**", 2) != 0)
        return;
    const char *close = strstr(all->text + 2, "**");
    if (!close || close == all->text + 2)
        return;
    size_t head = (size_t)(close - all->text) - 2;
    const char *rest = close + 2;
    nb_span heading = {nb_arena_strndup(S->a, all->text + 2, head), head, NB_SPAN_STRONG};
    nb_span body = {rest, strlen(rest), NB_SPAN_PLAIN};
    S->spans[0] = heading;
    S->nspans = 1;
    if (body.len) {
        NB_GROW(S->spans, S->nspans, S->cap_spans);
        S->spans[S->nspans++] = body;
    }
}

static void end_block(parse_state *S)
{
    if (!S->in_block)
        return;
    flush_span(S);
    S->in_block = false;
    split_runin_heading(S);
    bool empty = S->nspans == 0;
    if (empty && S->block.kind != NB_BLOCK_PAGEBREAK && S->block.kind != NB_BLOCK_TABLE)
        return;
    S->block.spans = nb_arena_alloc(S->a, (S->nspans + 1) * sizeof(nb_span));
    if (S->nspans)
        memcpy(S->block.spans, S->spans, S->nspans * sizeof(nb_span));
    S->block.count = S->nspans;
    nb_document *doc = S->doc;
    NB_GROW(doc->blocks, doc->count, doc->cap);
    doc->blocks[doc->count++] = S->block;
}

static bool is_attachment_label(const parse_state *S)
{
    return S->nspans == 1 && strcmp(S->spans[0].text, "附件") == 0;
}

static int on_enter_block(MD_BLOCKTYPE type, void *detail, void *user)
{
    parse_state *S = user;
    switch (type) {
    case MD_BLOCK_DOC:
        return 0;
    case MD_BLOCK_QUOTE:
        S->quote_depth++;
        return 0;
    case MD_BLOCK_H: {
        unsigned level = ((MD_BLOCK_H_DETAIL *)detail)->level;
        if (level > 4) {
            unsupported(S, "a heading deeper than ####");
            return 0;
        }
        begin_block(S, level == 1 ? NB_BLOCK_TITLE : NB_BLOCK_HEADING,
                    level == 1 ? 0 : (int)level - 1);
        return 0;
    }
    case MD_BLOCK_P:
        begin_block(S, S->quote_depth ? NB_BLOCK_SIGNOFF : NB_BLOCK_PARAGRAPH, 0);
        return 0;
    case MD_BLOCK_HR:
        begin_block(S, NB_BLOCK_PAGEBREAK, 0);
        return 0;
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
    case MD_BLOCK_LI:
        unsupported(S, "a list (a line starting with '-', '+', '*' or '1.')");
        return 0;
    case MD_BLOCK_CODE:
        unsupported(S, "a code block (a line indented four spaces, or ```)");
        return 0;
    default:
        unsupported(S, "this construct (HTML or a Markdown table)");
        return 0;
    }
}

static int on_leave_block(MD_BLOCKTYPE type, void *detail, void *user)
{
    (void)detail;
    parse_state *S = user;
    if (type == MD_BLOCK_QUOTE) {
        S->quote_depth--;
        return 0;
    }
    if (type == MD_BLOCK_H && S->block.kind == NB_BLOCK_HEADING && S->block.level == 1 &&
        (flush_span(S), is_attachment_label(S)))
        S->block.kind = NB_BLOCK_ATTACHMENT;
    if (type == MD_BLOCK_P && S->block.kind == NB_BLOCK_PARAGRAPH && S->image_src &&
        strncmp(S->image_src, "table:", 6) == 0) {
        flush_span(S);
        if (S->nspans == 0) {
            S->block.kind = NB_BLOCK_TABLE;
            S->block.table_id = S->image_src + 6;
        }
    }
    S->image_src = NULL;
    end_block(S);
    return 0;
}

static const char *attribute_text(parse_state *S, const MD_ATTRIBUTE *attr)
{
    return nb_arena_strndup(S->a, attr->text ? attr->text : "", attr->size);
}

static int on_enter_span(MD_SPANTYPE type, void *detail, void *user)
{
    parse_state *S = user;
    switch (type) {
    case MD_SPAN_STRONG:
    case MD_SPAN_EM:
        flush_span(S);
        S->style |= type == MD_SPAN_STRONG ? NB_SPAN_STRONG : NB_SPAN_EMPH;
        return 0;
    case MD_SPAN_IMG: {
        const char *src = attribute_text(S, &((MD_SPAN_IMG_DETAIL *)detail)->src);
        if (strncmp(src, "table:", 6) != 0) {
            unsupported(S, "an image other than ![](table:ID)");
            return 0;
        }
        S->image_src = src;
        S->image_depth++;
        return 0;
    }
    default:
        return 0; /* links, code: their text is kept as plain text */
    }
}

static int on_leave_span(MD_SPANTYPE type, void *detail, void *user)
{
    (void)detail;
    parse_state *S = user;
    if (type == MD_SPAN_STRONG || type == MD_SPAN_EM) {
        flush_span(S);
        S->style &= ~(unsigned)(type == MD_SPAN_STRONG ? NB_SPAN_STRONG : NB_SPAN_EMPH);
    } else if (type == MD_SPAN_IMG && S->image_depth) {
        S->image_depth--;
    }
    return 0;
}

/* Sign-off lines: md4c reports a line break inside a quoted paragraph as a
 * soft break; each line must be a block of its own. */
static int on_text_signoff_aware(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *user)
{
    parse_state *S = user;
    if ((type == MD_TEXT_SOFTBR || type == MD_TEXT_BR) && S->quote_depth && S->in_block) {
        end_block(S);
        begin_block(S, NB_BLOCK_SIGNOFF, 0);
        return 0;
    }
    return on_text(type, s, n, user);
}

bool nb_markup_parse(const char *name, const char *text, size_t len, nb_document *doc,
                     nb_arena *a, nb_diags *d)
{
    /* md4c 0.4.8 reads one byte past the end of its input (valgrind and the
     * markup fuzzer show it; what it finds there can make it report a text
     * of 4 GB): it gets a NUL-terminated copy, so that byte is ours and is
     * always the same. */
    char *input = nb_xstrndup(text, len);
    parse_state S = {.name = nb_arena_strdup(a, name), .input = input, .input_len = len,
                     .doc = doc, .a = a, .d = d};
    MD_PARSER parser = {
        .abi_version = 0,
        .flags = MD_FLAG_NOHTML | MD_FLAG_NOINDENTEDCODEBLOCKS,
        .enter_block = on_enter_block,
        .leave_block = on_leave_block,
        .enter_span = on_enter_span,
        .leave_span = on_leave_span,
        .text = on_text_signoff_aware,
    };
    int rc = md_parse(input, (MD_SIZE)len, &parser, &S);
    free(input);
    free(S.spans);
    nb_buf_free(&S.text);
    if (rc != 0 && !S.failed)
        nb_error(d, (nb_pos){S.name, 0, 0}, "the markup could not be parsed");
    return rc == 0 && !S.failed;
}

void nb_document_free(nb_document *doc)
{
    free(doc->blocks);
    *doc = (nb_document){0};
}

const char *nb_block_text(const nb_block *b, nb_arena *a)
{
    nb_buf t = {0};
    for (size_t i = 0; i < b->count; i++)
        nb_buf_append(&t, b->spans[i].text, b->spans[i].len);
    const char *s = nb_arena_strdup(a, nb_buf_str(&t));
    nb_buf_free(&t);
    return s;
}
