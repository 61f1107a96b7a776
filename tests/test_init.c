/* test_init.c — `nianbao init` for every format that comes with nianbao:
 * the skeleton holds every field of the format's `fields:` and every figure
 * of its tables, passes `nianbao check` with no warning but the 【请填写】
 * places, and builds; written with every field the format lets be empty
 * left empty, it still checks and builds (so the schema's "may be empty" is
 * true of the templates). For gov-2014, whose fields describe the seed
 * report, the schema also catches misspelt keys and wrong types. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "format.h"
#include "source.h"
#include "testutil.h"
#include "util.h"

#define SEED_SAMPLE NB_SOURCE_DIR "/samples/taoyuan-2017.yaml"
#define PLACEHOLDER_WARNING "warning: the text still holds the placeholder '【请填写"

static char *tmp;

static int setup(void **state)
{
    (void)state;
    tmp = nb_test_tmpdir("init");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    free(tmp);
    return 0;
}

/* ---- helpers ---- */
static char *tmp_file(const char *format, const char *suffix)
{
    char name[128];
    snprintf(name, sizeof name, "%s%s", format, suffix);
    return nb_path_join(tmp, name);
}

static bool file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

static nb_format *load_format(const char *name, nb_arena *a, nb_diags *d)
{
    nb_format *f = nb_format_load(NB_SOURCE_DIR "/templates", name, (nb_pos){"test", 1, 1},
                                  a, d);
    if (!f)
        nb_diags_print(d, stderr);
    assert_non_null(f);
    return f;
}

/* `nianbao init` for `format` into <tmp>/<format>.yaml; returns its path. */
static char *write_skeleton(const char *format)
{
    char *path = tmp_file(format, ".yaml");
    char *out = NULL;
    int status = nb_test_runf(&out, "'%s' init --format %s --region 某某县 --year 2025 > '%s'",
                         NB_BINARY, format, path);
    if (status != 0)
        fprintf(stderr, "%s\n", out);
    assert_int_equal(status, 0);
    assert_string_equal(out, ""); /* nothing on standard error */
    free(out);
    return path;
}

/* `nianbao check`: exit 0, and every warning is a 【请填写】 place; returns
 * how many there are. */
static size_t check_passes(const char *report)
{
    char *out = NULL;
    int status = nb_test_runf(&out, "'%s' check '%s'", NB_BINARY, report);
    if (status != 0)
        fprintf(stderr, "%s\n", out);
    assert_int_equal(status, 0);
    size_t warnings = 0, placeholders = 0;
    for (const char *p = out; (p = strstr(p, "warning: ")) != NULL; p++) {
        warnings++;
        placeholders += strncmp(p, PLACEHOLDER_WARNING, strlen(PLACEHOLDER_WARNING)) == 0;
    }
    if (placeholders != warnings)
        fprintf(stderr, "%s\n", out);
    assert_int_equal(placeholders, warnings);
    free(out);
    return warnings;
}

/* `nianbao build` of a report that still holds the skeleton's placeholders:
 * exit 1, each placeholder listed at its place, no PDF or XLSX written. */
static void build_refused(const char *report, const char *name, size_t placeholders)
{
    char *dir = tmp_file(name, "-refused");
    char *out = NULL;
    int status = nb_test_runf(&out, "rm -rf '%s' && mkdir -p '%s' && '%s' build '%s' -o '%s'",
                              dir, dir, NB_BINARY, report, dir);
    assert_int_equal(status, 1);
    size_t listed = 0;
    nb_buf where = {0};
    nb_buf_printf(&where, "%s:", report);
    for (const char *p = out; (p = strstr(p, nb_buf_str(&where))) != NULL; p++) {
        int line, col;
        const char *rest = p + where.len;
        if (sscanf(rest, "%d:%d:", &line, &col) == 2 && line > 0 && col > 0 &&
            strstr(rest, ": error: the text still holds the placeholder") ==
                strchr(strchr(rest, ':') + 1, ':'))
            listed++;
    }
    assert_int_equal(listed, placeholders);
    assert_non_null(strstr(out, "no PDF or XLSX written"));
    nb_buf p = {0}, x = {0};
    nb_buf_printf(&p, "%s/%s.pdf", dir, name);
    nb_buf_printf(&x, "%s/%s.xlsx", dir, name);
    assert_false(file_exists(nb_buf_str(&p)));
    assert_false(file_exists(nb_buf_str(&x)));
    nb_buf_free(&p);
    nb_buf_free(&x);
    nb_buf_free(&where);
    free(out);
    free(dir);
}

