/* html_style.c — the page's look: one list of declarations per kind of
 * element, written as class rules into the page's <style>, or inline on each
 * element of a fragment, so the two look alike on screen.
 *
 * Fonts are the systems' own CJK families, in the roles of GB/T 9704 as the
 * PDF uses them: 仿宋 for the text, 小标宋 for the title, 黑体 for the parts,
 * 楷体 for the items, 宋体 for the tables — each with the names Windows,
 * macOS and Linux (Noto CJK) give them, and a generic family last.
 */
#include "html_priv.h"

#include <stdio.h>

#define FANGSONG "FangSong,仿宋,仿宋_GB2312,STFangsong,\"Noto Serif CJK SC\",\"Source Han Serif SC\",serif"
#define XIAOBIAOSONG "方正小标宋简体,\"FZXiaoBiaoSong-B05S\",STZhongsong,华文中宋,SimSun,宋体,\"Noto Serif CJK SC\",\"Source Han Serif SC\",serif"
#define HEITI "SimHei,黑体,STHeiti,\"Heiti SC\",\"Noto Sans CJK SC\",\"Source Han Sans SC\",sans-serif"
#define KAITI "KaiTi,楷体,楷体_GB2312,STKaiti,\"Kaiti SC\",\"AR PL UKai CN\",\"Noto Serif CJK SC\",serif"
#define SONGTI "SimSun,宋体,STSong,\"Songti SC\",\"Noto Serif CJK SC\",\"Source Han Serif SC\",serif"

#define CELL "border:1px solid #000;padding:.3em .45em;vertical-align:middle;"

static const struct {
    const char *name, *css;
} styles[HS_COUNT] = {
    [HS_ARTICLE] = {"report", "display:block;max-width:46em;margin:0 auto;padding:1.5em 1em;"
                              "font-family:" FANGSONG ";font-size:1.125rem;line-height:1.8;"
                              "color:#000;background:#fff;overflow-wrap:anywhere;"},
    [HS_DRAFT] = {"draft", "margin:0 0 1em;padding:.2em;border:2px solid #c00;color:#c00;"
                           "text-align:center;letter-spacing:1em;font-family:" HEITI ";"},
    [HS_H1] = {"h1", "margin:.5em 0 1em;font-family:" XIAOBIAOSONG ";font-size:1.6em;"
                     "font-weight:bold;line-height:1.45;text-align:center;"},
    [HS_H2] = {"h2", "margin:.8em 0 .2em;text-indent:2em;font-family:" HEITI ";font-size:1em;"
                     "font-weight:normal;line-height:1.8;"},
    [HS_H3] = {"h3", "margin:.4em 0 .2em;text-indent:2em;font-family:" KAITI ";font-size:1em;"
                     "font-weight:normal;line-height:1.8;"},
    [HS_H4] = {"h4", "margin:.4em 0 .2em;text-indent:2em;font-size:1em;font-weight:bold;"
                     "line-height:1.8;"},
    [HS_ATTACHMENT] = {"attachment", "margin:1.5em 0 .5em;font-family:" HEITI ";font-size:1em;"
                                     "font-weight:normal;"},
    [HS_P] = {"p", "margin:0 0 .25em;text-indent:2em;text-align:justify;"},
    [HS_ENTRY] = {"entry", "margin:0 0 .25em;text-align:left;overflow-wrap:anywhere;"},
    [HS_RUNIN] = {"runin", "font-weight:bold;"},
    [HS_EM] = {"em", "font-family:" KAITI ";font-style:normal;"},
    [HS_SIGNOFF] = {"signoff", "margin:0;text-align:right;"},
    [HS_BREAK] = {"break", "display:none;"},
    [HS_SCROLL] = {"scroll", "max-width:100%;overflow-x:auto;margin:.75em 0 1em;"},
    [HS_TABLE] = {"table", "border-collapse:collapse;margin:0 auto;font-family:" SONGTI ";"
                           "font-size:.8125em;line-height:1.45;text-indent:0;"},
    [HS_CAPTION] = {"caption", "caption-side:top;padding:0 0 .4em;font-family:" XIAOBIAOSONG ";"
                               "font-size:1.35em;font-weight:bold;text-align:center;"},
    [HS_CAPTION_HIDDEN] = {"hidden", "position:absolute;width:1px;height:1px;margin:-1px;"
                                     "padding:0;border:0;overflow:hidden;white-space:nowrap;"
                                     "clip:rect(0 0 0 0);clip-path:inset(50%);"},
    [HS_LEAD] = {"lead", "display:block;padding-top:.4em;font-family:" SONGTI ";font-size:.75em;"
                         "font-weight:normal;text-align:left;"},
    [HS_FOOT] = {"foot", "margin:0 0 .3em;font-family:" SONGTI ";font-size:.8125em;"
                         "text-indent:0;text-align:left;"},
    [HS_HEAD] = {"head", CELL "min-width:2.5em;font-family:" HEITI ";font-weight:normal;"
                         "text-align:center;"},
    [HS_LABEL] = {"label", CELL "min-width:8em;font-weight:normal;text-align:left;"},
    [HS_SECTION] = {"section", CELL "min-width:8em;font-family:" HEITI ";font-weight:normal;"
                               "text-align:left;"},
    [HS_GROUP] = {"group", CELL "min-width:4em;font-weight:normal;text-align:center;"},
    [HS_UNIT] = {"unit", CELL "text-align:center;white-space:nowrap;"},
    [HS_NUM] = {"num", CELL "text-align:right;white-space:nowrap;"
                       "font-variant-numeric:tabular-nums;"},
    [HS_EMPTY] = {"empty", CELL},
    [HS_INDENT1 + 0] = {"i1", "padding-left:1.45em;"},
    [HS_INDENT1 + 1] = {"i2", "padding-left:2.45em;"},
    [HS_INDENT1 + 2] = {"i3", "padding-left:3.45em;"},
    [HS_INDENT1 + 3] = {"i4", "padding-left:4.45em;"},
    [HS_INDENT1 + 4] = {"i5", "padding-left:5.45em;"},
    [HS_INDENT1 + 5] = {"i6", "padding-left:6.45em;"},
};

