/* batch.c — many reports in one run (`nianbao build a.yaml b.yaml … -j N`).
 *
 * Workers are processes forked after the fonts are loaded: every worker
 * starts with the parsed fonts in (copy-on-write) memory, a crash in one
 * report cannot take the others down, and the pipeline needs no locks. The
 * parent hands out report indices through one pipe and reads results from
 * another; each message is smaller than PIPE_BUF, so reads and writes of
 * whole messages are atomic. A worker says when it starts a report and when
 * it has finished it, so that a worker that dies names the report it died
 * on.
 */
#define _POSIX_C_SOURCE 200809L
#include "build.h"
#include "cli.h"
#include "i18n.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

enum { STARTED = -1 }; /* a result's status while the report is being built */

typedef struct result {
    int index;
    int status; /* STARTED, or the report's exit status */
    pid_t worker;
    char first_error[400];
} result;

/* What the parent knows of each report. */
typedef struct unit {
    int status;   /* STARTED, an exit status, or NOT_STARTED */
    pid_t worker; /* the worker building it */
    char first_error[400];
} unit;

enum { NOT_STARTED = -2 };

static bool read_whole(int fd, void *p, size_t n)
{
    for (;;) {
        ssize_t got = read(fd, p, n);
        if (got == (ssize_t)n)
            return true;
        if (got < 0 && errno == EINTR)
            continue;
        return false;
    }
}

static void send(int fd, const result *r)
{
    if (write(fd, r, sizeof *r) != (ssize_t)sizeof *r)
        _exit(3);
}

static void worker(const nb_build_options *batch, nb_fontset *fonts, int tasks, int results)
{
    nb_build_options options = *batch;
    const nb_build_options *o = &options;
    options.clear_line = isatty(STDERR_FILENO);
    int index;
    while (read_whole(tasks, &index, sizeof index)) {
        result r = {.index = index, .status = STARTED, .worker = getpid()};
        send(results, &r);
        r.status = nb_build_report_ex(o, o->inputs[index], &fonts, r.first_error,
                                      sizeof r.first_error, NULL);
        /* _exit below does not flush stdio: the report's lines go now */
        if (fflush(stdout) != 0 && r.status == 0) {
            r.status = 2;
            snprintf(r.first_error, sizeof r.first_error,
                     "cannot write to the standard output: %s", strerror(errno));
        }
        send(results, &r);
    }
    _exit(0);
}