/* `nianbao build` (or `preview`, a draft) into <tmp>/<name>-out/; returns
 * the PDF's text with all white space taken out (pdftotext breaks lines
 * where the PDF does). */
static char *made(const char *report, const char *name, bool draft)
{
    char *dir = tmp_file(name, "-out");
    char *out = NULL;
    int status = nb_test_runf(&out, "mkdir -p '%s' && '%s' %s '%s' -o '%s'", dir, NB_BINARY,
                              draft ? "preview" : "build", report, dir);
    if (status != 0)
        fprintf(stderr, "%s\n", out);
    assert_int_equal(status, 0);
    free(out);
    nb_buf p = {0}, x = {0};
    nb_buf_printf(&p, "%s/%s.%s", dir, name, draft ? "draft.pdf" : "pdf");
    nb_buf_printf(&x, "%s/%s.xlsx", dir, name);
    assert_true(file_exists(nb_buf_str(&p)));
    if (!draft)
        assert_true(file_exists(nb_buf_str(&x)));
    assert_int_equal(nb_test_runf(&out, "pdftotext '%s' -", nb_buf_str(&p)), 0);
    char *w = out;
    for (const char *r = out; *r; r++)
        if (*r != ' ' && *r != '\n' && *r != '\f' && *r != '\r')
            *w++ = *r;
    *w = '\0';
    nb_buf_free(&p);
    nb_buf_free(&x);
    free(dir);
    return out;
}

/* ---- the skeleton holds the whole format ---- */
static void expect_fields(const nb_field *fields, size_t n, const nb_node *map,
                          const char *path);

static void expect_field(const nb_field *fd, const nb_node *v, const char *path)
{
    if (fd->type == NB_FIELD_MAP && v->kind == NB_NODE_MAP) {
        expect_fields(fd->fields, fd->nfields, v, path);
    } else if (fd->type == NB_FIELD_LIST && v->kind == NB_NODE_SEQ &&
               fd->item->type == NB_FIELD_MAP) {
        for (size_t i = 0; i < v->count; i++) {
            nb_buf sub = {0};
            nb_buf_printf(&sub, "%s.%zu", path, i);
            assert_int_equal(v->items[i]->kind, NB_NODE_MAP);
            expect_fields(fd->item->fields, fd->item->nfields, v->items[i], nb_buf_str(&sub));
            nb_buf_free(&sub);
        }
    }
}

static void expect_fields(const nb_field *fields, size_t n, const nb_node *map,
                          const char *path)
{
    for (size_t i = 0; i < n; i++) {
        nb_buf sub = {0};
        nb_buf_printf(&sub, "%s%s%s", path, *path ? "." : "", fields[i].key);
        const nb_node *v = nb_map_get(map, fields[i].key);
        if (!v && !fields[i].required) { /* an item's heading or its title */
            nb_buf_free(&sub);
            continue;
        }
        if (!v)
            fail_msg("the skeleton has no %s", nb_buf_str(&sub));
        expect_field(&fields[i], v, nb_buf_str(&sub));
        nb_buf_free(&sub);
    }
}

static void expect_figures(const nb_format *f, const nb_node *root)
{
    size_t figures = 0;
    for (size_t t = 0; t < f->ntables; t++) {
        for (size_t k = 0; k < f->tables[t].ncells; k++) {
            const nb_cell *c = &f->tables[t].cells[k];
            if (c->kind != NB_CELL_VALUE || !c->key)
                continue;
            const nb_node *v = nb_node_at(root, c->key);
            if (!v || !nb_scalar(v) || strcmp(v->text, "0") != 0)
                fail_msg("the skeleton's %s should be 0", c->key);
            figures++;
        }
    }
    assert_true(figures > 0);
}

