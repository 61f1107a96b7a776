/* test_xlsx.c — the XLSX backend, read back by tests/xlsx_check.py (openpyxl)
 * and recomputed and printed by LibreOffice.
 *
 * The expectations are built here from the format's grid and the report's
 * data — not from the writer's code — and handed to the checker as JSON:
 * every figure and whether it must be a formula, every merge, the labels with
 * their indentation, the print setup, the charts and the source list.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <xlsxwriter/utility.h>

#include "format.h"
#include "report.h"
#include "testutil.h"
#include "util.h"
#include "xlsx.h"

#define CHECKER NB_SOURCE_DIR "/tests/xlsx_check.py"

/* ------------------------------------------------------------ fixtures */

static const char *demo_format =
    "name: demo\n"
    "description: 测试用格式\n"
    "template: report.mustache\n"
    "tables:\n"
    "  - id: stats\n"
    "    sheet: 统计表\n"
    "    title: 统计表\n"
    "    lead: [\"填报单位（盖章）：\"]\n"
    "    foot: [\"单位负责人：\", \"联系电话：\"]\n"
    "    data: stats\n"
    "    columns:\n"
    "      - {role: label, header: 统 计 指 标, width: 6}\n"
    "      - {role: unit, header: 单位, width: 1}\n"
    "      - {role: value, header: 统计数, width: 1.4}\n"
    "    rows:\n"
    "      - {text: 第一部分}\n"
    "      - {label: 一、主动公开情况, unit: ——}\n"
    "      - {label: （一）主动公开政府信息数（不同渠道和方式公开相同信息计1条）, unit: 条, key: proactive.total, level: 1}\n"
    "      - {label: 1.政府公报公开政府信息数, unit: 条, key: proactive.gazette, level: 2}\n"
    "      - {label: 2.政府网站公开政府信息数, unit: 条, key: proactive.website, level: 2}\n"
    "      - {label: 3.政务微博公开政府信息数, unit: 条, key: proactive.weibo, level: 2}\n"
    "      - {label: 二、依申请公开情况, unit: ——}\n"
    "      - {label: （一）收到申请数, unit: 件, key: applications.received, level: 1}\n"
    "      - {label: 1.当面申请数, unit: 件, key: applications.in_person, level: 2}\n"
    "      - {label: 2.传真申请数, unit: 件, key: applications.fax, level: 2}\n"
    "      - {label: 3.网络申请数, unit: 件, key: applications.online, level: 2}\n"
    "      - {label: （二）申请答复数, unit: 件, key: replies.total, level: 1}\n"
    "      - {label: 1.同意公开答复数, unit: 件, key: replies.granted, level: 2}\n"
    "      - {label: 2.不同意公开答复数, unit: 件, key: replies.refused.total, level: 2}\n"
    "      - {label: 其中：涉及国家秘密, unit: 件, key: replies.refused.secret, level: 3}\n"
    "      - {label: 涉及个人隐私, unit: 件, key: replies.refused.privacy, level: 3}\n"
    "      - {label: 3.申请信息不存在数, unit: 件, key: replies.nonexistent, level: 2}\n"
    "      - {label: 三、经费, unit: 万元, key: budget}\n"
    "      - {label: 四、主要负责同志参加访谈次数, unit: 次, key: interviews_leader}\n"
    "      - {label: 五、依申请公开信息收取的费用, unit: 万元, key: fees}\n"
    "      - {label: 六、申请总数（跨表）, unit: 件, key: apply_total}\n"
    "  - id: apply\n"
    "    sheet: 申请情况\n"
    "    title: 收到和处理政府信息公开申请情况\n"
    "    data: apply\n"
    "    label_style: nested\n"
    "    columns:\n"
    "      - {role: label}\n"
    "      - {role: value, key: natural, header: 自然人}\n"
    "      - {role: value, key: commercial, header: 商业企业}\n"
    "      - {role: value, key: research, header: 科研机构}\n"
    "      - {role: value, key: total, header: 总计}\n"
    "    header:\n"
    "      - [{text: （本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）, rows: 3, cols: 3}, {text: 申请人情况, cols: 4}]\n"
    "      - [{text: 自然人, rows: 2}, {text: 法人或其他组织, cols: 2}, {text: 总计, rows: 2}]\n"
    "      - [商业企业, 科研机构]\n"
    "    rows:\n"
    "      - {label: 一、本年新收政府信息公开申请数量, key: new}\n"
    "      - {label: 二、上年结转政府信息公开申请数量, key: carried}\n"
    "      - {label: 三、本年度办理结果}\n"
    "      - {label: （一）予以公开, key: result.public, level: 1}\n"
    "      - {label: （二）不予公开, level: 1}\n"
    "      - {label: 1.属于国家秘密, key: result.deny.secret, level: 2}\n"
    "      - {label: 2.其他法律行政法规禁止公开, key: result.deny.law, level: 2}\n"
    "      - {label: （三）总计, key: result.total, level: 1}\n"
    "      - {label: 四、结转下年度继续办理, key: carry_forward}\n"
    "  - id: review\n"
    "    sheet: 复议诉讼\n"
    "    title: 政府信息公开行政复议、行政诉讼情况\n"
    "    data: review\n"
    "    columns:\n"
    "      - {role: label}\n"
    "      - {role: value, key: r_upheld}\n"
    "      - {role: value, key: r_corrected}\n"
    "      - {role: value, key: r_other}\n"
    "      - {role: value, key: r_pending}\n"
    "      - {role: value, key: r_total}\n"
    "      - {role: value, key: s_upheld}\n"
    "      - {role: value, key: s_corrected}\n"
    "      - {role: value, key: s_other}\n"
    "      - {role: value, key: s_pending}\n"
    "      - {role: value, key: s_total}\n"
    "    header:\n"
    "      - [{text: 项目, rows: 2}, {text: 行政复议, cols: 5}, {text: 行政诉讼, cols: 5}]\n"
    "      - [结果维持, 结果纠正, 其他结果, 尚未审结, 总计, 结果维持, 结果纠正, 其他结果, 尚未审结, 总计]\n"
    "    rows:\n"
    "      - {label: 件数, key: cases}\n"
    "rules:\n"
    "  - name: 收到申请数等于各渠道之和\n"
    "    sum: stats.applications.received\n"
    "    of: [stats.applications.in_person, stats.applications.fax, stats.applications.online]\n"
    "  - name: 答复数等于各类答复之和\n"
    "    sum: stats.replies.total\n"
    "    of: [stats.replies.granted, stats.replies.refused.total, stats.replies.nonexistent]\n"
    "  - name: 不同意公开数等于各情形之和\n"
    "    sum: stats.replies.refused.total\n"
    "    of: [stats.replies.refused.secret, stats.replies.refused.privacy]\n"
    "  - name: 跨表合计\n"
    "    sum: stats.apply_total\n"
    "    of: [apply.new.total, apply.carried.total]\n"
    "  - name: 总计列等于各类申请人之和\n"
    "    for_each: {row: [new, carried, result.public, result.deny.secret, result.deny.law, result.total, carry_forward]}\n"
    "    sum: apply.$row.total\n"
    "    of: [apply.$row.natural, apply.$row.commercial, apply.$row.research]\n"
    "  - name: 办理结果总计等于各项之和\n"
    "    for_each: {col: [natural, commercial, research]}\n"
    "    sum: apply.result.total.$col\n"
    "    of: [apply.result.public.$col, apply.result.deny.secret.$col, apply.result.deny.law.$col]\n"
    "  - name: 复议总计\n"
    "    sum: review.cases.r_total\n"
    "    of: [review.cases.r_upheld, review.cases.r_corrected, review.cases.r_other, review.cases.r_pending]\n"
    "  - name: 诉讼总计\n"
    "    sum: review.cases.s_total\n"
    "    of: [review.cases.s_upheld, review.cases.s_corrected, review.cases.s_other, review.cases.s_pending]\n"
    "charts:\n"
    "  - title: 主动公开政府信息的渠道\n"
    "    type: pie\n"
    "    table: stats\n"
    "    items:\n"
    "      - {key: stats.proactive.gazette, label: 政府公报}\n"
    "      - {key: stats.proactive.website, label: 政府网站}\n"
    "      - stats.proactive.weibo\n"
    "  - title: 申请的办理结果\n"
    "    type: bar\n"
    "    table: apply\n"
    "    items:\n"
    "      - {key: apply.result.public.total, label: 予以公开}\n"
    "      - {keys: [apply.result.deny.secret.total, apply.result.deny.law.total], label: 不予公开}\n";

