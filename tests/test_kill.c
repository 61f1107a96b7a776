/* test_kill.c — a build killed half way (SIGKILL while it writes) leaves the
 * previous PDF and XLSX intact.
 *
 * The sample is built once (the previous good outputs), then a changed
 * report is built over them and killed. To kill at an exact moment rather
 * than after a guessed delay, the build runs under ptrace and is stopped at
 * the system call that matters — the first and a middle write() into the
 * temporary PDF, the rename() that would put the complete PDF in place, the
 * first write into the temporary XLSX — and killed there. Then, without a
 * tracer, it is killed after delays spread over a whole build: at any moment
 * each output must be either the previous file or the complete new one.
 *
 * Then the same with SIGINT, SIGTERM and SIGHUP, which the build catches: no
 * temporary file is left, and the pair in out/ is the previous one or the
 * new one, never one of each. Two builds of different versions run at once,
 * twenty times; and, to make the race certain rather than likely, one build
 * is stopped (ptrace) between the renames of its PDF and its next output
 * while the other runs: the other must wait for the folder lock.
 */
#define _GNU_SOURCE /* ptrace's syscall info, kill */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

#define SAMPLE NB_SOURCE_DIR "/samples/taoyuan-2017.yaml"

typedef struct outputs {
    char *pdf, *xlsx;
    size_t pdf_len, xlsx_len;
} outputs;

static char *dir;         /* the test's folder: report.yaml, out/, fresh/ */
static outputs previous;  /* out/ before any killed build */
static outputs complete;  /* what the changed report builds to, uninterrupted */

/* ---- files ---- */
static char *path_in(const char *sub, const char *name)
{
    char *d = nb_path_join(dir, sub);
    char *p = nb_path_join(d, name);
    free(d);
    return p;
}

static char *read_all(const char *path, size_t *len)
{
    char *data = nb_read_file(path, len);
    if (!data)
        fail_msg("cannot read %s: %s", path, strerror(errno));
    return data;
}

static outputs read_outputs(const char *sub)
{
    outputs o;
    char *pdf = path_in(sub, "report.pdf"), *xlsx = path_in(sub, "report.xlsx");
    o.pdf = read_all(pdf, &o.pdf_len);
    o.xlsx = read_all(xlsx, &o.xlsx_len);
    free(pdf);
    free(xlsx);
    return o;
}

static bool same(const char *a, size_t alen, const char *b, size_t blen)
{
    return alen == blen && memcmp(a, b, alen) == 0;
}

/* Temporary files the killed build left in out/ (".report.pdf.XXXXXX"):
 * a process killed with SIGKILL cannot remove them. Returns the one whose
 * name starts with `prefix` (caller frees) and removes them all, so the
 * next run starts clean. */
static char *take_leftover(const char *prefix, size_t *len)
{
    char *out = nb_path_join(dir, "out");
    DIR *d = opendir(out);
    assert_non_null(d);
    char *found = NULL;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] != '.' || strcmp(e->d_name, ".") == 0 ||
            strcmp(e->d_name, "..") == 0)
            continue;
        char *p = nb_path_join(out, e->d_name);
        if (!found && strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            found = read_all(p, len);
        unlink(p);
        free(p);
    }
    closedir(d);
    free(out);
    return found;
}

/* ---- running nianbao ---- */
static void exec_build_of(const char *report, const char *out)
{
    int null = open("/dev/null", O_WRONLY);
    dup2(null, 1);
    dup2(null, 2);
    if (chdir(dir) != 0)
        _exit(126);
    execl(NB_BINARY, NB_BINARY, "build", report, "-o", out, (char *)NULL);
    _exit(127);
}

static void exec_build(const char *out)
{
    exec_build_of("report.yaml", out);
}

static int run_build(const char *out)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        exec_build(out);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void kill_and_reap(pid_t pid)
{
    kill(pid, SIGKILL);
    int status;
    while (waitpid(pid, &status, 0) == pid && !WIFEXITED(status) && !WIFSIGNALED(status))
        ;
}

