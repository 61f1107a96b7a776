/* build.c — see build.h. */
#define _GNU_SOURCE
#include "build.h"

#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "outfile.h"
#include "xlsx.h"

double nb_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A build touches about 2 MiB of heap, and the first touch of each 4 KiB
 * page is a page fault. In the virtual machine the targets are measured on
 * a fault costs some 40 us (the time of 100 000 instructions; measured with
 * perf, see bench/README.md), so a report spent more time in faults than
 * in computing. Three remedies, all of them hints to glibc and the kernel:
 *   - memory freed by one stage is reused by the next instead of going back
 *     to the system (by default glibc returns the top of its heap when 128
 *     KiB are free there, and serves blocks from 128 KiB up with mappings
 *     of their own, unmapped when freed): the compressors' tables, a
 *     font's tables, the layout's pages were each faulted in afresh;
 *   - the heap grows by 16 MiB of address space at once, and the kernel is
 *     asked to back it with 2 MiB pages (transparent huge pages, granted
 *     when asked where /sys/kernel/mm/transparent_hugepage/enabled says
 *     madvise or always): one fault instead of 512;
 *   - the heap below the first 2 MiB boundary, where huge pages cannot be,
 *     is taken by one block that is never used, so that what follows is
 *     allocated above it. It costs address space, not memory: untouched
 *     pages are not memory.
 * Only touched pages count as memory used; a build now uses a little more
 * (whole huge pages) and faults a few times instead of hundreds. Under
 * another allocator (a sanitizer's, valgrind's) or without huge pages this
 * changes nothing. */
static void *volatile heap_below_boundary; /* the block that fills it; kept to the end */

void nb_build_tune_memory(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
    /* A block from the top of the heap, which grows it by the pad now.
     * glibc marks the end of the block in the memory after it, which then
     * is a small page; 8 MiB puts that page beyond what a report uses. */
    void *volatile block = malloc(8 << 20);
    uintptr_t top = (uintptr_t)block, end = (uintptr_t)sbrk(0);
    const uintptr_t huge = 2 << 20;
    uintptr_t boundary = (top + huge - 1) & ~(huge - 1);
    free(block);
    if (!top || top >= end || boundary >= end || end - top > (64u << 20))
        return; /* not glibc's heap */
    if (madvise((void *)boundary, end - boundary, MADV_HUGEPAGE) != 0)
        return;
    if (boundary - top > 64)
        heap_below_boundary = malloc(boundary - top - 32);
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
        if (d->items[i].severity == NB_WARNING)
            nb_warning(&listed, d->items[i].pos, "%s", d->items[i].message);
    nb_report_append_problems(r, &listed);
    nb_diags_free(&listed);
    return true;
}

