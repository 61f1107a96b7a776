/* html.c — see html.h. The page around the report, and the report's blocks
 * in reading order; tables are html_table.c's, styles html_style.c's.
 */
#include "html_priv.h"

#include <stdio.h>
#include <string.h>

#define GENERATOR "nianbao " NB_VERSION

void nb_html_escape(nb_buf *out, const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        switch (text[i]) {
        case '&': nb_buf_puts(out, "&amp;"); break;
        case '<': nb_buf_puts(out, "&lt;"); break;
        case '>': nb_buf_puts(out, "&gt;"); break;
        case '"': nb_buf_puts(out, "&quot;"); break;
        case '\'': nb_buf_puts(out, "&#39;"); break;
        default: nb_buf_putc(out, text[i]); break;
        }
    }
}

void html_text(html_writer *w, const char *text)
{
    nb_html_escape(w->out, text, strlen(text));
}

void html_open(html_writer *w, const char *tag, html_style s)
{
    nb_buf_printf(w->out, "<%s", tag);
    html_style_attr(w, s, -1);
    nb_buf_putc(w->out, '>');
}

/* ---- blocks ---- */

static void spans(html_writer *w, const nb_block *b)
{
    for (size_t i = 0; i < b->count; i++) {
        const nb_span *s = &b->spans[i];
        /* a strong span opening a paragraph is its run-in heading */
        bool strong = s->style & NB_SPAN_STRONG, em = s->style & NB_SPAN_EMPH;
        if (strong)
            html_open(w, "strong", HS_RUNIN);
        if (em)
            html_open(w, "em", HS_EM);
        nb_html_escape(w->out, s->text, s->len);
        if (em)
            nb_buf_puts(w->out, "</em>");
        if (strong)
            nb_buf_puts(w->out, "</strong>");
    }
}

static void text_block(html_writer *w, const char *tag, html_style s, const nb_block *b)
{
    html_open(w, tag, s);
    spans(w, b);
    nb_buf_printf(w->out, "</%s>\n", tag);
}

/* `##` is level 1 and an <h2> under the title's <h1>; deeper levels follow. */
static void heading(html_writer *w, const nb_block *b)
{
    static const char *const tags[] = {"h2", "h3", "h4"};
    static const html_style style[] = {HS_H2, HS_H3, HS_H4};
    int i = b->level < 1 ? 0 : b->level > 3 ? 2 : b->level - 1;
    text_block(w, tags[i], style[i], b);
}

static bool block(html_writer *w, const nb_block *b)
{
    switch (b->kind) {
    case NB_BLOCK_TITLE:
        text_block(w, "h1", HS_H1, b);
        return true;
    case NB_BLOCK_HEADING:
        heading(w, b);
        return true;
    case NB_BLOCK_ATTACHMENT:
        text_block(w, "h2", HS_ATTACHMENT, b);
        return true;
    case NB_BLOCK_PARAGRAPH:
        text_block(w, "p", b->level == NB_PARAGRAPH_ENTRY ? HS_ENTRY : HS_P, b);
        return true;
    case NB_BLOCK_SIGNOFF:
        text_block(w, "p", HS_SIGNOFF, b);
        return true;
    case NB_BLOCK_PAGEBREAK:
        html_open(w, "div", HS_BREAK);
        nb_buf_puts(w->out, "</div>\n");
        return true;
    case NB_BLOCK_TABLE:
        return html_table(w, b);
    }
    return true;
}

static bool article(html_writer *w, bool draft)
{
    nb_buf_puts(w->out, "<article");
    if (w->kind == NB_HTML_FRAGMENT)
        nb_buf_puts(w->out, " lang=\"zh-CN\"");
    html_style_attr(w, HS_ARTICLE, -1);
    nb_buf_puts(w->out, ">\n");
    if (draft) {
        html_open(w, "p", HS_DRAFT);
        nb_buf_puts(w->out, "草稿</p>\n");
    }
    bool ok = true;
    for (size_t i = 0; i < w->in->doc->count; i++)
        ok = block(w, &w->in->doc->blocks[i]) && ok;
    nb_buf_puts(w->out, "</article>\n");
    return ok;
}

/* ---- the page ---- */

static const char *document_title(const nb_document *doc, nb_buf *tmp)
{
    for (size_t i = 0; i < doc->count; i++) {
        const nb_block *b = &doc->blocks[i];
        if (b->kind != NB_BLOCK_TITLE)
            continue;
        for (size_t k = 0; k < b->count; k++)
            nb_buf_append(tmp, b->spans[k].text, b->spans[k].len);
        return nb_buf_str(tmp);
    }
    return "政府信息公开工作年度报告";
}

static void meta(nb_buf *out, const char *name, const char *content)
{
    if (!content || !*content)
        return;
    nb_buf_printf(out, "<meta name=\"%s\" content=\"", name);
    nb_html_escape(out, content, strlen(content));
    nb_buf_puts(out, "\">\n");
}

static void head(nb_buf *out, const nb_html_input *in, const nb_html_meta *m)
{
    nb_buf tmp = {0};
    const char *title = m->title && *m->title ? m->title : document_title(in->doc, &tmp);
    nb_buf_puts(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    nb_buf_puts(out, "<title>");
    if (m->draft)
        nb_buf_puts(out, "草稿：");
    nb_html_escape(out, title, strlen(title));
    nb_buf_puts(out, "</title>\n");
    meta(out, "author", m->author);
    meta(out, "date", m->date);
    meta(out, "generator", GENERATOR);
    nb_buf_puts(out, "<style>\n");
    html_stylesheet(out, m->draft);
    nb_buf_puts(out, "</style>\n</head>\n");
    nb_buf_free(&tmp);
}

bool nb_html_render(const nb_html_input *in, const nb_html_meta *m, nb_html_kind kind,
                    nb_buf *out, nb_diags *d)
{
    static const nb_html_meta none = {0};
    m = m ? m : &none;
    html_writer w = {.out = out, .kind = kind, .in = in, .d = d};
    if (kind == NB_HTML_FRAGMENT)
        return article(&w, m->draft);
    head(out, in, m);
    nb_buf_puts(out, "<body>\n<main>\n");
    bool ok = article(&w, m->draft);
    nb_buf_puts(out, "</main>\n</body>\n</html>\n");
    return ok;
}

static bool write_file(const char *temp_path, const nb_buf *page, const char *path,
                       nb_diags *d)
{
    FILE *f = fopen(temp_path, "wb");
    bool ok = f && fwrite(nb_buf_str(page), 1, page->len, f) == page->len;
    ok = f && fclose(f) == 0 && ok;
    if (!ok)
        nb_error(d, (nb_pos){path, 0, 0}, "cannot write the web page %s; check that the "
                 "folder is writable and the disk not full", path);
    return ok;
}

bool nb_html_write(const nb_html_input *in, const nb_html_meta *m, nb_html_kind kind,
                   const char *path, nb_outfile_group *group, nb_diags *d)
{
    nb_buf page = {0};
    bool ok = nb_html_render(in, m, kind, &page, d);
    nb_outfile out;
    if (ok && nb_outfile_begin(&out, path, group, d)) {
        ok = write_file(out.temp_path, &page, path, d);
        if (ok)
            ok = nb_outfile_commit(&out, d);
        else
            nb_outfile_abort(&out);
    } else {
        ok = false;
    }
    nb_buf_free(&page);
    return ok;
}