/* %s: the figure of stats.applications.received (210 agrees with its parts). */
static const char *demo_report =
    "format: demo\n"
    "stats:\n"
    "  proactive: {total: 135000, gazette: 7800, website: 110000, weibo: 5000}\n"
    "  applications:\n"
    "    received: %s\n"
    "    in_person: 168\n"
    "    fax: 2\n"
    "    online: 40\n"
    "  replies:\n"
    "    total: 210\n"
    "    granted: 205\n"
    "    refused: {total: 3, secret: 1, privacy: 2}\n"
    "    nonexistent: 2\n"
    "  budget: 20.5\n"
    "  interviews_leader: ~\n"
    "  apply_total: 7\n"
    "apply:\n"
    "  new: {natural: 3, commercial: 1, research: 0, total: 4}\n"
    "  carried: {natural: 2, commercial: 1, research: 0, total: 3}\n"
    "  result:\n"
    "    public: {natural: 2, commercial: 1, research: 0, total: 3}\n"
    "    deny:\n"
    "      secret: {natural: 1, commercial: 0, research: 0, total: 1}\n"
    "      law: {natural: 0, commercial: 1, research: ~, total: 1}\n"
    "    total: {natural: 3, commercial: 2, research: 0, total: 5}\n"
    "  carry_forward: {natural: 2, commercial: 0, research: 0, total: 2}\n"
    "review:\n"
    "  cases: {r_upheld: 1, r_corrected: 1, r_other: 0, r_pending: 0, r_total: 2,\n"
    "          s_upheld: 0, s_corrected: 0, s_other: 1, s_pending: 0, s_total: 1}\n";

static const nb_xlsx_meta demo_meta = {
    .title = "2017年度桃源县政府信息公开工作年度报告",
    .author = "桃源县政务公开办",
    .company = "桃源县人民政府",
    .subject = "政府信息公开工作统计表",
    .date_epoch = 1521417600, /* 2018-03-19T00:00:00Z */
};

static char *slurp(const char *path, size_t *len)
{
    char *s = nb_read_file(path, len);
    assert_non_null(s);
    return s;
}

/* A loaded format and report, with table instances bound to the report. */
typedef struct fixture {
    nb_arena a;
    nb_diags d;
    nb_format *f;
    nb_node *report;
    nb_table_inst *insts;
    size_t ninsts;
    char *dir;
} fixture;

/* The charts of format.yaml, unless nb_format_load already read them. */
static void load_charts(fixture *fx, const char *format_yaml)
{
    if (fx->f->ncharts > 0)
        return;
    nb_node *root = nb_source_load_file(format_yaml, &fx->a, &fx->d);
    assert_non_null(root);
    assert_true(nb_format_parse_charts(fx->f, nb_map_get(root, "charts"), &fx->a, &fx->d));
}

static void bind_tables(fixture *fx)
{
    fx->ninsts = fx->f->ntables;
    fx->insts = nb_arena_alloc(&fx->a, fx->ninsts * sizeof *fx->insts);
    for (size_t i = 0; i < fx->ninsts; i++) {
        const nb_table *t = &fx->f->tables[i];
        nb_table_inst *in = &fx->insts[i];
        in->def = t;
        in->data = fx->report;
        /* The pipeline renders these with Mustache; here they are fixed text. */
        in->title = t->title;
        in->lead = t->lead;
        in->foot = t->foot;
    }
}

