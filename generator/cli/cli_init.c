/* cli_init.c — `nianbao init`: a complete, commented YAML skeleton of a
 * report in a format, so that a clerk fills in rather than guesses.
 *
 * Everything comes from the format's data: its `fields:` (each with its
 * comment and example; examples are Mustache, rendered with --region and
 * --year) and its tables (every figure, 0, each row's label as a comment).
 * No C code here knows a format. The skeleton passes `nianbao check` as it
 * is: counts of 0 satisfy every sum.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "format.h"
#include "check_chars.h"
#include "check_lint.h"
#include "source.h"
#include "tmpl.h"
#include "util.h"

static const char usage[] = N_(
    "usage: nianbao init --format=NAME --region=REGION --year=YEAR > REPORT.yaml\n"
    "\n"
    "Write a complete, commented YAML skeleton of a report in format NAME: every\n"
    "field the format has, with its example text, and every figure of its tables\n"
    "as 0. It passes `nianbao check` as it is; fill it in, then check again.\n"
    "\n"
    "options:\n"
    "  --format=NAME    the report format (a folder of templates/: gov-2021, gov-2014)\n"
    "  --region=REGION  the region the report is about, e.g. 某某县\n"
    "  --year=YEAR      the year the report is about, e.g. 2025\n"
    "  -h, --help       this help\n"
    "\n"
    "example:\n"
    "  nianbao init --format=gov-2021 --region=某某县 --year=2025 > report.yaml\n"
    "\n"
    "exit status: 0 the skeleton was printed; 2 bad usage or an unknown format.\n");

typedef struct init_options {
    const char *format, *region, *year;
} init_options;

typedef struct emitter {
    nb_buf out;
    nb_arena *a;
    nb_diags *d;
    const nb_format *f;
    nb_node *context; /* {region, year, format} for the examples */
} emitter;

/* ---- YAML scalars ---- */
static bool plain_is_safe(const char *s)
{
    static const char *const starts = "-?:,[]{}#&*!|>'\"%@`";
    if (!*s || strchr(starts, s[0]) || s[0] == ' ' || s[strlen(s) - 1] == ' ')
        return false;
    if (strstr(s, ": ") || strstr(s, " #") || strchr(s, '\n') || strchr(s, '\t') ||
        s[strlen(s) - 1] == ':')
        return false;
    nb_node probe = {.kind = NB_NODE_SCALAR, .text = s, .len = strlen(s), .style = NB_PLAIN};
    return nb_node_type(&probe) == NB_TYPE_STRING;
}

static void put_quoted(nb_buf *b, const char *s)
{
    nb_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\')
            nb_buf_putc(b, '\\');
        if (*s == '\n')
            nb_buf_puts(b, "\\n");
        else
            nb_buf_putc(b, *s);
    }
    nb_buf_putc(b, '"');
}

/* A scalar as it should be written: a value meant as a number or a year
 * plain, text plain when YAML reads it back as the same text. */
static void put_scalar(nb_buf *b, const char *s, bool number)
{
    nb_node probe = {.kind = NB_NODE_SCALAR, .text = s, .len = strlen(s), .style = NB_PLAIN};
    nb_value_type t = nb_node_type(&probe);
    if (number && (t == NB_TYPE_INT || t == NB_TYPE_FLOAT || t == NB_TYPE_NULL))
        nb_buf_puts(b, *s ? s : "~");
    else if (plain_is_safe(s))
        nb_buf_puts(b, s);
    else
        put_quoted(b, s);
}

static void indent(nb_buf *b, int n)
{
    for (int i = 0; i < n; i++)
        nb_buf_putc(b, ' ');
}

static void comment_line(emitter *e, int ind, const char *text)
{
    if (!text || !*text)
        return;
    indent(&e->out, ind);
    nb_buf_printf(&e->out, "# %s\n", text);
}

/* ---- examples ---- */
static const char *render_example(emitter *e, const nb_node *n)
{
    if (nb_node_type(n) == NB_TYPE_NULL)
        return "";
    if (!strstr(n->text, "{{"))
        return n->text;
    nb_tmpl_options o = {.escape = NB_ESCAPE_NONE};
    const char *name = nb_arena_printf(e->a, "%s/format.yaml (example)", e->f->dir);
    const char *s = nb_tmpl_render_string(name, n->text, n->len, e->context, &o, e->a, e->d);
    return s ? s : "";
}

