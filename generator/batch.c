/* batch.c — many reports in one run (`nianbao build a.yaml b.yaml … -j N`).
 *
 * Workers are processes forked after the fonts are loaded: every worker
 * starts with the parsed fonts in (copy-on-write) memory, a crash in one
 * report cannot take the others down, and the pipeline needs no locks. The
 * parent hands out report indices through one pipe and reads results from
 * another; each message is smaller than PIPE_BUF, so reads and writes of
 * whole messages are atomic.
 */
#define _POSIX_C_SOURCE 200809L
#include "build.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct result {
    int index;
    int status;
    char first_error[400];
} result;

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

static void worker(const nb_build_options *o, nb_fontset *fonts, int tasks, int results)
{
    int index;
    while (read_whole(tasks, &index, sizeof index)) {
        result r = {.index = index};
        r.status = nb_build_report_ex(o, o->inputs[index], &fonts, r.first_error,
                                      sizeof r.first_error);
        if (write(results, &r, sizeof r) != (ssize_t)sizeof r)
            _exit(3);
    }
    _exit(0);
}

static void progress(int done, int total, double since)
{
    if (!isatty(STDERR_FILENO))
        return;
    fprintf(stderr, "\r%d/%d reports, %.1f s", done, total, nb_now_seconds() - since);
    if (done == total)
        fputc('\n', stderr);
    fflush(stderr);
}

static int default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

static int collect(const nb_build_options *o, int results, double since)
{
    int failed = 0, recorded = 0;
    result *failures = calloc((size_t)o->ninputs, sizeof *failures);
    for (int done = 0; done < o->ninputs; done++) {
        result r;
        if (!read_whole(results, &r, sizeof r)) {
            fprintf(stderr, "nianbao: a worker stopped unexpectedly; %d reports not built\n",
                    o->ninputs - done);
            failed += o->ninputs - done;
            break;
        }
        if (r.status != 0) {
            failures[recorded++] = r;
            failed++;
        }
        progress(done + 1, o->ninputs, since);
    }
    for (int i = 0; i < recorded; i++) {
        fprintf(stderr, "failed: %s: %s\n", o->inputs[failures[i].index],
                failures[i].first_error[0] ? failures[i].first_error
                : failures[i].status == 1 ? "a figure breaks a rule of the format"
                                          : "the report could not be built");
    }
    free(failures);
    if (failed)
        fprintf(stderr, "nianbao: %d of %d reports built, %d failed\n", o->ninputs - failed,
                o->ninputs, failed);
    return failed ? 1 : 0;
}

int nb_build_batch(const nb_build_options *o)
{
    nb_build_tune_memory(); /* before the workers are forked: they inherit it */
    nb_diags d = {0};
    nb_fontset *fonts = nb_build_load_fonts(&d);
    nb_diags_print(&d, stderr);
    nb_diags_free(&d);
    if (!fonts)
        return 2;
    int jobs = o->jobs > 0 ? o->jobs : default_jobs();
    if (jobs > o->ninputs)
        jobs = o->ninputs;
    int tasks[2], results[2];
    if (pipe(tasks) != 0 || pipe(results) != 0) {
        perror("nianbao: pipe");
        nb_fonts_free(fonts);
        return 2;
    }
    fflush(NULL);
    double since = nb_now_seconds();
    for (int w = 0; w < jobs; w++) {
        pid_t pid = fork();
        if (pid == 0) {
            close(tasks[1]);
            close(results[0]);
            worker(o, fonts, tasks[0], results[1]);
        }
        if (pid < 0)
            perror("nianbao: fork");
    }
    close(tasks[0]);
    close(results[1]);
    /* Indices are 4 bytes each; the pipe holds 16,384 of them, and workers
     * drain it while we write, so a large batch does not deadlock. */
    for (int i = 0; i < o->ninputs; i++)
        if (write(tasks[1], &i, sizeof i) != (ssize_t)sizeof i)
            break;
    close(tasks[1]);
    int status = collect(o, results[0], since);
    close(results[0]);
    while (wait(NULL) > 0)
        ;
    nb_fonts_free(fonts);
    return status;
}