/* ---- killing at a system call ---- */
typedef enum { AT_WRITE, AT_RENAME } kill_at;

typedef struct kill_point {
    kill_at at;
    const char *temp; /* name prefix of the temporary file, ".report.pdf." */
    int nth;          /* AT_WRITE: the nth write() into it; AT_RENAME: the nth
                         rename after it was written (0 or 1: the first) */
} kill_point;

typedef struct tracer {
    pid_t pid;
    kill_point point;
    int writes; /* write() calls into the temporary file so far */
    int renames; /* rename() calls since */
} tracer;

/* Is the child's descriptor `fd` open on the temporary file? */
static bool fd_is_temp(const tracer *t, long long fd)
{
    char link[64], target[4096];
    snprintf(link, sizeof link, "/proc/%d/fd/%lld", (int)t->pid, fd);
    ssize_t n = readlink(link, target, sizeof target - 1);
    if (n <= 0)
        return false;
    target[n] = '\0';
    const char *slash = strrchr(target, '/');
    return slash && strncmp(slash + 1, t->point.temp, strlen(t->point.temp)) == 0;
}

static bool is_rename(unsigned long long nr)
{
#ifdef SYS_rename
    if (nr == SYS_rename)
        return true;
#endif
#ifdef SYS_renameat2
    if (nr == SYS_renameat2)
        return true;
#endif
    return nr == SYS_renameat;
}

/* Should the child die before this system call runs? */
static bool is_the_moment(tracer *t, const struct __ptrace_syscall_info *info)
{
    unsigned long long nr = info->entry.nr;
    long long fd = (long long)info->entry.args[0];
    bool write_call = nr == SYS_write || nr == SYS_writev || nr == SYS_pwrite64;
    if (write_call && fd > 2 && fd_is_temp(t, fd))
        t->writes++;
    if (t->point.at == AT_WRITE)
        return write_call && t->writes == t->point.nth && fd > 2 && fd_is_temp(t, fd);
    if (!is_rename(nr) || t->writes == 0)
        return false;
    t->renames++; /* the first: the temporary file's own rename */
    return t->renames >= (t->point.nth > 0 ? t->point.nth : 1);
}

/* Runs the build of `report` under ptrace until the point; returns its
 * pid, stopped there (still traced), or -1 if it ended without reaching it. */
static pid_t build_stopped_at(kill_point point, const char *report)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        raise(SIGSTOP);
        exec_build_of(report, "out");
    }
    tracer t = {pid, point, 0, 0};
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid); /* the SIGSTOP */
    assert_int_equal(ptrace(PTRACE_SETOPTIONS, pid, NULL,
                            (void *)(long)(PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)),
                     0);
    int deliver = 0;
    for (;;) {
        assert_int_equal(ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)deliver), 0);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (WIFEXITED(status) || WIFSIGNALED(status))
            return -1;
        deliver = 0;
        if (WSTOPSIG(status) != (SIGTRAP | 0x80)) {
            /* exec's SIGTRAP is the tracer's; any other signal is the child's */
            deliver = WSTOPSIG(status) == SIGTRAP ? 0 : WSTOPSIG(status);
            continue;
        }
        struct __ptrace_syscall_info info;
        assert_true(ptrace(PTRACE_GET_SYSCALL_INFO, pid, (void *)sizeof info, &info) > 0);
        if (info.op == PTRACE_SYSCALL_INFO_ENTRY && is_the_moment(&t, &info))
            return pid;
    }
}

/* Runs the build under ptrace; true if it was killed at the point, false if
 * it ended without reaching it. */
static bool build_killed_at(kill_point point)
{
    pid_t pid = build_stopped_at(point, "report.yaml");
    if (pid < 0)
        return false;
    kill_and_reap(pid);
    return true;
}