static void put_example_scalar(emitter *e, const nb_node *n, bool number)
{
    if (nb_node_type(n) == NB_TYPE_NULL)
        nb_buf_puts(&e->out, "~");
    else
        put_scalar(&e->out, render_example(e, n), number);
}

static void put_example(emitter *e, const nb_node *n, int ind, bool number);

/* A map or a list written in block style; `ind` is the indentation of its
 * entries. `first_inline` when the first entry goes on the current line
 * (right after "- "). */
static void put_block(emitter *e, const nb_node *n, int ind, bool first_inline)
{
    for (size_t i = 0; i < n->count; i++) {
        if (i > 0 || !first_inline)
            indent(&e->out, ind);
        const nb_node *v;
        if (n->kind == NB_NODE_MAP) {
            nb_buf_printf(&e->out, "%s:", n->pairs[i].key->text);
            v = n->pairs[i].value;
        } else {
            nb_buf_puts(&e->out, "-");
            v = n->items[i];
        }
        if (v->kind == NB_NODE_SCALAR || v->count == 0) {
            nb_buf_putc(&e->out, ' ');
            put_example(e, v, ind + 2, false);
            nb_buf_putc(&e->out, '\n');
        } else if (n->kind == NB_NODE_SEQ && v->kind == NB_NODE_MAP) {
            nb_buf_putc(&e->out, ' ');
            put_block(e, v, ind + 2, true);
        } else {
            nb_buf_putc(&e->out, '\n');
            put_block(e, v, ind + 2, false);
        }
    }
}

static void put_example(emitter *e, const nb_node *n, int ind, bool number)
{
    if (n->kind == NB_NODE_SCALAR)
        put_example_scalar(e, n, number);
    else if (n->count == 0)
        nb_buf_puts(&e->out, n->kind == NB_NODE_MAP ? "{}" : "[]");
    else
        put_block(e, n, ind, false);
}

/* ---- fields ---- */
static bool is_number_type(nb_field_type t)
{
    return t == NB_FIELD_YEAR || t == NB_FIELD_NUMBER;
}

/* What a field without an example starts as. */
static nb_node *default_example(emitter *e, const nb_field *fd)
{
    nb_pos at = fd->pos;
    switch (fd->type) {
    case NB_FIELD_YEAR:
        return nb_node_new_scalar(e->a, at, "{{year}}");
    case NB_FIELD_NUMBER:
        return nb_node_new_scalar(e->a, at, "0");
    case NB_FIELD_DATE:
        return nb_node_new_scalar(e->a, at, "~");
    case NB_FIELD_PARAGRAPHS: {
        nb_node *seq = nb_node_new_seq(e->a, at);
        nb_seq_push(e->a, seq, nb_node_new_scalar(e->a, at, NB_PLACEHOLDER "】"));
        return seq;
    }
    case NB_FIELD_MAP:
        return NULL; /* written from its fields */
    case NB_FIELD_LIST:
        return nb_node_new_seq(e->a, at);
    default:
        return nb_node_new_scalar(e->a, at, NB_PLACEHOLDER "】");
    }
}

typedef enum { ALL_FIELDS, SIMPLE_FIELDS, OTHER_FIELDS } which_fields;

static void put_fields(emitter *e, const nb_field *fields, size_t n, int ind,
                       which_fields which);

static void put_field(emitter *e, const nb_field *fd, int ind)
{
    comment_line(e, ind, fd->comment);
    indent(&e->out, ind);
    nb_buf_printf(&e->out, "%s:", fd->key);
    const nb_node *ex = fd->example ? fd->example : default_example(e, fd);
    if (!ex && fd->type == NB_FIELD_MAP) {
        nb_buf_putc(&e->out, '\n');
        put_fields(e, fd->fields, fd->nfields, ind + 2, ALL_FIELDS);
        return;
    }
    if (ex->kind == NB_NODE_SCALAR || ex->count == 0) {
        nb_buf_putc(&e->out, ' ');
        put_example(e, ex, ind + 2, is_number_type(fd->type));
        nb_buf_putc(&e->out, '\n');
    } else {
        nb_buf_putc(&e->out, '\n');
        put_block(e, ex, ind + 2, false);
    }
}

static bool is_simple(const nb_field *fd)
{
    return fd->type == NB_FIELD_TEXT || fd->type == NB_FIELD_YEAR ||
           fd->type == NB_FIELD_DATE || fd->type == NB_FIELD_NUMBER;
}

