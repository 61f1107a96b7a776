/* build.c — see build.h. */
#define _GNU_SOURCE
#include "build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"
#include "outfile.h"

double nb_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Adds the time since `since` to the stage's total. */
static void stage_done(nb_report *r, nb_stage stage, double since)
{
    r->seconds[stage] += nb_now_seconds() - since;
}

/* A draft is written even when figures break the rules: those problems
 * become warnings, listed on its last page (list_problems_in_draft). */
static void demote_rule_errors(nb_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        nb_diag *g = &d->items[i];
        if (g->severity == NB_ERROR && g->kind == NB_KIND_RULE) {
            g->severity = NB_WARNING;
            d->errors--;
            d->rule_errors--;
        }
    }
}

static bool list_problems_in_draft(nb_report *r, const nb_diags *d)
{
    nb_diags listed = {0};
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].severity != NB_ERROR) /* warnings and their notes */
            nb_diag_copy(&listed, &d->items[i]);
    nb_report_append_problems(r, &listed);
    nb_diags_free(&listed);
    return true;
}

char *nb_build_output_path(const nb_build_options *o, const nb_report *r, const char *ext)
{
    nb_buf file = {0};
    nb_buf_printf(&file, "%s%s", r->name, ext);
    char *path = nb_path_join(o->out_dir, nb_buf_str(&file));
    nb_buf_free(&file);
    return path;
}

static void print_timings(const nb_report *r)
{
    double total = 0;
    for (int s = 0; s < NB_STAGE_COUNT; s++)
        total += r->seconds[s];
    fprintf(stderr, "%s: timings (ms):", r->name);
    for (int s = 0; s < NB_STAGE_COUNT; s++)
        fprintf(stderr, " %s %.1f", nb_stage_name((nb_stage)s), r->seconds[s] * 1e3);
    fprintf(stderr, " total %.1f\n", total * 1e3);
}

/* DIR/<name><ext> in the report's arena: messages about an output name it,
 * and they are printed after write_outputs returns. */
static const char *output_path(const nb_build_options *o, nb_report *r, const char *ext)
{
    char *path = nb_build_output_path(o, r, ext);
    const char *kept = nb_arena_strdup(&r->arena, path);
    free(path);
    return kept;
}

/* The web page beside the PDF (and its fragment when asked for), in the
 * build's output group. */
static bool write_html(const nb_build_options *o, nb_report *r, const char *page,
                       nb_outfile_group *group, nb_diags *d)
{
    bool ok = nb_report_write_html(r, page, o->draft, false, group, d);
    if (ok && o->html_fragment) {
        const char *fragment = output_path(o, r, o->draft ? ".draft.fragment.html"
                                                          : ".fragment.html");
        ok = nb_report_write_html(r, fragment, o->draft, true, group, d);
    }
    return ok;
}

/* The PDF, the web page and, unless a draft, the XLSX, one after the
 * other. All are replaced together, or none (one output group, outfile.h):
 * a build that fails leaves the previous outputs as they were. */
static bool write_outputs(const nb_build_options *o, nb_report *r, nb_fontset *fonts,
                          nb_diags *d)
{
    const char *pdf = output_path(o, r, o->draft ? ".draft.pdf" : ".pdf");
    const char *html = output_path(o, r, o->draft ? ".draft.html" : ".html");
    const char *xlsx = o->draft ? NULL : output_path(o, r, ".xlsx");
    nb_outfile_group group = {0};
    double t = nb_now_seconds();
    bool ok = nb_report_write_pdf(r, fonts, pdf, o->draft, &group, d);
    stage_done(r, NB_STAGE_PDF, t);
    if (ok) {
        t = nb_now_seconds();
        ok = write_html(o, r, html, &group, d);
        stage_done(r, NB_STAGE_HTML, t);
    }
    if (ok && xlsx) {
        t = nb_now_seconds();
        ok = nb_report_write_xlsx(r, xlsx, &group, d);
        stage_done(r, NB_STAGE_XLSX, t);
    }
    ok = nb_outfile_group_end(&group, ok, d) && ok;
    /* a batch's progress line may share the terminal */
    const char *clear = o->clear_line && isatty(STDOUT_FILENO) ? "\r\033[K" : "";
    if (ok && !o->watch)
        printf(_("%s%s: %zu pages\n"), clear, pdf, r->layout->npages);
    if (ok && xlsx)
        printf(ngettext("%s: %zu sheet of tables\n", "%s: %zu sheets of tables\n",
                        r->ntables), xlsx, r->ntables);
    if (ok && !o->watch)
        printf(_("%s: web page\n"), html);
    return ok;
}