/* Load templates/<name>/format.yaml from `templates` and the report text. */
static void fixture_load(fixture *fx, const char *name, const char *templates,
                         const char *format_name, const char *report_text)
{
    memset(fx, 0, sizeof *fx);
    fx->dir = nb_test_tmpdir(name);
    fx->f = nb_format_load(templates, format_name, (nb_pos){0}, &fx->a, &fx->d);
    if (!fx->f)
        nb_diags_print(&fx->d, stderr);
    assert_non_null(fx->f);
    char *fdir = nb_path_join(templates, format_name);
    char *yaml = nb_path_join(fdir, "format.yaml");
    load_charts(fx, yaml);
    free(yaml);
    free(fdir);
    char *report = nb_path_join(fx->dir, "report.yaml");
    nb_test_write_text(report, report_text);
    fx->report = nb_source_load_file(report, &fx->a, &fx->d);
    free(report);
    assert_non_null(fx->report);
    bind_tables(fx);
}

/* The demo format in a templates folder of its own. */
static void fixture_demo(fixture *fx, const char *name, const char *received)
{
    char *templates = nb_test_tmpdir("xlsx_templates");
    char *dir = nb_path_join(templates, "demo");
    assert_int_equal(mkdir(dir, 0777), 0);
    char *yaml = nb_path_join(dir, "format.yaml");
    nb_test_write_text(yaml, demo_format);
    nb_buf report = {0};
    nb_buf_printf(&report, demo_report, received);
    fixture_load(fx, name, templates, "demo", nb_buf_str(&report));
    nb_buf_free(&report);
    free(yaml);
    free(dir);
    free(templates);
}

static void fixture_free(fixture *fx)
{
    nb_diags_free(&fx->d);
    nb_arena_free(&fx->a);
    free(fx->dir);
}

static size_t count_messages(const nb_diags *d, nb_severity sev, const char *needle)
{
    size_t n = 0;
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].severity == sev && strstr(d->items[i].message, needle))
            n++;
    return n;
}

/* ------------------------------------------------------------ expectations */

static void json_str(nb_buf *b, const char *s)
{
    nb_buf_putc(b, '"');
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if (*p == '"' || *p == '\\')
            nb_buf_printf(b, "\\%c", *p);
        else if (*p < 0x20)
            nb_buf_printf(b, "\\u%04x", *p);
        else
            nb_buf_putc(b, (char)*p);
    }
    nb_buf_putc(b, '"');
}

static void cell_ref(char *out, int row, int col)
{
    lxw_rowcol_to_cell(out, (lxw_row_t)row, (lxw_col_t)col);
}

static void range_ref(char *out, int r0, int c0, int r1, int c1)
{
    lxw_rowcol_to_range(out, (lxw_row_t)r0, (lxw_col_t)c0, (lxw_row_t)r1, (lxw_col_t)c1);
}

/* The figure the report gives for `key`: true with *v for a number. */
static bool report_number(const nb_node *report, const char *key, double *v)
{
    const nb_node *n = nb_node_at(report, key);
    nb_value_type t = n ? nb_node_type(n) : NB_TYPE_NULL;
    return (t == NB_TYPE_INT || t == NB_TYPE_FLOAT) && nb_node_number(n, v);
}

static bool listed(const char *key, const char *const *keys)
{
    for (; keys && *keys; keys++)
        if (strcmp(*keys, key) == 0)
            return true;
    return false;
}

/* The workbook the expectations are written for: its meta and tables give
 * each sheet's heading (xlsx.h). */
static const nb_xlsx_meta *heading_meta;
static const nb_table_inst *heading_insts;

static bool has_text(const char *s) { return s && *s; }

/* xlsx.h: the title row shows the table's title, else its name in the report. */
static const char *sheet_title(const nb_table_inst *in)
{
    if (has_text(in->title))
        return in->title;
    const char *const *names = heading_meta ? heading_meta->table_names : NULL;
    return names && has_text(names[in - heading_insts]) ? names[in - heading_insts] : NULL;
}

static int title_rows(const nb_table_inst *in)
{
    return sheet_title(in) ? 1 : 0;
}

/* xlsx.h: the table's lead lines, else one line 填报单位 … 统计年度 … (填报日期 …). */
static size_t sheet_lead(const nb_table_inst *in, const char **lines, nb_buf *made)
{
    size_t n = 0;
    for (size_t i = 0; i < in->def->nlead; i++)
        if (has_text(in->lead[i]))
            n = in->def->nlead;
    for (size_t i = 0; i < n; i++)
        lines[i] = in->lead[i];
    if (n || !heading_meta || !has_text(heading_meta->body))
        return n;
    nb_buf_clear(made);
    nb_buf_printf(made, "填报单位：%s", heading_meta->body);
    if (has_text(heading_meta->year))
        nb_buf_printf(made, "　　统计年度：%s年", heading_meta->year);
    if (has_text(heading_meta->date))
        nb_buf_printf(made, "　　填报日期：%s", heading_meta->date);
    lines[0] = nb_buf_str(made);
    return 1;
}

static int lead_rows(const nb_table_inst *in)
{
    const char *lines[16];
    nb_buf made = {0};
    size_t n = sheet_lead(in, lines, &made);
    nb_buf_free(&made);
    return (int)n;
}

static const char *sheet_name(const nb_table *t)
{
    return t->sheet ? t->sheet : t->id;
}

static void expect_merge(nb_buf *b, bool *first, int r0, int c0, int r1, int c1)
{
    char range[64];
    if (r0 == r1 && c0 == c1)
        return;
    range_ref(range, r0, c0, r1, c1);
    nb_buf_printf(b, "%s\"%s\"", *first ? "" : ",", range);
    *first = false;
}