/* The fields in the format's order: all, or only the simple ones (one line
 * each, written before the tables), or only the others (after the tables,
 * so that their text can quote the tables' figures by alias). */
static void put_fields(emitter *e, const nb_field *fields, size_t n, int ind,
                       which_fields which)
{
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (which != ALL_FIELDS && is_simple(&fields[i]) != (which == SIMPLE_FIELDS))
            continue;
        if (which == OTHER_FIELDS && !first) /* a blank line between the parts */
            nb_buf_putc(&e->out, '\n');
        put_field(e, &fields[i], ind);
        first = false;
    }
}

/* ---- tables: a tree of the figures' keys ---- */
typedef struct knode {
    const char *name;
    const nb_cell *cell;    /* a leaf: the figure */
    const nb_table *table;  /* of its first figure */
    struct knode **kids;
    size_t nkids, cap;
} knode;

static knode *kid(emitter *e, knode *parent, const char *name, size_t len)
{
    for (size_t i = 0; i < parent->nkids; i++)
        if (strlen(parent->kids[i]->name) == len && memcmp(parent->kids[i]->name, name, len) == 0)
            return parent->kids[i];
    knode *k = nb_arena_alloc(e->a, sizeof *k);
    k->name = nb_arena_strndup(e->a, name, len);
    NB_GROW(parent->kids, parent->nkids, parent->cap);
    parent->kids[parent->nkids++] = k;
    return k;
}

static void add_key(emitter *e, knode *root, const nb_table *t, const nb_cell *c)
{
    knode *n = root;
    for (const char *s = c->key; *s;) {
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        n = kid(e, n, s, len);
        if (!n->table)
            n->table = t;
        s += len + (dot ? 1 : 0);
    }
    n->cell = c;
}

static void free_tree(knode *n)
{
    for (size_t i = 0; i < n->nkids; i++)
        free_tree(n->kids[i]);
    free(n->kids);
}

static bool all_leaves_of_one_row(const knode *n)
{
    if (n->nkids < 2)
        return false;
    for (size_t i = 0; i < n->nkids; i++)
        if (!n->kids[i]->cell || n->kids[i]->nkids ||
            n->kids[i]->cell->row != n->kids[0]->cell->row)
            return false;
    return true;
}

/* The label of the group heading the rows of a subtree: the merged label
 * cell spanning exactly them (nested), or the group row just above them. */
static const char *group_label(const nb_table *t, int first, int last)
{
    for (size_t i = 0; i < t->ncells; i++) {
        const nb_cell *c = &t->cells[i];
        if (c->kind != NB_CELL_LABEL || !c->group)
            continue;
        if ((c->row == first && c->row + c->rows - 1 == last && c->rows > 1) ||
            (c->rows == 1 && c->row == first - 1))
            return c->text;
    }
    return NULL;
}

static void row_span(const knode *n, int *first, int *last)
{
    if (n->cell) {
        *first = n->cell->row < *first ? n->cell->row : *first;
        *last = n->cell->row > *last ? n->cell->row : *last;
    }
    for (size_t i = 0; i < n->nkids; i++)
        row_span(n->kids[i], first, last);
}

/* A table whose value columns have keys and headers (a matrix such as 2021
 * 表三) gets one legend line; its rows' comments are their labels alone. */
static bool has_legend(const nb_table *t)
{
    if (!t || !t->label_cols)
        return false;
    int keyed = 0;
    for (int c = t->label_cols; c < t->ncols; c++) {
        const nb_column *col = nb_table_column_at(t, c);
        keyed += col && col->role == NB_CELL_VALUE && col->key && col->header;
    }
    return keyed > 1;
}

/* The length of the "行政复议：" the headers of a row of figures all start
 * with (up to and including a full-width colon), to be said once. */
static size_t common_heading(const knode *n)
{
    const char *first = n->kids[0]->cell->header;
    const char *colon = first ? strstr(first, "：") : NULL;
    if (!colon)
        return 0;
    size_t len = (size_t)(colon - first) + strlen("：");
    for (size_t i = 1; i < n->nkids; i++) {
        const char *h = n->kids[i]->cell->header;
        if (!h || strncmp(h, first, len) != 0)
            return 0;
    }
    return len;
}