char *nb_build_output_path(const nb_build_options *o, const nb_report *r, const char *ext)
{
    char *file = malloc(strlen(r->name) + strlen(ext) + 1);
    strcpy(file, r->name);
    strcat(file, ext);
    char *path = nb_path_join(o->out_dir, file);
    free(file);
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

/* The XLSX made beside the PDF, in a thread of its own: the two outputs
 * need nothing of each other, and a report's PDF (fonts, compression) and
 * XLSX (libxlsxwriter, zip) take the time of two cores where the machine
 * has them. The thread works on a copy of the report whose arena is its
 * own (the report's arena is not shared between threads); everything else
 * it reads, nothing writes while it runs. Its messages are its own too,
 * and join the build's after it. It makes the workbook in memory
 * (outfile.h): the files are written, synced and renamed by this thread,
 * in the same order as without it. */
typedef struct xlsx_job {
    nb_report report;
    char *path;
    nb_diags d;
    nb_outfile_group group;
    bool threaded;
    bool ok;
    double seconds;
} xlsx_job;

/* The thread's own heap on huge pages too. glibc gives a second thread an
 * arena of its own (sharing the main one would make the two threads queue
 * for its lock at every allocation), in a reservation of 64 MiB aligned to
 * 64 MiB (HEAP_MAX_SIZE), grown as used: the kernel is asked for 2 MiB
 * pages there, and the rest of its first 2 MiB, where they cannot be, is
 * taken by one block until the thread ends. Where this guess about glibc
 * is wrong, the advice falls on nothing or on memory it does not change. */
static void *thread_heap_on_huge_pages(void)
{
    const uintptr_t reservation = 64 << 20, huge = 2 << 20;
    void *volatile first = malloc(64);
    uintptr_t at = (uintptr_t)first, heap = at & ~(reservation - 1);
    free(first);
    if (!at || madvise((void *)heap, reservation, MADV_HUGEPAGE) != 0)
        return NULL;
    uintptr_t boundary = (at + huge - 1) & ~(huge - 1);
    return boundary - at > 4096 ? malloc(boundary - at - 4096) : NULL;
}

static void *write_xlsx(void *arg)
{
    xlsx_job *j = arg;
    void *below_boundary = NULL;
    if (j->threaded) {
        below_boundary = thread_heap_on_huge_pages();
        nb_outfile_group_begin_in_memory(&j->group);
    } else {
        nb_outfile_group_begin(&j->group);
    }
    double t = nb_now_seconds();
    j->ok = nb_report_write_xlsx(&j->report, j->path, &j->d);
    j->seconds = nb_now_seconds() - t;
    free(below_boundary);
    return NULL;
}

static void take_messages(nb_diags *d, const nb_diags *from)
{
    for (size_t i = 0; i < from->count; i++) {
        const nb_diag *g = &from->items[i];
        if (g->severity == NB_WARNING)
            nb_warning(d, g->pos, "%s", g->message);
        else if (g->kind == NB_KIND_RULE)
            nb_rule_error(d, g->pos, "%s", g->message);
        else
            nb_error(d, g->pos, "%s", g->message);
    }
}

/* The PDF and, unless a draft, the XLSX. Both are replaced together, or
 * neither: a build that fails leaves the previous outputs as they were. */
static bool write_outputs(const nb_build_options *o, nb_report *r, nb_fontset *fonts,
                          nb_diags *d, nb_arena *keep)
{
    /* made here once, rather than by each output and its thread */
    if (!nb_make_dirs(o->out_dir, d))
        return false;
    char *pdf = nb_build_output_path(o, r, o->draft ? ".draft.pdf" : ".pdf");
    xlsx_job job = {.report = *r, .path = o->draft ? NULL : nb_build_output_path(o, r, ".xlsx")};
    job.report.arena = (nb_arena){0};
    nb_outfile_group group;
    nb_outfile_group_begin(&group);
    pthread_t thread;
    job.threaded = job.path && !o->serial_outputs;
    if (job.threaded && pthread_create(&thread, NULL, write_xlsx, &job) != 0)
        job.threaded = false;
    bool threaded = job.threaded;
    double t = nb_now_seconds();
    bool ok = nb_report_write_pdf(r, fonts, pdf, o->draft, d);
    stage_done(r, NB_STAGE_PDF, t);
    if (threaded)
        pthread_join(thread, NULL);
    else if (job.path && ok)
        write_xlsx(&job); /* opens the job's group in this thread: the PDF has committed */
    if (job.path) {
        take_messages(d, &job.d);
        r->seconds[NB_STAGE_XLSX] += job.seconds;
        ok = ok && job.ok;
    }
    /* every output on disk, then every one in place */
    if (job.path && ok)
        ok = nb_outfile_group_write_out(&job.group, d);
    ok = nb_outfile_group_end(&group, ok, d) && ok;
    if (job.path)
        ok = nb_outfile_group_end(&job.group, ok, d) && ok;
    /* a batch's progress line may share the terminal */
    const char *clear = o->clear_line && isatty(STDOUT_FILENO) ? "\r\033[K" : "";
    if (ok && !o->watch)
        printf("%s%s: %zu pages\n", clear, pdf, r->layout->npages);
    if (ok && job.path)
        printf("%s: %zu sheets of tables\n", job.path, r->ntables);
    nb_diags_free(&job.d);
    *keep = job.report.arena; /* the messages may point into it */
    free(job.path);
    free(pdf);
    return ok;
}

/* Check, and decide whether the build may go on: an official PDF is never
 * written from figures that break a rule; a draft lists them instead. */
static bool checked(const nb_build_options *o, nb_report *r, nb_diags *d)
{
    double t = nb_now_seconds();
    nb_report_check(r, d);
    stage_done(r, NB_STAGE_CHECK, t);
    if (o->draft)
        demote_rule_errors(d);
    if (d->errors == 0)
        return true;
    if (d->rule_errors == d->errors) {
        nb_warning(d, (nb_pos){r->path, 0, 0}, "figures break the rules of format %s: "
                   "no PDF or XLSX written (nianbao preview writes a draft that lists "
                   "them)", r->format->name);
    }
    return false;
}

static bool composed(nb_report *r, nb_diags *d)
{
    double t = nb_now_seconds();
    bool ok = nb_report_compose(r, d);
    stage_done(r, NB_STAGE_TEMPLATES, t);
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

/* All of a report's messages in one write, so that the messages of reports
 * built side by side do not interleave. */
static void print_messages(const nb_build_options *o, const nb_diags *d, char *first_error,
                           size_t size)
{
    nb_buf all = {0};
    if (o->clear_line && d->count)
        nb_buf_puts(&all, "\r\033[K");
    for (size_t i = 0; i < d->count; i++) {
        char *line = nb_diag_format(&d->items[i]);
        nb_buf_printf(&all, "%s\n", line);
        if (first_error && !*first_error && d->items[i].severity == NB_ERROR)
            snprintf(first_error, size, "%s", line);
        free(line);
    }
    if (all.len)
        fwrite(all.data, 1, all.len, stderr);
    fflush(stderr);
    nb_buf_free(&all);
}

int nb_build_report(const nb_build_options *o, const char *input, nb_fontset **fonts)
{
    return nb_build_report_ex(o, input, fonts, NULL, 0);
}

int nb_build_report_ex(const nb_build_options *o, const char *input, nb_fontset **fonts,
                       char *first_error, size_t size)
{
    if (first_error && size)
        *first_error = '\0';
    nb_build_tune_memory();
    if (!o->draft)
        nb_xlsx_preload(); /* opens on another core while the report is read */
    nb_diags d = {0};
    nb_report r;
    double t = nb_now_seconds();
    bool ok = nb_report_load(&r, input, nb_data_dir(), &d);
    stage_done(&r, NB_STAGE_LOAD, t);
    ok = ok && checked(o, &r, &d);
    ok = ok && composed(&r, &d);
    ok = ok && (!o->draft || list_problems_in_draft(&r, &d));
    nb_fontset *own_fonts = NULL, *report_fonts = NULL;
    ok = ok && (report_fonts = laid_out(&r, fonts, &own_fonts, &d)) != NULL;
    nb_arena outputs = {0};
    ok = ok && write_outputs(o, &r, report_fonts, &d, &outputs);
    nb_fonts_free(own_fonts);
    print_messages(o, &d, first_error, size);
    if (o->timings)
        print_timings(&r);
    int status = ok ? 0 : nb_diags_exit_status(&d);
    if (!ok && status == 0)
        status = 2;
    nb_report_free(&r);
    nb_arena_free(&outputs);
    nb_diags_free(&d);
    if (!o->draft)
        nb_xlsx_ready(); /* a build that stopped early must not exit while it loads */
    return status;
}