/* Sheet layout (xlsx.h): title row, lead lines, grid, foot lines. */
static void expect_merges(nb_buf *b, const nb_table_inst *in, int row0)
{
    const nb_table *t = in->def;
    int top = title_rows(in);
    bool first = true;
    nb_buf_puts(b, "\"merges\":[");
    if (top)
        expect_merge(b, &first, 0, 0, 0, t->ncols - 1);
    for (int i = 0; i < lead_rows(in); i++)
        expect_merge(b, &first, top + i, 0, top + i, t->ncols - 1);
    for (size_t i = 0; i < t->ncells; i++) {
        const nb_cell *c = &t->cells[i];
        expect_merge(b, &first, row0 + c->row, c->col, row0 + c->row + c->rows - 1,
                     c->col + c->cols - 1);
    }
    for (size_t i = 0; i < t->nfoot; i++) {
        int r = row0 + t->nrows + (int)i;
        expect_merge(b, &first, r, 0, r, t->ncols - 1);
    }
    nb_buf_puts(b, "],");
}

static void expect_text(nb_buf *b, bool *first, int row, int col, const char *text,
                        int indent, bool border)
{
    char ref[32];
    cell_ref(ref, row, col);
    nb_buf_printf(b, "%s{\"ref\":\"%s\",\"text\":", *first ? "" : ",", ref);
    json_str(b, text);
    if (indent >= 0)
        nb_buf_printf(b, ",\"indent\":%d", indent);
    nb_buf_printf(b, ",\"border\":%s}", border ? "true" : "false");
    *first = false;
}

static void expect_texts(nb_buf *b, const nb_table_inst *in, int row0)
{
    const nb_table *t = in->def;
    int top = title_rows(in);
    bool first = true;
    nb_buf_puts(b, "\"texts\":[");
    if (top)
        expect_text(b, &first, 0, 0, sheet_title(in), -1, false);
    const char *lines[16];
    nb_buf made = {0};
    size_t nlead = sheet_lead(in, lines, &made);
    for (size_t i = 0; i < nlead; i++)
        expect_text(b, &first, top + (int)i, 0, lines[i], -1, false);
    nb_buf_free(&made);
    for (size_t i = 0; i < t->ncells; i++) {
        const nb_cell *c = &t->cells[i];
        if (c->kind == NB_CELL_VALUE)
            continue;
        /* Nested tables show the level by the column; only the rest indents. */
        int indent = c->kind == NB_CELL_LABEL ? c->level - c->col : -1;
        expect_text(b, &first, row0 + c->row, c->col, c->text, indent, true);
    }
    for (size_t i = 0; i < t->nfoot; i++)
        expect_text(b, &first, row0 + t->nrows + (int)i, 0, in->foot[i], -1, false);
    nb_buf_puts(b, "],");
}

/* The number format that shows a figure as written: "0", "0.0", "0.00" … */
static const char *written_format(const nb_node *n)
{
    static const char *const formats[] = {"0", "0.0", "0.00", "0.000", "0.0000", "0.00000",
                                          "0.000000"};
    const char *dot = strchr(nb_scalar(n), '.');
    size_t decimals = dot ? strlen(dot + 1) : 0;
    return formats[decimals < 6 ? decimals : 6];
}

static void expect_values(nb_buf *b, const nb_format *f, const nb_table *t, int row0,
                          const nb_node *report, const char *const *mismatched)
{
    bool first = true;
    nb_buf_puts(b, "\"values\":[");
    for (size_t i = 0; i < t->ncells; i++) {
        const nb_cell *c = &t->cells[i];
        if (c->kind != NB_CELL_VALUE)
            continue;
        char ref[32];
        cell_ref(ref, row0 + c->row, c->col);
        double v;
        bool number = c->key && report_number(report, c->key, &v);
        bool formula = number && nb_format_sum_rule(f, c->key) && !listed(c->key, mismatched);
        nb_buf_printf(b, "%s{\"ref\":\"%s\",\"key\":", first ? "" : ",", ref);
        json_str(b, c->key);
        if (number)
            nb_buf_printf(b, ",\"value\":%.17g,\"format\":\"%s\"", v,
                          written_format(nb_node_at(report, c->key)));
        else
            nb_buf_puts(b, ",\"value\":null");
        nb_buf_printf(b, ",\"formula\":%s}", formula ? "true" : "false");
        first = false;
    }
    nb_buf_puts(b, "],");
}

static void expect_sheet(nb_buf *b, const nb_format *f, const nb_table_inst *in,
                         const char *const *mismatched)
{
    const nb_table *t = in->def;
    const nb_node *report = in->data;
    int row0 = title_rows(in) + lead_rows(in);
    char freeze[32];
    cell_ref(freeze, row0 + t->header_rows, 0);
    nb_buf_puts(b, "{\"name\":");
    json_str(b, sheet_name(t));
    nb_buf_printf(b, ",\"ncols\":%d,\"freeze\":\"%s\",\"repeat_rows\":", t->ncols, freeze);
    if (t->header_rows > 0)
        nb_buf_printf(b, "\"%d:%d\",", row0 + 1, row0 + t->header_rows);
    else
        nb_buf_puts(b, "\"\",");
    expect_merges(b, in, row0);
    expect_texts(b, in, row0);
    expect_values(b, f, t, row0, report, mismatched);
    bool labelled = t->columns && t->columns[0].role == NB_CELL_LABEL;
    nb_buf_printf(b, "\"label_min_width\":%d}", labelled ? 8 : 0);
}

static void expect_charts(nb_buf *b, const nb_format *f, const nb_node *report)
{
    nb_buf_puts(b, "\"charts\":[");
    for (size_t i = 0; i < f->ncharts; i++) {
        const nb_chart *ch = &f->charts[i];
        static const char *const kinds[] = {"pie", "doughnut", "bar", "column"};
        nb_buf_printf(b, "%s{\"title\":", i ? "," : "");
        json_str(b, ch->title);
        nb_buf_printf(b, ",\"type\":\"%s\",\"items\":[", kinds[ch->kind]);
        for (size_t k = 0; k < ch->nitems; k++) {
            double sum = 0, v;
            for (size_t j = 0; j < ch->items[k].nkeys; j++)
                if (report_number(report, ch->items[k].keys[j], &v))
                    sum += v;
            nb_buf_printf(b, "%s{\"label\":", k ? "," : "");
            json_str(b, ch->items[k].label);
            nb_buf_printf(b, ",\"value\":%.17g}", sum);
        }
        nb_buf_puts(b, "]}");
    }
    nb_buf_puts(b, "],");
}