/* "规章：本年制发件数、本年废止件数、现行有效件数" for a row of figures. */
static const char *row_comment(emitter *e, const knode *n)
{
    const nb_cell *first = n->kids[0]->cell;
    const nb_table *t = n->table;
    const char *label = t && t->label_cols ? nb_table_row_label(t, first) : NULL;
    nb_buf b = {0};
    if (label)
        nb_buf_puts(&b, label);
    if (!has_legend(t)) {
        nb_buf_puts(&b, label ? "：" : "");
        size_t common = common_heading(n);
        for (size_t i = 0; i < n->nkids; i++) {
            const nb_cell *c = n->kids[i]->cell;
            const char *h = c->header ? c->header : n->kids[i]->name;
            nb_buf_printf(&b, "%s%s", i ? "、" : "", i ? h + common : h);
        }
    }
    const char *s = nb_arena_strdup(e->a, nb_buf_str(&b));
    nb_buf_free(&b);
    return s;
}

static void put_flow_row(emitter *e, const knode *n, int ind)
{
    comment_line(e, ind, row_comment(e, n));
    indent(&e->out, ind);
    nb_buf_printf(&e->out, "%s: {", n->name);
    for (size_t i = 0; i < n->nkids; i++)
        nb_buf_printf(&e->out, "%s%s: 0", i ? ", " : "", n->kids[i]->name);
    nb_buf_puts(&e->out, "}\n");
}

static void put_tree(emitter *e, const knode *n, int ind)
{
    for (size_t i = 0; i < n->nkids; i++) {
        const knode *k = n->kids[i];
        if (k->cell && !k->nkids) {
            const char *label = k->cell->name ? k->cell->name : k->cell->key;
            indent(&e->out, ind);
            nb_buf_printf(&e->out, "%s: 0  # %s%s\n", k->name, label,
                          k->cell->figure == NB_FIGURE_AMOUNT ? "，可带小数" : "");
        } else if (all_leaves_of_one_row(k)) {
            put_flow_row(e, k, ind);
        } else {
            int first = 1 << 30, last = -1;
            row_span(k, &first, &last);
            comment_line(e, ind, k->table ? group_label(k->table, first, last) : NULL);
            indent(&e->out, ind);
            nb_buf_printf(&e->out, "%s:\n", k->name);
            put_tree(e, k, ind + 2);
        }
    }
}

/* "各列：natural 自然人、commercial 商业企业……" for a table whose rows are
 * written as one line of figures each. */
static void put_legend(emitter *e, const nb_table *t)
{
    if (!has_legend(t))
        return;
    nb_buf b = {0};
    size_t keyed = 0;
    for (int c = t->label_cols; c < t->ncols; c++) {
        const nb_column *col = nb_table_column_at(t, c);
        if (col && col->role == NB_CELL_VALUE && col->key && col->header)
            nb_buf_printf(&b, "%s%s %s", keyed++ ? "、" : "", col->key, col->header);
    }
    comment_line(e, 0, nb_arena_printf(e->a, "每行的数依次是：%s", nb_buf_str(&b)));
    nb_buf_free(&b);
}

static void put_tables(emitter *e)
{
    knode root = {0};
    for (size_t i = 0; i < e->f->ntables; i++) {
        const nb_table *t = &e->f->tables[i];
        for (size_t k = 0; k < t->ncells; k++)
            if (t->cells[k].kind == NB_CELL_VALUE && t->cells[k].key)
                add_key(e, &root, t, &t->cells[k]);
    }
    const nb_table *shown = NULL;
    for (size_t i = 0; i < root.nkids; i++) {
        const knode *k = root.kids[i];
        if (k->table != shown) {
            shown = k->table;
            nb_buf_printf(&e->out, "\n# ---- 表：%s ----\n", shown->sheet ? shown->sheet : shown->id);
            put_legend(e, shown);
        }
        knode one = {.kids = (knode **)&root.kids[i], .nkids = 1};
        put_tree(e, &one, 0);
    }
    free_tree(&root);
}

/* ---- the skeleton ---- */
static const char *first_figure(const nb_format *f)
{
    for (size_t i = 0; i < f->ntables; i++)
        for (size_t k = 0; k < f->tables[i].ncells; k++)
            if (f->tables[i].cells[k].kind == NB_CELL_VALUE && f->tables[i].cells[k].key)
                return f->tables[i].cells[k].key;
    return "表.行.数";
}

/* The format's wording as this report's skeleton has it: the title's
 * {{body}}{{year}} filled in from the example of each text field (and
 * --region, --year), so that a clerk who uncomments a line gets plain text,
 * not a template the report cannot use. */