/* ---- set-up: the previous outputs and the complete new ones ---- */
static int set_up(void **state)
{
    (void)state;
    dir = nb_test_tmpdir("kill");
    nb_buf cmd = {0};
    nb_buf_printf(&cmd, "cp '%s' '%s/report.yaml'", SAMPLE, dir);
    if (nb_test_run(nb_buf_str(&cmd), NULL) != 0 || run_build("out") != 0)
        return -1;
    previous = read_outputs("out");
    /* The changed report: one sentence more, so every output differs. */
    nb_buf_clear(&cmd);
    nb_buf_printf(&cmd, "sed -i -E 's/^(  - )(本年度报告是根据)/\\1本年度报告已修订。\\2/' '%s/report.yaml'",
                  dir);
    if (nb_test_run(nb_buf_str(&cmd), NULL) != 0 || run_build("fresh") != 0)
        return -1;
    complete = read_outputs("fresh");
    nb_buf_free(&cmd);
    if (same(previous.pdf, previous.pdf_len, complete.pdf, complete.pdf_len))
        return -1; /* the change must show, or the test proves nothing */
    return 0;
}

static int tear_down(void **state)
{
    (void)state;
    free(previous.pdf);
    free(previous.xlsx);
    free(complete.pdf);
    free(complete.xlsx);
    free(dir);
    return 0;
}

static void assert_previous_intact(const char *what)
{
    outputs now = read_outputs("out");
    if (!same(now.pdf, now.pdf_len, previous.pdf, previous.pdf_len))
        fail_msg("%s: the previous PDF was replaced", what);
    if (!same(now.xlsx, now.xlsx_len, previous.xlsx, previous.xlsx_len))
        fail_msg("%s: the previous XLSX was replaced", what);
    free(now.pdf);
    free(now.xlsx);
}

/* ---- the tests ---- */
static void kill_during_write(const char *temp, int nth, size_t complete_len)
{
    kill_point p = {AT_WRITE, temp, nth};
    if (!build_killed_at(p))
        fail_msg("the build never wrote %d times into a temporary %s* file", nth, temp);
    assert_previous_intact(temp);
    size_t len = 0;
    char *partial = take_leftover(temp, &len);
    assert_non_null(partial);
    /* killed before its nth write: the temporary file is a part only */
    assert_true(len < complete_len);
    free(partial);
}

static void test_kill_at_first_pdf_write(void **state)
{
    (void)state;
    kill_during_write(".report.pdf.", 1, complete.pdf_len);
}

static void test_kill_in_the_middle_of_the_pdf(void **state)
{
    (void)state;
    kill_during_write(".report.pdf.", 10, complete.pdf_len);
}

static void test_kill_before_the_pdf_is_renamed(void **state)
{
    (void)state;
    kill_point p = {AT_RENAME, ".report.pdf.", 0};
    if (!build_killed_at(p))
        fail_msg("the build never renamed its temporary PDF");
    assert_previous_intact("killed before rename");
    size_t len = 0;
    char *written = take_leftover(".report.pdf.", &len);
    assert_non_null(written);
    /* the new PDF was complete, but not yet in place */
    assert_true(same(written, len, complete.pdf, complete.pdf_len));
    free(written);
}