/* A report named like one of its outputs (r.html, s.pdf, t.draft.pdf) in
 * the output folder was replaced by that output: the clerk's only copy of
 * the year's text, gone. Refused before anything is built. */
static bool outputs_spare_input(const nb_build_options *o, nb_report *r, const char *input,
                                nb_diags *d)
{
    static const char *const official[] = {".pdf", ".html", ".xlsx", ".fragment.html"};
    static const char *const draft[] = {".draft.pdf", ".draft.html", ".draft.fragment.html"};
    const char *const *exts = o->draft ? draft : official;
    size_t n = o->draft ? 3 : 4;
    struct stat in, out;
    if (stat(input, &in) != 0)
        return true; /* loaded, so it was there: nothing to compare */
    for (size_t i = 0; i < n; i++) {
        const char *path = output_path(o, r, exts[i]);
        if (stat(path, &out) == 0 && out.st_dev == in.st_dev && out.st_ino == in.st_ino) {
            nb_error(d, (nb_pos){r->path, 0, 0}, "the output %s would replace this report "
                     "itself; name the report REPORT.yaml, or write the outputs to another "
                     "folder (-o)", path);
            return false;
        }
    }
    return true;
}

/* Check, and decide whether the build may go on: an official PDF is never
 * written from figures that break a rule; a draft lists them instead. */
static bool checked(const nb_build_options *o, nb_report *r, nb_diags *d)
{
    double t = nb_now_seconds();
    nb_check_options co = {.publishing = !o->draft};
    nb_report_check_ex(r, &co, d);
    stage_done(r, NB_STAGE_CHECK, t);
    if (o->draft)
        demote_rule_errors(d);
    if (d->errors == 0)
        return true;
    /* what the errors above mean for the outputs: a note, not a warning */
    if (co.placeholders && d->rule_errors == d->errors) {
        nb_note(d, (nb_pos){r->path, 0, 0},
                ngettext("no PDF or XLSX written: the report still holds %zu placeholder "
                         "【请填写…】 of the skeleton (nianbao preview writes a draft that "
                         "lists it)",
                         "no PDF or XLSX written: the report still holds %zu placeholders "
                         "【请填写…】 of the skeleton (nianbao preview writes a draft that "
                         "lists them)", co.placeholders), co.placeholders);
    } else if (d->rule_errors == d->errors) {
        nb_note(d, (nb_pos){r->path, 0, 0}, "no PDF or XLSX written: %zu figures break the "
                "rules of format %s (nianbao preview writes a draft that lists them)",
                d->rule_errors, r->format->name);
    }
    return false;
}

static bool composed(nb_report *r, nb_diags *d)
{
    double t = nb_now_seconds();
    bool ok = nb_report_render(r, d);
    stage_done(r, NB_STAGE_TEMPLATE, t);
    if (!ok)
        return false;
    t = nb_now_seconds();
    ok = nb_report_parse(r, d);
    stage_done(r, NB_STAGE_MARKUP, t);
    return ok;
}

nb_fontset *nb_build_load_fonts(const char *report, nb_diags *d)
{
    nb_font_dirs fd = nb_font_dirs_for(report);
    const char *dirs[NB_FONT_DIRS_MAX];
    size_t n = nb_font_dirs_searched(&fd, dirs);
    nb_fontset *fonts = nb_fonts_load_dirs(dirs, n, d);
    nb_font_dirs_free(&fd);
    return fonts;
}

/* The fonts were loaded from the same folders as the report's would be (a
 * report with a fonts/ folder beside it has fonts of its own). */