static const char *skeleton_wording(emitter *e, const char *text)
{
    if (!strstr(text, "{{"))
        return text;
    for (size_t i = 0; e->f->fields && i < e->f->nfields; i++) {
        const nb_field *fd = &e->f->fields[i];
        if (fd->type == NB_FIELD_TEXT && fd->example && fd->example->kind == NB_NODE_SCALAR &&
            !nb_map_get(e->context, fd->key))
            nb_map_set(e->a, e->context, fd->key,
                       nb_node_new_scalar(e->a, fd->pos, render_example(e, fd->example)));
    }
    return render_example(e, nb_node_new_scalar(e->a, (nb_pos){0}, text));
}

/* The format's wording a report may word its own way, commented out. */
static void put_wording(emitter *e)
{
    nb_buf_puts(&e->out, "#\n# 本单位的写法与格式不同时，写在 wording: 里（nianbao check 逐条提示）：\n"
                         "# wording:\n");
    for (size_t i = 0; i < e->f->nwording; i++) {
        const nb_wording *w = &e->f->wording[i];
        nb_buf_printf(&e->out, "#   %s: %s", w->key, skeleton_wording(e, w->text));
        if (w->comment)
            nb_buf_printf(&e->out, "    # %s", w->comment);
        nb_buf_putc(&e->out, '\n');
    }
    const nb_table *t = NULL;
    for (size_t i = 0; i < e->f->ntables && !t; i++)
        for (size_t k = 0; k < e->f->tables[i].ncells && !t; k++)
            if (e->f->tables[i].cells[k].kind == NB_CELL_LABEL && e->f->tables[i].cells[k].row_key) {
                t = &e->f->tables[i];
                nb_buf_printf(&e->out, "#   %s: %s    # 表格行名，按该行的数据键\n",
                              t->cells[k].row_key, t->cells[k].text);
            }
}

static void put_header(emitter *e, const init_options *o)
{
    nb_buf_printf(&e->out, "# %s%s年 政府信息公开工作年度报告（格式 %s）\n", o->region, o->year,
                  e->f->name);
    if (e->f->description)
        nb_buf_printf(&e->out, "# %s\n", e->f->description);
    nb_buf_printf(&e->out,
                "#\n"
                "# 由 nianbao init 生成。把【请填写】换成本年度的内容，把表中的 0 换成实际数字；\n"
                "# 数字不加引号、不加千位分隔符，~ 表示该格留空。正文引用表中数字时写它在表中\n"
                "# 的位置，如 {{%s}}，数字就从表里取；以 {{ 开头的一段要加引号。\n"
                "# 写完运行 nianbao check；nianbao build 不发布仍有【请填写】的报告。\n",
                first_figure(e->f));
    put_wording(e);
}

static void put_skeleton(emitter *e, const init_options *o)
{
    put_header(e, o);
    if (e->f->fields) {
        nb_buf_putc(&e->out, '\n');
        put_fields(e, e->f->fields, e->f->nfields, 0, SIMPLE_FIELDS);
    } else {
        nb_buf_printf(&e->out, "\nformat: %s\nregion: ", e->f->name);
        put_scalar(&e->out, o->region, false);
        nb_buf_printf(&e->out, "\nyear: %s\n", o->year);
    }
    put_tables(e);
    if (e->f->fields) {
        nb_buf_putc(&e->out, '\n');
        put_fields(e, e->f->fields, e->f->nfields, 0, OTHER_FIELDS);
    }
}

/* ---- command line ---- */
static const char *const init_option_names[] = {"--format", "--region", "--year", "--help"};

/* The region is written into the skeleton's first comment line and as a
 * value: one line of characters a report can hold, or the skeleton would
 * not load (a line break ends the comment) or not check. */
static int check_region(const char *region)
{
    size_t n = strlen(region);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = nb_utf8_decode(region + i, n - i, &cp);
        const char *why = cp == '\n' || cp == '\r' ? _("a line break; a region is one line")
                          : k == 0                  ? _("not UTF-8 text")
                                                    : nb_character_refused(cp);
        if (why) {
            return nb_cli_usage_error("init", "--region holds U+%04X, which is %s (e.g. "
                                      "--region=某某县)", (unsigned)cp, why);
        }
        i += k;
    }
    return 0;
}