static void expect_sources(nb_buf *b, const nb_table_inst *insts, size_t ninsts)
{
    bool first = true;
    nb_buf_puts(b, "\"sources\":[");
    for (size_t i = 0; i < ninsts; i++) {
        const nb_table *t = insts[i].def;
        const nb_node *report = insts[i].data;
        for (size_t k = 0; k < t->ncells; k++) {
            const nb_cell *c = &t->cells[k];
            if (c->kind != NB_CELL_VALUE || !c->key) /* a group row's empty slot */
                continue;
            char ref[32];
            cell_ref(ref, title_rows(&insts[i]) + lead_rows(&insts[i]) + c->row, c->col);
            const nb_node *n = nb_node_at(report, c->key);
            double v;
            nb_buf_printf(b, "%s{\"sheet\":", first ? "" : ",");
            json_str(b, sheet_name(t));
            nb_buf_printf(b, ",\"ref\":\"%s\",\"key\":", ref);
            json_str(b, c->key);
            if (report_number(report, c->key, &v))
                nb_buf_printf(b, ",\"value\":%.17g", v);
            else
                nb_buf_puts(b, ",\"value\":null");
            nb_buf_puts(b, ",\"source\":");
            if (n) {
                const char *slash = strrchr(n->pos.file, '/');
                nb_buf_printf(b, "\"%s:%d:%d\"}", slash ? slash + 1 : n->pos.file,
                              n->pos.line, n->pos.col);
            } else {
                nb_buf_puts(b, "\"\"}");
            }
            first = false;
        }
    }
    nb_buf_puts(b, "]");
}

/* The whole expectation file for a workbook of `insts`, in `dir`. */
static char *write_expectations(const char *dir, const nb_format *f, const nb_table_inst *insts,
                                size_t ninsts, const nb_xlsx_meta *m,
                                const char *const *mismatched)
{
    heading_meta = m;
    heading_insts = insts;
    nb_buf b = {0};
    nb_buf_puts(&b, "{\"properties\":{\"title\":");
    json_str(&b, m->title);
    nb_buf_puts(&b, ",\"author\":");
    json_str(&b, m->author);
    nb_buf_puts(&b, ",\"company\":");
    json_str(&b, m->company);
    nb_buf_puts(&b, ",\"subject\":");
    json_str(&b, m->subject);
    nb_buf_printf(&b, ",\"created\":%lld},\"sheets\":[", m->date_epoch);
    for (size_t i = 0; i < ninsts; i++) {
        if (i)
            nb_buf_putc(&b, ',');
        expect_sheet(&b, f, &insts[i], mismatched);
    }
    nb_buf_puts(&b, "],");
    const nb_node *report = ninsts ? insts[0].data : NULL;
    expect_charts(&b, f, report);
    expect_sources(&b, insts, ninsts);
    nb_buf_puts(&b, "}");
    char *path = nb_path_join(dir, "expect.json");
    nb_test_write_text(path, nb_buf_str(&b));
    nb_buf_free(&b);
    return path;
}

static char *fixture_expectations(const fixture *fx, const char *const *mismatched)
{
    return write_expectations(fx->dir, fx->f, fx->insts, fx->ninsts, &demo_meta, mismatched);
}

/* ------------------------------------------------------------ the checker */

static const char *python(void)
{
    /* Debian's python3-openpyxl lives with the system interpreter, which a
     * developer's PATH may shadow (pyenv). */
    return access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
}

/* Runs xlsx_check.py MODE BOOK ARG [PAGES]: its report on success, the
 * command and its output on failure. */
static void run_checker_pages(const char *mode, const char *book, const char *arg,
                              const char *pages)
{
    nb_buf cmd = {0};
    nb_buf_printf(&cmd, "%s '%s' %s '%s' '%s'", python(), CHECKER, mode, book, arg);
    if (pages)
        nb_buf_printf(&cmd, " %s", pages);
    char *out = NULL;
    int status = nb_test_run(nb_buf_str(&cmd), &out);
    if (status != 0)
        fprintf(stderr, "%s\n%s\n", nb_buf_str(&cmd), out ? out : "");
    else
        printf("%s", out ? out : "");
    free(out);
    nb_buf_free(&cmd);
    assert_int_equal(status, 0);
}

static void run_checker(const char *mode, const char *book, const char *arg)
{
    run_checker_pages(mode, book, arg, NULL);
}

static char *write_book(fixture *fx, const char *file)
{
    char *path = nb_path_join(fx->dir, file);
    bool ok = nb_xlsx_write(fx->f, fx->insts, fx->ninsts, &demo_meta, path, NULL, &fx->d);
    if (!ok)
        nb_diags_print(&fx->d, stderr);
    assert_true(ok);
    return path;
}

/* ------------------------------------------------------------ tests */

/* Every figure, formula, merge, indent, print setting, chart and source. */
static void demo_workbook_reads_back(void **state)
{
    (void)state;
    fixture fx;
    fixture_demo(&fx, "xlsx_demo", "210");
    char *book = write_book(&fx, "demo.xlsx");
    assert_int_equal(fx.d.errors, 0);
    assert_int_equal(count_messages(&fx.d, NB_WARNING, ""), 0);
    char *expect = fixture_expectations(&fx, NULL);
    run_checker("check", book, expect);
    free(expect);
    free(book);
    fixture_free(&fx);
}

static void demo_formulas_are_recomputed_by_libreoffice(void **state)
{
    (void)state;
    fixture fx;
    fixture_demo(&fx, "xlsx_demo_recalc", "210");
    char *book = write_book(&fx, "demo.xlsx");
    char *work = nb_path_join(fx.dir, "lo");
    run_checker("recalc", book, work);
    free(work);
    free(book);
    fixture_free(&fx);
}