/* Screens narrower than a phone held upright is wide; print on A4 as the
 * PDF does (GB/T 9704 margins, 3号 text), tables' headers repeated on each
 * page and rows kept whole; a draft's 草稿 on every printed page. */
static const char *const media_rules =
    "@media (max-width:40em){.nb-report{padding:1em .75em;font-size:1rem}.nb-p{text-align:start}}\n"
    "@page{size:A4;margin:37mm 26mm 35mm 28mm}\n"
    "@media print{"
    ".nb-report{max-width:none;margin:0;padding:0;font-size:16pt;line-height:1.75}"
    ".nb-scroll{overflow:visible}"
    ".nb-table{font-size:10.5pt;width:100%}"
    "thead{display:table-header-group}"
    "tr,.nb-h1,.nb-signoff{break-inside:avoid}"
    ".nb-h2,.nb-h3,.nb-h4,.nb-attachment{break-after:avoid}"
    ".nb-break{display:block;break-after:page}"
    "}\n";

static const char *const draft_rules =
    "body::after{content:\"草稿\";position:fixed;top:40%;left:0;right:0;"
    "text-align:center;font-size:8rem;color:rgba(200,0,0,.12);transform:rotate(-30deg);"
    "pointer-events:none;font-family:" HEITI "}\n";

void html_style_attr(html_writer *w, html_style s, int extra)
{
    if (w->kind == NB_HTML_PAGE) {
        nb_buf_printf(w->out, " class=\"nb-%s", styles[s].name);
        if (extra >= 0)
            nb_buf_printf(w->out, " nb-%s", styles[extra].name);
        nb_buf_putc(w->out, '"');
        return;
    }
    /* font names are quoted with " in the declarations: the attribute with ' */
    nb_buf_printf(w->out, " style='%s%s'", styles[s].css, extra >= 0 ? styles[extra].css : "");
}

void html_stylesheet(nb_buf *out, bool draft)
{
    nb_buf_puts(out, "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
                     "body{margin:0;background:#fff}\n");
    for (int s = 0; s < HS_COUNT; s++)
        nb_buf_printf(out, ".nb-%s{%s}\n", styles[s].name, styles[s].css);
    nb_buf_puts(out, media_rules);
    if (draft)
        nb_buf_puts(out, draft_rules);
}