static bool fonts_serve(const nb_fontset *fonts, const char *report)
{
    nb_font_dirs fd = nb_font_dirs_for(report);
    const char *dirs[NB_FONT_DIRS_MAX];
    size_t n = nb_font_dirs_searched(&fd, dirs);
    bool same = n == fonts->ndirs;
    for (size_t i = 0; same && i < n; i++)
        same = strcmp(dirs[i], fonts->dirs[i]) == 0;
    nb_font_dirs_free(&fd);
    return same;
}

/* The fonts of report r: the shared set (loaded on first use) when it fits,
 * else a set of the report's own in *own, for the caller to free. */
static nb_fontset *fonts_for(const nb_report *r, nb_fontset **shared, nb_fontset **own,
                             nb_diags *d)
{
    if (!*shared)
        return *shared = nb_build_load_fonts(r->path, d);
    if (fonts_serve(*shared, r->path))
        return *shared;
    return *own = nb_build_load_fonts(r->path, d);
}

/* The report laid out; returns the fonts it used (NULL on failure). */
static nb_fontset *laid_out(nb_report *r, nb_fontset **shared, nb_fontset **own, nb_diags *d)
{
    double t = nb_now_seconds();
    nb_fontset *fonts = fonts_for(r, shared, own, d);
    bool ok = fonts && nb_report_layout(r, fonts, d);
    stage_done(r, NB_STAGE_LAYOUT, t);
    return ok ? fonts : NULL;
}

/* As much of `text` as fits in out[size], cut between two characters. */
static void copy_whole_characters(char *out, size_t size, const char *text)
{
    size_t n = nb_utf8_fit(text, strlen(text), size - 1);
    memcpy(out, text, n);
    out[n] = '\0';
}

/* All of a report's messages in one write, so that the messages of reports
 * built side by side do not interleave. */
static void print_messages(const nb_build_options *o, const nb_diags *d, char *first_error,
                           size_t size)
{
    nb_buf all = {0};
    if (o->clear_line && d->count)
        nb_buf_puts(&all, "\r\033[K");
    bool colour = nb_cli_colour(stderr);
    for (size_t i = 0; i < d->count; i++) {
        char *line = nb_diag_format_labelled(&d->items[i], colour);
        nb_buf_printf(&all, "%s\n", line);
        free(line);
        if (first_error && !*first_error && d->items[i].severity == NB_ERROR) {
            char *plain = nb_diag_format_labelled(&d->items[i], false);
            copy_whole_characters(first_error, size, plain);
            free(plain);
        }
    }
    if (all.len)
        fwrite(all.data, 1, all.len, stderr);
    fflush(stderr);
    nb_buf_free(&all);
}

int nb_build_report(const nb_build_options *o, const char *input, nb_fontset **fonts)
{
    return nb_build_report_ex(o, input, fonts, NULL, 0, NULL);
}

int nb_build_report_ex(const nb_build_options *o, const char *input, nb_fontset **fonts,
                       char *first_error, size_t size, size_t *problems)
{
    if (first_error && size)
        *first_error = '\0';
    nb_diags d = {0};
    nb_report r;
    double t = nb_now_seconds();
    bool ok = nb_report_load(&r, input, nb_data_dir(), &d);
    stage_done(&r, NB_STAGE_SOURCE, t);
    ok = ok && outputs_spare_input(o, &r, input, &d);
    ok = ok && checked(o, &r, &d);
    ok = ok && composed(&r, &d);
    ok = ok && (!o->draft || list_problems_in_draft(&r, &d));
    nb_fontset *own_fonts = NULL, *report_fonts = NULL;
    ok = ok && (report_fonts = laid_out(&r, fonts, &own_fonts, &d)) != NULL;
    ok = ok && write_outputs(o, &r, report_fonts, &d);
    nb_fonts_free(own_fonts);
    print_messages(o, &d, first_error, size);
    if (problems) {
        *problems = 0;
        for (size_t i = 0; i < d.count; i++)
            *problems += d.items[i].severity != NB_NOTE;
    }
    if (o->timings)
        print_timings(&r);
    int status = ok ? 0 : nb_diags_exit_status(&d);
    if (!ok && status == 0)
        status = 2;
    nb_report_free(&r);
    nb_diags_free(&d);
    return status;
}