static void test_kill_while_writing_the_xlsx(void **state)
{
    (void)state;
    kill_point p = {AT_WRITE, ".report.xlsx.", 1};
    if (!build_killed_at(p))
        fail_msg("the build never wrote into a temporary XLSX");
    /* the PDF was complete, but outputs are replaced together: both old */
    assert_previous_intact("killed while writing the XLSX");
    size_t len;
    free(take_leftover(".", &len));
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Whatever the moment, each output is the previous file or the complete new
 * one, never a part. */
static void test_kill_at_any_moment(void **state)
{
    (void)state;
    double t0 = now_seconds();
    assert_int_equal(run_build("timed"), 0);
    double whole = now_seconds() - t0;
    enum { KILLS = 12 };
    for (int i = 1; i <= KILLS; i++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0)
            exec_build("out");
        struct timespec pause = {0, (long)(whole * i / (KILLS + 1) * 1e9)};
        while (pause.tv_nsec >= 1000000000L)
            pause.tv_sec++, pause.tv_nsec -= 1000000000L;
        nanosleep(&pause, NULL);
        kill_and_reap(pid);
        outputs now = read_outputs("out");
        if (!same(now.pdf, now.pdf_len, previous.pdf, previous.pdf_len) &&
            !same(now.pdf, now.pdf_len, complete.pdf, complete.pdf_len))
            fail_msg("killed after %.3f s: report.pdf is neither the previous nor the new PDF",
                     whole * i / (KILLS + 1));
        if (!same(now.xlsx, now.xlsx_len, previous.xlsx, previous.xlsx_len) &&
            !same(now.xlsx, now.xlsx_len, complete.xlsx, complete.xlsx_len))
            fail_msg("killed after %.3f s: report.xlsx is neither the previous nor the new one",
                     whole * i / (KILLS + 1));
        free(now.pdf);
        free(now.xlsx);
        size_t len;
        free(take_leftover(".", &len));
    }
}

/* The pair in out/: the previous one or the new one, never one of each. */
static void assert_pair_whole(const char *what)
{
    outputs now = read_outputs("out");
    bool old = same(now.pdf, now.pdf_len, previous.pdf, previous.pdf_len) &&
               same(now.xlsx, now.xlsx_len, previous.xlsx, previous.xlsx_len);
    bool new = same(now.pdf, now.pdf_len, complete.pdf, complete.pdf_len) &&
               same(now.xlsx, now.xlsx_len, complete.xlsx, complete.xlsx_len);
    if (!old && !new)
        fail_msg("%s: out/ holds a PDF and an XLSX of different builds", what);
    free(now.pdf);
    free(now.xlsx);
}

/* SIGINT, SIGTERM and SIGHUP at the first write into the temporary PDF and
 * at moments spread over a build: the build dies of the signal, removes its
 * temporary files, and leaves the previous pair or the new one. */
static void test_signals_remove_temporaries(void **state)
{
    (void)state;
    static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
    double t0 = now_seconds();
    assert_int_equal(run_build("timed"), 0);
    double whole = now_seconds() - t0;
    enum { MOMENTS = 8 };
    for (size_t s = 0; s < sizeof signals / sizeof signals[0]; s++) {
        for (int i = 1; i <= MOMENTS; i++) {
            pid_t pid = fork();
            assert_true(pid >= 0);
            if (pid == 0)
                exec_build("out");
            struct timespec pause = {0, (long)(whole * i / (MOMENTS + 1) * 1e9)};
            while (pause.tv_nsec >= 1000000000L)
                pause.tv_sec++, pause.tv_nsec -= 1000000000L;
            nanosleep(&pause, NULL);
            kill(pid, signals[s]);
            int status;
            assert_int_equal(waitpid(pid, &status, 0), pid);
            assert_true(WIFEXITED(status) || WTERMSIG(status) == signals[s]);
            size_t len = 0;
            char *left = take_leftover(".", &len);
            if (left)
                fail_msg("%s after %.3f s left a temporary file", strsignal(signals[s]),
                         whole * i / (MOMENTS + 1));
            assert_pair_whole(strsignal(signals[s]));
        }
    }
}

/* Two builds of different versions of one report into one folder at the
 * same time, again and again: each puts its pair in place whole (the
 * folder lock), so out/ always holds one build's pair. */