static void test_skeleton_is_complete(void **state)
{
    const char *format = *state;
    char *skeleton = write_skeleton(format);
    nb_arena a = {0};
    nb_diags d = {0};
    nb_format *f = load_format(format, &a, &d);
    assert_non_null(f->fields);
    nb_node *root = nb_source_load_file(skeleton, &a, &d);
    if (!root)
        nb_diags_print(&d, stderr);
    assert_non_null(root);
    assert_string_equal(nb_scalar(nb_map_get(root, "format")), format);
    assert_string_equal(nb_scalar(nb_map_get(root, "region")), "某某县");
    assert_string_equal(nb_scalar(nb_map_get(root, "year")), "2025");
    expect_fields(f->fields, f->nfields, root, "");
    expect_figures(f, root);
    assert_int_equal(d.errors, 0);
    nb_diags_free(&d);
    nb_arena_free(&a);
    free(skeleton);
}

static void test_skeleton_checks_and_builds(void **state)
{
    const char *format = *state;
    char *skeleton = write_skeleton(format);
    /* the places to write are listed, one warning each; build refuses
     * them one by one, preview shows the draft with them on its last page */
    size_t placeholders = check_passes(skeleton);
    assert_true(placeholders > 0);
    build_refused(skeleton, format, placeholders);
    char *text = made(skeleton, format, true);
    assert_non_null(strstr(text, "2025年政府信息公开工作年度报告"));
    assert_non_null(strstr(text, "【请填写"));
    /* the problems page is in the user's language: English here (LANG=C) */
    assert_non_null(strstr(text, "Problemsfoundinthisdraft"));
    assert_non_null(strstr(text, "thetextstillholdstheplaceholder"));
    free(text);
    free(skeleton);
}

/* ---- every field the format lets be empty, empty ---- */
static bool is_key_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_';
}

typedef struct blanker {
    const nb_format *f;
    nb_buf out;
    const char *stack[16]; /* the key of each indentation level (2 spaces) */
    int skip_deeper_than;  /* -1: not skipping the block of a blanked field */
    size_t blanked;
} blanker;

static const char *path_at(blanker *b, int depth, nb_arena *a)
{
    nb_buf p = {0};
    for (int i = 0; i <= depth; i++)
        nb_buf_printf(&p, "%s%s", i ? "." : "", b->stack[i]);
    const char *s = nb_arena_strdup(a, nb_buf_str(&p));
    nb_buf_free(&p);
    return s;
}

/* One line of the skeleton (init writes block style, 2 spaces a level). */
static void blank_line(blanker *b, const char *line, size_t len, nb_arena *a)
{
    int ind = 0;
    while ((size_t)ind < len && line[ind] == ' ')
        ind++;
    bool blank = (size_t)ind == len || line[ind] == '\n';
    if (b->skip_deeper_than >= 0 && !blank && ind > b->skip_deeper_than)
        return; /* the block value of a field written empty */
    b->skip_deeper_than = -1;
    size_t k = (size_t)ind;
    while (k < len && is_key_char(line[k]))
        k++;
    int depth = ind / 2;
    if (blank || line[ind] == '#' || depth >= 16) {
        nb_buf_append(&b->out, line, len);
        return;
    }
    if (line[ind] == '-') { /* a list item: no field path runs through it */
        b->stack[depth] = "-";
        nb_buf_append(&b->out, line, len);
        return;
    }
    if (k == (size_t)ind || k >= len || line[k] != ':') {
        nb_buf_append(&b->out, line, len);
        return;
    }
    b->stack[depth] = nb_arena_strndup(a, line + ind, k - (size_t)ind);
    const nb_field *fd = nb_format_field(b->f, path_at(b, depth, a));
    if (!fd || !fd->may_be_empty) {
        nb_buf_append(&b->out, line, len);
        return;
    }
    bool list = fd->type == NB_FIELD_LIST || fd->type == NB_FIELD_PARAGRAPHS;
    nb_buf_append(&b->out, line, k + 1);
    nb_buf_puts(&b->out, list ? " []\n" : " ~\n");
    b->skip_deeper_than = ind;
    b->blanked++;
}