static void same_input_gives_same_bytes(void **state)
{
    (void)state;
    fixture fx;
    fixture_demo(&fx, "xlsx_repro", "210");
    char *one = write_book(&fx, "one.xlsx");
    sleep(1); /* a clock read anywhere would now differ */
    char *two = write_book(&fx, "two.xlsx");
    size_t n1, n2;
    char *a = slurp(one, &n1), *b = slurp(two, &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(a, b, n1);
    free(a);
    free(b);
    free(one);
    free(two);
    fixture_free(&fx);
}

/* 211 ≠ 168 + 2 + 40: the reported figure stays, as a number, with a warning. */
static void total_that_breaks_its_rule_is_a_plain_number(void **state)
{
    (void)state;
    fixture fx;
    fixture_demo(&fx, "xlsx_mismatch", "211");
    char *book = write_book(&fx, "mismatch.xlsx");
    assert_int_equal(fx.d.errors, 0);
    assert_int_equal(count_messages(&fx.d, NB_WARNING, "stats.applications.received"), 1);
    assert_int_equal(count_messages(&fx.d, NB_WARNING, "parts add up to 210"), 1);
    static const char *const mismatched[] = {"stats.applications.received", NULL};
    char *expect = fixture_expectations(&fx, mismatched);
    run_checker("check", book, expect);
    free(expect);
    free(book);
    fixture_free(&fx);
}

/* A figure written as text fails the write and leaves the old file alone. */
static void text_figure_fails_and_keeps_the_previous_file(void **state)
{
    (void)state;
    fixture good;
    fixture_demo(&good, "xlsx_keep", "210");
    char *book = write_book(&good, "report.xlsx");
    size_t n_before;
    char *before = slurp(book, &n_before);

    fixture bad;
    fixture_demo(&bad, "xlsx_keep_bad", "\"210件\"");
    assert_false(nb_xlsx_write(bad.f, bad.insts, bad.ninsts, &demo_meta, book, NULL, &bad.d));
    assert_int_equal(bad.d.errors, 1);
    const nb_diag *e = &bad.d.items[bad.d.count - 1];
    assert_string_equal(e->pos.file + strlen(e->pos.file) - strlen("report.yaml"),
                        "report.yaml");
    assert_int_equal(e->pos.line, 5);
    assert_int_equal(e->pos.col, 15);
    assert_non_null(strstr(e->message, "stats.applications.received"));
    assert_non_null(strstr(e->message, "must be a number"));

    size_t n_after;
    char *after = slurp(book, &n_after);
    assert_int_equal(n_before, n_after);
    assert_memory_equal(before, after, n_before);
    /* and no temporary file is left beside it */
    nb_buf cmd = {0};
    nb_buf_printf(&cmd, "ls -A '%s' | grep -c '^\\.report.xlsx' || true", good.dir);
    char *out = NULL;
    nb_test_run(nb_buf_str(&cmd), &out);
    assert_string_equal(out, "0\n");
    free(out);
    nb_buf_free(&cmd);
    free(before);
    free(after);
    free(book);
    fixture_free(&bad);
    fixture_free(&good);
}

static void unusable_sheet_name_is_reported_at_the_table(void **state)
{
    (void)state;
    fixture fx;
    fixture_demo(&fx, "xlsx_sheetname", "210");
    nb_table *t = &fx.f->tables[1];
    t->sheet = "申请[情况]";
    char *path = nb_path_join(fx.dir, "bad.xlsx");
    assert_false(nb_xlsx_write(fx.f, fx.insts, fx.ninsts, &demo_meta, path, NULL, &fx.d));
    assert_int_equal(fx.d.errors, 1);
    assert_int_equal(fx.d.items[0].pos.line, t->pos.line);
    assert_non_null(strstr(fx.d.items[0].message, "申请[情况]"));
    assert_int_equal(access(path, F_OK), -1);
    t->sheet = NB_XLSX_SOURCE_SHEET;
    assert_false(nb_xlsx_write(fx.f, fx.insts, fx.ninsts, &demo_meta, path, NULL, &fx.d));
    assert_non_null(strstr(fx.d.items[fx.d.count - 1].message, "gives its own sheet"));
    free(path);
    fixture_free(&fx);
}

/* The demo prints on A4, one page wide, header repeated. */
static void demo_prints_on_a4(void **state)
{
    (void)state;
    fixture fx;
    fixture_demo(&fx, "xlsx_render", "210");
    char *book = write_book(&fx, "demo.xlsx");
    char *work = nb_path_join(fx.dir, "pdf");
    run_checker("render", book, work);
    free(work);
    free(book);
    fixture_free(&fx);
}

/* ---- the seed's own table through the real gov-2014 format ---- */

/* The seed's 统计表 (2017 桃源县), figure by figure. */
static const char *seed_stats =
    "format: gov-2014\n"
    "stats:\n"
    "  proactive: {total: 135000, normative: 8500, normative_issued: 85, gazette: 7800,\n"
    "              website: 110000, weibo: 5000, wechat: 6000, other: 6200}\n"
    "  response:\n"
    "    hotspots: 5\n"
    "    press: {total: 21, leader: 21}\n"
    "    interviews: {total: 12, leader: ~}\n"
    "    interpretations: 85\n"
    "    weibo_wechat: 50\n"
    "    other: 5\n"
    "  applications: {received: 210, in_person: 168, fax: 2, online: 24, letter: 16}\n"
    "  closed: {total: 210, on_time: 210, extended: 0}\n"
    "  replies:\n"
    "    total: 210\n"
    "    already_public: 201\n"
    "    granted: 9\n"
    "    partly_granted: 0\n"
    "    refused: {total: 0, state_secret: 0, business_secret: 0, privacy: 0, security: 0,\n"
    "              not_government_information: 0, other_law: 0}\n"
    "    not_ours: 0\n"
    "    nonexistent: 0\n"
    "    amend: 0\n"
    "    other_channel: 0\n"
    "  reviews: {total: 0, upheld: 0, corrected: 0, other: 0}\n"
    "  lawsuits: {total: 0, upheld: 0, corrected: 0, other: 0}\n"
    "  complaints: 0\n"
    "  fees: 0\n"
    "  organisation:\n"
    "    bodies: 1\n"
    "    reading_points: 190\n"
    "    staff: {total: 130, full_time: 3, part_time: 127}\n"
    "    budget: 20\n"
    "  training: {meetings: 1, courses: 1, trainees: 300}\n";

static void seed_table_through_gov2014(void **state)
{
    (void)state;
    char *templates = nb_test_source_path("templates");
    fixture fx;
    fixture_load(&fx, "xlsx_seed", templates, "gov-2014", seed_stats);
    char *book = write_book(&fx, "seed.xlsx");
    assert_int_equal(fx.d.errors, 0);
    assert_int_equal(count_messages(&fx.d, NB_WARNING, ""), 0);
    /* LibreOffice sees this format through the taoyuan sample below. */
    char *expect = fixture_expectations(&fx, NULL);
    run_checker("check", book, expect);
    free(expect);
    free(book);
    fixture_free(&fx);
    free(templates);
}

/* ---- the samples through the whole pipeline ---- */

/* The charts proposed for the formats' format.yaml (used when the format
 * does not define its own yet): the channels of proactive disclosure — bars,
 * since the same item published on two channels counts once in the total —
 * and the channels of applications, which do add up to the applications
 * received. */
static const char *gov2014_charts =
    "- title: 主动公开政府信息的渠道\n"
    "  type: bar\n"
    "  table: stats\n"
    "  items:\n"
    "    - {key: stats.proactive.gazette, label: 政府公报}\n"
    "    - {key: stats.proactive.website, label: 政府网站}\n"
    "    - {key: stats.proactive.weibo, label: 政务微博}\n"
    "    - {key: stats.proactive.wechat, label: 政务微信}\n"
    "    - {key: stats.proactive.other, label: 其他方式}\n"
    "- title: 政府信息公开申请的渠道\n"
    "  type: pie\n"
    "  table: stats\n"
    "  items:\n"
    "    - {key: stats.applications.in_person, label: 当面申请}\n"
    "    - {key: stats.applications.fax, label: 传真申请}\n"
    "    - {key: stats.applications.online, label: 网络申请}\n"
    "    - {key: stats.applications.letter, label: 信函申请}\n";

/* The outcome of applications: 表三's six outcomes, (三)–(六) summed over
 * their reasons, in the 总计 column. */
static const char *gov2021_charts =
    "- title: 政府信息公开申请的办理结果\n"
    "  type: bar\n"
    "  table: applications\n"
    "  items:\n"
    "    - {key: applications.result.granted.total, label: 予以公开}\n"
    "    - {key: applications.result.partly_granted.total, label: 部分公开}\n"
    "    - label: 不予公开\n"
    "      keys: [applications.result.refused.state_secret.total,\n"
    "             applications.result.refused.prohibited_by_law.total,\n"
    "             applications.result.refused.security_stability.total,\n"
    "             applications.result.refused.third_party.total,\n"
    "             applications.result.refused.internal_affairs.total,\n"
    "             applications.result.refused.process_information.total,\n"
    "             applications.result.refused.enforcement_files.total,\n"
    "             applications.result.refused.query_matters.total]\n"
    "    - label: 无法提供\n"
    "      keys: [applications.result.unavailable.not_held.total,\n"
    "             applications.result.unavailable.needs_creation.total,\n"
    "             applications.result.unavailable.still_unclear.total]\n"
    "    - label: 不予处理\n"
    "      keys: [applications.result.not_processed.petitions.total,\n"
    "             applications.result.not_processed.repeated.total,\n"
    "             applications.result.not_processed.publications.total,\n"
    "             applications.result.not_processed.excessive.total,\n"
    "             applications.result.not_processed.confirmation.total]\n"
    "    - label: 其他处理\n"
    "      keys: [applications.result.other.not_corrected.total,\n"
    "             applications.result.other.fee_unpaid.total,\n"
    "             applications.result.other.other.total]\n";

static const char *data_text(const nb_report *r, const char *key)
{
    const char *s = nb_scalar(nb_map_get(r->data, key));
    return s && *s ? s : NULL;
}

static void sample_through_the_pipeline(const char *sample, const char *charts_yaml,
                                        const char *name, int max_pages)
{
    char *path = sample[0] == '/' ? nb_xstrdup(sample) : nb_test_source_path(sample);
    if (access(path, R_OK) != 0) {
        free(path);
        skip();
    }
    nb_report r = {0};
    nb_diags d = {0};
    bool ok = nb_report_load(&r, path, NB_SOURCE_DIR, &d) && nb_report_compose(&r, &d);
    if (!ok)
        nb_diags_print(&d, stderr);
    assert_true(ok);
    if (r.format->ncharts == 0) {
        nb_node *charts = nb_source_load_string("charts.yaml", charts_yaml,
                                                strlen(charts_yaml), &r.arena, &d);
        assert_true(nb_format_parse_charts(r.format, charts, &r.arena, &d));
    }
    char *dir = nb_test_tmpdir(name);
    char *book = nb_path_join(dir, "sample.xlsx");
    ok = nb_report_write_xlsx(&r, book, NULL, &d);
    if (!ok || d.errors)
        nb_diags_print(&d, stderr);
    assert_true(ok);
    assert_int_equal(d.errors, 0);
    assert_int_equal(count_messages(&d, NB_WARNING, "plain number"), 0);

    const char *office = nb_scalar(nb_map_get(r.data, "office"));
    long long epoch = nb_report_epoch(&r);
    /* xlsx.h: a report without a date is dated 1980-01-01, never today */
    nb_xlsx_meta m = {.author = office, .company = office,
                      .date_epoch = epoch ? epoch : 315532800,
                      .table_names = r.table_names,
                      .body = data_text(&r, "body") ? data_text(&r, "body")
                                                    : data_text(&r, "region"),
                      .year = data_text(&r, "year")};
    int y, mo, day;
    char date[64];
    if (data_text(&r, "date") && sscanf(data_text(&r, "date"), "%d-%d-%d", &y, &mo, &day) == 3) {
        snprintf(date, sizeof date, "%d年%d月%d日", y, mo, day);
        m.date = date;
    }
    char *expect = write_expectations(dir, r.format, r.tables, r.ntables, &m, NULL);
    run_checker("check", book, expect);
    char *work = nb_path_join(dir, "lo");
    run_checker("recalc", book, work);
    char pages[32];
    snprintf(pages, sizeof pages, "%d", max_pages);
    run_checker_pages("render", book, work, pages);
    free(work);
    free(expect);
    free(book);
    free(dir);
    free(path);
    nb_diags_free(&d);
    nb_report_free(&r);
}

static void taoyuan_2017_sample(void **state)
{
    (void)state;
    /* the 65-row table on as many pages as it takes (3), the charts on one */
    sample_through_the_pipeline("samples/taoyuan-2017.yaml", gov2014_charts, "xlsx_taoyuan", 4);
}

/* The 2021 appendix: each sheet titled as the report names its table, with
 * 填报单位 and the year; one page per table and one for the chart. */
static void huaian_2024_sample(void **state)
{
    (void)state;
    sample_through_the_pipeline("samples/huaian-2024.yaml", gov2021_charts, "xlsx_huaian", 4);
}

/* A figure keeps its written decimals (1520.30, not 1520.3), and a date
 * reaches the sheets' lead line. */
static void written_decimals_and_date(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("xlsx_decimals");
    char *copy = nb_path_join(dir, "decimals.yaml");
    char *out = NULL;
    int status = nb_test_runf(&out, "sed -e 's/fees: 96171.6 /fees: 1520.30/' "
                              "-e 's/^date: ~ /date: 2025-01-20/' '%s/samples/huaian-2024.yaml' "
                              "> '%s' && grep -q 'fees: 1520.30' '%s' && grep -q '^date: 2025-01-20' '%s'",
                              NB_SOURCE_DIR, copy, copy, copy);
    free(out);
    assert_int_equal(status, 0);
    sample_through_the_pipeline(copy, gov2021_charts, "xlsx_decimals_book", 4);
    free(copy);
    free(dir);
}

/* ---- charts: format.yaml errors ---- */

static void chart_errors_name_the_line(void **state)
{
    (void)state;
    fixture fx;
    fixture_demo(&fx, "xlsx_chart_errors", "210");
    static const struct {
        const char *yaml, *message;
        int line;
    } cases[] = {
        {"- {title: t, type: pi, table: stats, items: [stats.budget]}\n",
         "chart type `pi` is not known; expected pie, doughnut, bar or column", 1},
        {"- {title: t, type: pie, table: stats, items: [stats.nope]}\n",
         "`stats.nope` is not a figure of table `stats`", 1},
        {"- title: t\n  type: pie\n  table: apply\n  items:\n    - stats.budget\n",
         "`stats.budget` is not a figure of table `apply`", 5},
        {"- {title: t, type: pie, table: nope, items: [stats.budget]}\n",
         "names table `nope`, which this format does not define", 1},
        {"- {title: t, type: bar, table: stats, items: []}\n", "needs `items:`", 1},
        {"- {title: t, type: bar, table: stats, colour: red, items: [stats.budget]}\n",
         "unknown key `colour` in a chart; expected title, type, table or items", 1},
        {"- {title: t, type: bar, table: stats, items: [{key: stats.budget, keys: [stats.fees]}]}\n",
         "either `key:` (one figure) or `keys:`", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nb_diags d = {0};
        nb_node *charts = nb_source_load_string("format.yaml", cases[i].yaml,
                                                strlen(cases[i].yaml), &fx.a, &d);
        assert_non_null(charts);
        assert_false(nb_format_parse_charts(fx.f, charts, &fx.a, &d));
        assert_int_equal(d.errors, 1);
        if (!strstr(d.items[0].message, cases[i].message))
            fail_msg("case %zu: %s", i, d.items[0].message);
        assert_int_equal(d.items[0].pos.line, cases[i].line);
        nb_diags_free(&d);
    }
    fixture_free(&fx);
}

static void chart_labels_default_to_the_row(void **state)
{
    (void)state;
    fixture fx;
    fixture_demo(&fx, "xlsx_chart_labels", "210");
    assert_int_equal(fx.f->ncharts, 2);
    const nb_chart *pie = &fx.f->charts[0];
    assert_int_equal(pie->kind, NB_CHART_PIE);
    assert_string_equal(pie->items[0].label, "政府公报");
    assert_string_equal(pie->items[2].label, "3.政务微博公开政府信息数");
    const nb_chart *bar = &fx.f->charts[1];
    assert_int_equal(bar->kind, NB_CHART_BAR);
    assert_int_equal(bar->items[1].nkeys, 2);
    fixture_free(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(demo_workbook_reads_back),
        cmocka_unit_test(same_input_gives_same_bytes),
        cmocka_unit_test(total_that_breaks_its_rule_is_a_plain_number),
        cmocka_unit_test(text_figure_fails_and_keeps_the_previous_file),
        cmocka_unit_test(unusable_sheet_name_is_reported_at_the_table),
        cmocka_unit_test(chart_errors_name_the_line),
        cmocka_unit_test(chart_labels_default_to_the_row),
        cmocka_unit_test(demo_formulas_are_recomputed_by_libreoffice),
        cmocka_unit_test(demo_prints_on_a4),
        cmocka_unit_test(seed_table_through_gov2014),
        cmocka_unit_test(taoyuan_2017_sample),
        cmocka_unit_test(huaian_2024_sample),
        cmocka_unit_test(written_decimals_and_date),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