static void test_concurrent_builds_keep_pairs_whole(void **state)
{
    (void)state;
    nb_buf cmd = {0};
    nb_buf_printf(&cmd, "mkdir -p '%s/a' '%s/b' && cp '%s' '%s/a/report.yaml' && "
                        "cp '%s/report.yaml' '%s/b/report.yaml'",
                  dir, dir, SAMPLE, dir, dir, dir);
    assert_int_equal(nb_test_run(nb_buf_str(&cmd), NULL), 0);
    nb_buf_free(&cmd);
    enum { ROUNDS = 20 };
    for (int round = 0; round < ROUNDS; round++) {
        pid_t a = fork();
        assert_true(a >= 0);
        if (a == 0)
            exec_build_of("a/report.yaml", "out");
        pid_t b = fork();
        assert_true(b >= 0);
        if (b == 0)
            exec_build_of("b/report.yaml", "out");
        int sa, sb;
        assert_int_equal(waitpid(a, &sa, 0), a);
        assert_int_equal(waitpid(b, &sb, 0), b);
        assert_true(WIFEXITED(sa) && WEXITSTATUS(sa) == 0);
        assert_true(WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
        char what[32];
        snprintf(what, sizeof what, "round %d", round + 1);
        assert_pair_whole(what);
        size_t len = 0;
        assert_null(take_leftover(".", &len));
    }
}

/* The race made certain: build A is stopped between the renames of its
 * PDF and its next output (the web page, then the XLSX) while build B of
 * another version runs. B must wait for
 * A (the folder lock) instead of putting its pair in place in between,
 * which would leave B's PDF beside A's XLSX. */
static void test_a_build_waits_for_one_putting_its_pair_in_place(void **state)
{
    (void)state;
    kill_point second_rename = {AT_RENAME, ".report.pdf.", 2};
    pid_t a = build_stopped_at(second_rename, "b/report.yaml");
    assert_true(a > 0);
    pid_t b = fork();
    assert_true(b >= 0);
    if (b == 0)
        exec_build_of("a/report.yaml", "out");
    struct timespec tick = {0, 20 * 1000 * 1000};
    int status;
    for (int i = 0; i < 15; i++) { /* 300 ms: B would be done in a tenth of it */
        assert_int_equal(waitpid(b, &status, WNOHANG), 0);
        nanosleep(&tick, NULL);
    }
    assert_int_equal(ptrace(PTRACE_DETACH, a, NULL, NULL), 0);
    assert_int_equal(waitpid(a, &status, 0), a);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(waitpid(b, &status, 0), b);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    outputs now = read_outputs("out"); /* B's pair, put in place after A's */
    assert_true(same(now.pdf, now.pdf_len, previous.pdf, previous.pdf_len));
    assert_true(same(now.xlsx, now.xlsx_len, previous.xlsx, previous.xlsx_len));
    free(now.pdf);
    free(now.xlsx);
    size_t len = 0;
    assert_null(take_leftover(".", &len));
}

/* After all that, a build that is left alone puts the new outputs in place. */
static void test_next_build_completes(void **state)
{
    (void)state;
    assert_int_equal(run_build("out"), 0);
    outputs now = read_outputs("out");
    assert_true(same(now.pdf, now.pdf_len, complete.pdf, complete.pdf_len));
    assert_true(same(now.xlsx, now.xlsx_len, complete.xlsx, complete.xlsx_len));
    free(now.pdf);
    free(now.xlsx);
    size_t len = 0;
    assert_null(take_leftover(".", &len));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kill_at_first_pdf_write),
        cmocka_unit_test(test_kill_in_the_middle_of_the_pdf),
        cmocka_unit_test(test_kill_before_the_pdf_is_renamed),
        cmocka_unit_test(test_kill_while_writing_the_xlsx),
        cmocka_unit_test(test_kill_at_any_moment),
        cmocka_unit_test(test_signals_remove_temporaries),
        cmocka_unit_test(test_concurrent_builds_keep_pairs_whole),
        cmocka_unit_test(test_a_build_waits_for_one_putting_its_pair_in_place),
        cmocka_unit_test(test_next_build_completes),
    };
    return cmocka_run_group_tests(tests, set_up, tear_down);
}