static char *blank_optional_fields(const nb_format *f, const char *skeleton, size_t *blanked)
{
    nb_arena a = {0};
    blanker b = {.f = f, .skip_deeper_than = -1};
    for (const char *s = skeleton; *s;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) + 1 : strlen(s);
        blank_line(&b, s, len, &a);
        s += len;
    }
    nb_arena_free(&a);
    *blanked = b.blanked;
    return nb_buf_detach(&b.out);
}

/* The fields marked may_be_empty that a skeleton writes as `key:` lines. */
static size_t count_may_be_empty(const nb_field *fields, size_t n)
{
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        count += fields[i].may_be_empty;
        if (fields[i].type == NB_FIELD_MAP && !fields[i].may_be_empty)
            count += count_may_be_empty(fields[i].fields, fields[i].nfields);
    }
    return count;
}

static void test_empty_where_allowed_checks_and_builds(void **state)
{
    const char *format = *state;
    char *skeleton = write_skeleton(format);
    size_t len;
    char *text = nb_read_file(skeleton, &len);
    assert_non_null(text);
    nb_arena a = {0};
    nb_diags d = {0};
    nb_format *f = load_format(format, &a, &d);
    size_t blanked;
    char *emptied = blank_optional_fields(f, text, &blanked);
    assert_true(blanked > 0);
    assert_int_equal(blanked, count_may_be_empty(f->fields, f->nfields));
    char *name = nb_arena_printf(&a, "%s-empty", format);
    char *path = tmp_file(name, ".yaml");
    nb_test_write_text(path, emptied);
    check_passes(path);
    char *pdf = made(path, name, true);
    if (strcmp(format, "gov-2014") == 0) {
        /* the signature block left blank under the table */
        assert_non_null(strstr(pdf, "单位负责人：审核人：填报人："));
    }
    free(pdf);
    free(path);
    free(emptied);
    free(text);
    nb_diags_free(&d);
    nb_arena_free(&a);
    free(skeleton);
}

/* ---- gov-2014: the schema catches what a clerk gets wrong ---- */
/* A copy of `base` with `from` (which must occur once) replaced by `to`;
 * `nianbao check` on it must fail with `expected` in its output. */
static void expect_check_error(const char *base, const char *name, const char *from,
                               const char *to, const char *expected)
{
    const char *at = strstr(base, from);
    assert_non_null(at);
    assert_null(strstr(at + 1, from));
    nb_buf copy = {0};
    nb_buf_append(&copy, base, (size_t)(at - base));
    nb_buf_puts(&copy, to);
    nb_buf_puts(&copy, at + strlen(from));
    char *path = nb_path_join(tmp, name);
    nb_test_write_text(path, nb_buf_str(&copy));
    char *out = NULL;
    int status = nb_test_runf(&out, "'%s' check '%s'", NB_BINARY, path);
    if (status == 0 || !strstr(out, expected))
        fprintf(stderr, "expected: %s\nstatus %d, got:\n%s\n", expected, status, out);
    assert_int_equal(status, 2);
    assert_non_null(strstr(out, expected));
    free(out);
    free(path);
    nb_buf_free(&copy);
}