static int parse(int argc, char **argv, init_options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        bool missing = false;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            nb_cli_help(usage);
            return -1;
        }
        if ((v = nb_cli_option_value("--format", argc, argv, &i, &missing)))
            o->format = v;
        else if ((v = nb_cli_option_value("--region", argc, argv, &i, &missing)))
            o->region = v;
        else if ((v = nb_cli_option_value("--year", argc, argv, &i, &missing)))
            o->year = v;
        else if (missing)
            return nb_cli_usage_error("init", "%s needs a value", a);
        else if (a[0] == '-')
            return nb_cli_unknown_option("init", a, init_option_names, 4);
        else
            return nb_cli_usage_error("init", "unexpected '%s'", a);
        if (!*v)
            return nb_cli_usage_error("init", "%s needs a value", a);
    }
    if (!o->format) {
        nb_arena a = {0};
        const char *templates = nb_arena_printf(&a, "%s/templates", nb_data_dir());
        const char **known = nb_format_list(templates, &a);
        nb_buf list = {0};
        for (size_t i = 0; known[i]; i++)
            nb_buf_printf(&list, "%s%s", i ? ", " : "", known[i]);
        int status = nb_cli_usage_error("init", "no format given (--format=NAME); known "
                                        "formats: %s", nb_buf_str(&list));
        nb_buf_free(&list);
        nb_arena_free(&a);
        return status;
    }
    if (!o->region)
        return nb_cli_usage_error("init", "no region given (--region=某某县)");
    if (check_region(o->region))
        return 2;
    char *end;
    long y = o->year ? strtol(o->year, &end, 10) : 0;
    if (!o->year || *end || y < 1949 || y > 2100)
        return nb_cli_usage_error("init", "--year needs the report's year, a number such "
                                  "as 2025");
    return 0;
}

/* Set `value` at a dotted path of `map`, making the maps on the way. */
static void set_path(nb_arena *a, nb_node *map, const char *dotted, nb_node *value)
{
    const char *dot = strchr(dotted, '.');
    if (!dot) {
        nb_map_set(a, map, dotted, value);
        return;
    }
    const char *head = nb_arena_strndup(a, dotted, (size_t)(dot - dotted));
    nb_node *next = nb_map_get(map, head);
    if (!next || next->kind != NB_NODE_MAP) {
        next = nb_node_new_map(a, map->pos);
        nb_map_set(a, map, head, next);
    }
    set_path(a, next, dot + 1, value);
}

/* What the examples are rendered with: --region, --year, --format, and
 * each figure of the tables as its own inline reference ({{key}} renders
 * as "{{key}}"), so that an example text quotes a figure as a clerk would. */
static nb_node *example_context(nb_arena *a, const init_options *o, const nb_format *f)
{
    nb_pos at = {"nianbao init", 0, 0};
    nb_node *ctx = nb_node_new_map(a, at);
    for (size_t i = 0; i < f->ntables; i++)
        for (size_t k = 0; k < f->tables[i].ncells; k++) {
            const nb_cell *c = &f->tables[i].cells[k];
            if (c->kind == NB_CELL_VALUE && c->key)
                set_path(a, ctx, c->key,
                         nb_node_new_scalar(a, at, nb_arena_printf(a, "{{%s}}", c->key)));
        }
    nb_map_set(a, ctx, "region", nb_node_new_scalar(a, at, o->region));
    nb_map_set(a, ctx, "year", nb_node_new_scalar(a, at, o->year));
    nb_map_set(a, ctx, "format", nb_node_new_scalar(a, at, o->format));
    return ctx;
}

int nb_cli_init(int argc, char **argv)
{
    init_options o = {0};
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc < 0 ? 0 : rc;
    nb_arena a = {0};
    nb_diags d = {0};
    const char *templates = nb_arena_printf(&a, "%s/templates", nb_data_dir());
    nb_format *f = nb_format_load(templates, o.format, (nb_pos){"--format", 0, 0}, &a, &d);
    emitter e = {.a = &a, .d = &d, .f = f};
    if (f) {
        e.context = example_context(&a, &o, f);
        put_skeleton(&e, &o);
    }
    int status = d.errors ? 2 : 0;
    if (status == 0)
        fputs(nb_buf_str(&e.out), stdout);
    nb_cli_print_diags(&d);
    nb_buf_free(&e.out);
    nb_diags_free(&d);
    nb_arena_free(&a);
    return status;
}