static void progress(int done, int total, double since)
{
    if (!isatty(STDERR_FILENO))
        return;
    fputs("\r\033[K", stderr); /* back to the start of the line, and clear it */
    fprintf(stderr, _("%d/%d reports, %.1f s"), done, total, nb_now_seconds() - since);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* Why a worker that stopped without finishing its report stopped. */
static void describe_death(pid_t pid, const pid_t *dead, const int *how, int ndead, char *out,
                           size_t size)
{
    for (int i = 0; i < ndead; i++) {
        if (dead[i] != pid)
            continue;
        if (WIFSIGNALED(how[i]))
            snprintf(out, size, _("the build stopped: signal %d (%s)"), WTERMSIG(how[i]),
                     strsignal(WTERMSIG(how[i])));
        else
            snprintf(out, size, _("the build stopped with status %d"), WEXITSTATUS(how[i]));
        return;
    }
    snprintf(out, size, "%s", _("the build stopped unexpectedly"));
}

/* Reap every worker, and give each report that was started but never
 * finished the reason its worker died. */
static void reap(unit *units, int n, int nworkers)
{
    pid_t *dead = nb_xcalloc((size_t)nworkers + 1, sizeof *dead);
    int *how = nb_xcalloc((size_t)nworkers + 1, sizeof *how);
    int ndead = 0, status;
    pid_t pid;
    while ((pid = wait(&status)) > 0) {
        if (ndead < nworkers) {
            dead[ndead] = pid;
            how[ndead++] = status;
        }
    }
    for (int i = 0; i < n; i++) {
        if (units[i].status == STARTED) {
            describe_death(units[i].worker, dead, how, ndead, units[i].first_error,
                           sizeof units[i].first_error);
            units[i].status = 2;
        }
    }
    free(dead);
    free(how);
}

static int summarize(const nb_build_options *o, const unit *units)
{
    int failed = 0, not_built = 0;
    for (int i = 0; i < o->ninputs; i++) {
        const unit *u = &units[i];
        if (u->status == 0)
            continue;
        failed++;
        if (u->status == NOT_STARTED) {
            not_built++;
            continue;
        }
        fprintf(stderr, _("failed: %s: %s\n"), o->inputs[i],
                u->first_error[0] ? u->first_error
                : u->status == 1  ? _("a figure breaks a rule of the format")
                                  : _("the report could not be built"));
    }
    if (not_built)
        fprintf(stderr, _("nianbao: every worker stopped; %d reports were not built\n"),
                not_built);
    if (failed)
        fprintf(stderr, _("nianbao: %d of %d reports built, %d failed\n"),
                o->ninputs - failed, o->ninputs, failed);
    return failed ? 1 : 0;
}

/* Read results until every report is done or every worker is gone. */
static void collect(const nb_build_options *o, int results, unit *units, double since)
{
    int done = 0;
    result r;
    while (done < o->ninputs && read_whole(results, &r, sizeof r)) {
        if (r.index < 0 || r.index >= o->ninputs)
            continue;
        unit *u = &units[r.index];
        u->status = r.status;
        u->worker = r.worker;
        if (r.status == STARTED)
            continue;
        memcpy(u->first_error, r.first_error, sizeof u->first_error);
        u->first_error[sizeof u->first_error - 1] = '\0';
        progress(++done, o->ninputs, since);
    }
}

static int start_workers(const nb_build_options *o, nb_fontset *fonts, int jobs, int tasks[2],
                         int results[2])
{
    int started = 0;
    for (int w = 0; w < jobs; w++) {
        pid_t pid = fork();
        if (pid == 0) {
            close(tasks[1]);
            close(results[0]);
            worker(o, fonts, tasks[0], results[1]);
        }
        if (pid < 0)
            perror("nianbao: fork");
        else
            started++;
    }
    return started;
}

/* Without workers (fork failed), the reports are built here, one by one. */
static int build_here(const nb_build_options *o, nb_fontset *fonts, unit *units)
{
    for (int i = 0; i < o->ninputs; i++)
        units[i].status = nb_build_report_ex(o, o->inputs[i], &fonts, units[i].first_error,
                                             sizeof units[i].first_error, NULL);
    return summarize(o, units);
}

/* Two reports of one name would write the same outputs: one would be lost.
 * Said before anything is written. */
static bool outputs_distinct(const nb_build_options *o)
{
    char **names = nb_xcalloc((size_t)o->ninputs + 1, sizeof *names);
    bool ok = true;
    for (int i = 0; i < o->ninputs && ok; i++) {
        names[i] = nb_basename_noext(o->inputs[i]);
        for (int k = 0; k < i && ok; k++) {
            if (strcmp(names[k], names[i]) != 0)
                continue;
            char *out = nb_path_join(o->out_dir, names[i]);
            nb_diags d = {0}; /* printed as every message is: labelled, translated */
            if (o->draft)
                nb_error(&d, (nb_pos){0}, "%s and %s would both write %s.draft.pdf and "
                         "%s.draft.html; rename one, or build them into different folders "
                         "(-o)", o->inputs[k], o->inputs[i], out, out);
            else
                nb_error(&d, (nb_pos){0}, "%s and %s would both write %s.pdf, %s.html and "
                         "%s.xlsx; rename one, or build them into different folders (-o)",
                         o->inputs[k], o->inputs[i], out, out, out);
            nb_cli_print_diags(&d);
            nb_diags_free(&d);
            free(out);
            ok = false;
        }
    }
    for (int i = 0; i < o->ninputs; i++)
        free(names[i]);
    free(names);
    return ok;
}

int nb_build_batch(const nb_build_options *o)
{
    if (!outputs_distinct(o))
        return 2;
    nb_diags d = {0};
    nb_fontset *fonts = nb_build_load_fonts(o->inputs[0], &d);
    nb_cli_print_diags(&d);
    nb_diags_free(&d);
    if (!fonts)
        return 2;
    int jobs = o->jobs > 0 ? o->jobs : default_jobs();
    if (jobs > o->ninputs)
        jobs = o->ninputs;
    unit *units = nb_xcalloc((size_t)o->ninputs, sizeof *units);
    for (int i = 0; i < o->ninputs; i++)
        units[i].status = NOT_STARTED;
    int tasks[2], results[2];
    if (pipe(tasks) != 0 || pipe(results) != 0) {
        perror("nianbao: pipe");
        nb_fonts_free(fonts);
        free(units);
        return 2;
    }
    /* a worker that dies must not take the parent with it while it hands
     * out reports: writing to a pipe nobody reads then fails with EPIPE */
    struct sigaction ignore = {.sa_handler = SIG_IGN}, saved;
    sigaction(SIGPIPE, &ignore, &saved);
    fflush(NULL);
    double since = nb_now_seconds();
    nb_build_options workers = *o;
    workers.jobs = jobs;
    int nworkers = start_workers(&workers, fonts, jobs, tasks, results);
    close(tasks[0]);
    close(results[1]);
    int status;
    if (nworkers == 0) {
        close(tasks[1]);
        close(results[0]);
        status = build_here(o, fonts, units);
    } else {
        /* Indices are 4 bytes each; the pipe holds 16,384 of them, and
         * workers drain it while we write, so a large batch does not
         * deadlock. */
        for (int i = 0; i < o->ninputs; i++)
            if (write(tasks[1], &i, sizeof i) != (ssize_t)sizeof i)
                break;
        close(tasks[1]);
        collect(o, results[0], units, since);
        close(results[0]);
        reap(units, o->ninputs, nworkers);
        status = summarize(o, units);
    }
    sigaction(SIGPIPE, &saved, NULL);
    nb_fonts_free(fonts);
    free(units);
    return status;
}