static void test_gov2014_schema_catches_mistakes(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "'%s' check '%s'", NB_BINARY, SEED_SAMPLE), 0);
    assert_non_null(strstr(out, "all figures agree with the rules of format gov-2014"));
    assert_null(strstr(out, "error"));
    free(out);
    size_t len;
    char *sample = nb_read_file(SEED_SAMPLE, &len);
    assert_non_null(sample);
    expect_check_error(sample, "misspelt.yaml", "\n  - heading: 概述", "\n  - heading: 概述\n    txt: []",
                       "unknown key 'txt' under sections[1]; did you mean 'text'?");
    expect_check_error(sample, "misspelt-item.yaml", "- title: 健全考评机制。",
                       "- titel: 健全考评机制。",
                       "unknown key 'titel' under sections[2].items[1].items[1]; did you mean "
                       "'title'?");
    expect_check_error(sample, "missing.yaml", "\noffice:", "\noffcie:",
                       ": office is missing: the format gov-2014 requires `office:`");
    expect_check_error(sample, "date.yaml", "date: 2018-03-19", "date: 2018-3-19",
                       "date is '2018-3-19'; write a date as YYYY-MM-DD");
    expect_check_error(sample, "no-date.yaml", "date: 2018-03-19", "date: ~",
                       "date is empty; the format gov-2014 requires it");
    expect_check_error(sample, "sections.yaml", "\nsections:\n", "\nsections: 见附件\nold_sections:\n",
                       "sections should be a list, not text");
    expect_check_error(sample, "both.yaml", "      - heading: 着力创新方式，进一步拓展了公开内容。",
                       "      - heading: 着力创新方式，进一步拓展了公开内容。\n        title: 创新。",
                       "sections[2].items[2] has both heading and title, which exclude each other");
    expect_check_error(sample, "contact.yaml", "\ncontact:\n", "\ncontact: 0736-6620322\nphones:\n",
                       "contact should be a map of keys, not text");
    expect_check_error(sample, "intro.yaml", "\nintro:\n", "\nintro: []\nold_intro:\n",
                       "intro is empty; the format gov-2014 requires it");
    /* the two 万元 rows are amounts: decimals pass */
    const char *budget = strstr(sample, "    budget: 20 ");
    assert_non_null(budget);
    nb_buf copy = {0};
    nb_buf_append(&copy, sample, (size_t)(budget - sample));
    nb_buf_puts(&copy, "    budget: 20.5 ");
    nb_buf_puts(&copy, budget + strlen("    budget: 20 "));
    char *path = nb_path_join(tmp, "amount.yaml");
    nb_test_write_text(path, nb_buf_str(&copy));
    assert_int_equal(nb_test_runf(&out, "'%s' check '%s'", NB_BINARY, path), 0);
    assert_null(strstr(out, "error"));
    free(out);
    free(path);
    nb_buf_free(&copy);
    free(sample);
}

/* A region that would break the skeleton (a line break ends its first
 * comment line) or fail its check is refused before anything is printed. */
static void test_region_must_be_one_line(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "'%s' init --format gov-2014 --region \"$(printf "
                                  "'某某\\n县')\" --year 2025", NB_BINARY), 2);
    assert_string_equal(out, "nianbao init: error: --region holds U+000A, which is a line "
                             "break; a region is one line (e.g. --region=某某县)\n"
                             "Try 'nianbao init --help' for its options.\n");
    free(out);
    assert_int_equal(nb_test_runf(&out, "'%s' init --format gov-2014 --region 某县😀 --year 2025",
                                  NB_BINARY), 2);
    assert_non_null(strstr(out, "--region holds U+1F600, which is not a character a report "
                                "prints"));
    free(out);
}

int main(void)
{
    static const char *gov2014 = "gov-2014", *gov2021 = "gov-2021";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_prestate(test_skeleton_is_complete, (void *)gov2014),
        cmocka_unit_test_prestate(test_skeleton_is_complete, (void *)gov2021),
        cmocka_unit_test_prestate(test_skeleton_checks_and_builds, (void *)gov2014),
        cmocka_unit_test_prestate(test_skeleton_checks_and_builds, (void *)gov2021),
        cmocka_unit_test_prestate(test_empty_where_allowed_checks_and_builds, (void *)gov2014),
        cmocka_unit_test_prestate(test_empty_where_allowed_checks_and_builds, (void *)gov2021),
        cmocka_unit_test(test_gov2014_schema_catches_mistakes),
        cmocka_unit_test(test_region_must_be_one_line),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
