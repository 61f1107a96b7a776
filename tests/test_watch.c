/* test_watch.c — `nianbao preview --watch`: a save rebuilds the draft, a
 * save that breaks the report keeps the last good draft, a fixed save
 * rebuilds again. Waits for the program's own lines, never for a time. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

typedef struct watcher {
    pid_t pid;
    int out; /* the program's stdout+stderr */
    nb_buf seen;
} watcher;

static watcher start(const char *report, const char *out_dir)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    watcher w = {.out = fds[0]};
    w.pid = fork();
    if (w.pid == 0) {
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        close(fds[0]);
        execl(NB_BINARY, "nianbao", "preview", report, "-o", out_dir, "--watch", (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    return w;
}

/* Read the program's output until it has printed `count` lines containing
 * `what` in all (60 s at most, so a broken watcher fails the test instead
 * of hanging it). */
static void wait_for(watcher *w, const char *what, int count)
{
    for (int waited = 0; waited < 600; waited++) {
        int seen = 0;
        for (const char *p = nb_buf_str(&w->seen); (p = strstr(p, what)); p++)
            seen++;
        if (seen >= count)
            return;
        struct pollfd p = {w->out, POLLIN, 0};
        if (poll(&p, 1, 100) > 0) {
            char chunk[4096];
            ssize_t n = read(w->out, chunk, sizeof chunk);
            if (n > 0)
                nb_buf_append(&w->seen, chunk, (size_t)n);
        }
    }
    fail_msg("no %d lines with '%s' from the watcher; it printed:\n%s", count, what,
             nb_buf_str(&w->seen));
}

static void stop(watcher *w)
{
    kill(w->pid, SIGTERM);
    waitpid(w->pid, NULL, 0);
    close(w->out);
    nb_buf_free(&w->seen);
}

static void copy_file(const char *from, const char *to)
{
    size_t len;
    char *text = nb_read_file(from, &len);
    assert_non_null(text);
    nb_test_write(to, text, len);
    free(text);
}

/* Replace the report with `text` the way an editor saves: write, rename. */
static void save(const char *path, const char *text)
{
    char *tmp = nb_path_join(NB_TEST_TMP, "watch-save.tmp");
    nb_test_write_text(tmp, text);
    assert_int_equal(rename(tmp, path), 0);
    free(tmp);
}

static void test_rebuilds_on_save_and_keeps_last_good_draft(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("watch");
    char *report = nb_path_join(dir, "unit.yaml");
    char *draft = nb_path_join(dir, "out/unit.draft.pdf");
    char *out_dir = nb_path_join(dir, "out");
    char *sample = nb_test_source_path("samples/taoyuan-2017.yaml");
    copy_file(sample, report);
    size_t len;
    char *good = nb_read_file(report, &len);

    watcher w = start(report, out_dir);
    wait_for(&w, "rebuilt in", 1);
    struct stat first;
    assert_int_equal(stat(draft, &first), 0);

    nb_buf edited = {0};
    nb_buf_printf(&edited, "%s\n# an edit\n", good);
    save(report, nb_buf_str(&edited));
    wait_for(&w, "rebuilt in", 2);

    save(report, "format: [broken\n");
    wait_for(&w, "is the last good draft", 1);
    assert_non_null(strstr(nb_buf_str(&w.seen), "unit.yaml:1:9:"));
    struct stat kept;
    assert_int_equal(stat(draft, &kept), 0);
    assert_true(kept.st_size > 0);

    save(report, good);
    wait_for(&w, "rebuilt in", 3);
    stop(&w);

    nb_buf_free(&edited);
    free(good);
    free(sample);
    free(out_dir);
    free(draft);
    free(report);
    free(dir);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* A draft with problems, then a save that fixes them: the watcher says the
 * report is clean again. SIGTERM then stops it at once, with status 0. */
static void test_says_clean_again_and_stops_at_once(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("watch-clean");
    char *report = nb_path_join(dir, "unit.yaml");
    char *out_dir = nb_path_join(dir, "out");
    char *sample = nb_test_source_path("samples/huaian-2024.yaml");
    copy_file(sample, report);
    size_t len;
    char *good = nb_read_file(report, &len);
    const char *figure = "{natural: 1288,";
    const char *at = strstr(good, figure);
    assert_non_null(at);
    nb_buf broken = {0};
    nb_buf_append(&broken, good, (size_t)(at - good));
    nb_buf_puts(&broken, "{natural: 1289,");
    nb_buf_puts(&broken, at + strlen(figure));
    save(report, nb_buf_str(&broken));

    watcher w = start(report, out_dir);
    wait_for(&w, "2 problems listed on its last page", 1);
    save(report, good);
    wait_for(&w, "no problems left: the report is clean again", 1);

    double t = now_ms();
    kill(w.pid, SIGTERM);
    int status;
    assert_int_equal(waitpid(w.pid, &status, 0), w.pid);
    double took = now_ms() - t;
    printf("stopped %.0f ms after SIGTERM\n", took);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(took < 500); /* 200 ms asked; slack for a loaded sanitizer build */
    close(w.out);
    nb_buf_free(&w.seen);

    nb_buf_free(&broken);
    free(good);
    free(sample);
    free(out_dir);
    free(report);
    free(dir);
}

/* The report is a symbolic link into another folder: a save of the target
 * rebuilds; then the target's folder is removed and made again, and the
 * watcher says so and rebuilds from the new file. */
static void test_follows_a_link_and_a_folder_made_again(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("watch-link");
    char *real_dir = nb_path_join(dir, "real");
    char *real = nb_path_join(real_dir, "report.yaml");
    char *link = nb_path_join(dir, "link.yaml");
    char *out_dir = nb_path_join(dir, "out");
    char *sample = nb_test_source_path("samples/taoyuan-2017.yaml");
    assert_int_equal(mkdir(real_dir, 0777), 0);
    copy_file(sample, real);
    assert_int_equal(symlink("real/report.yaml", link), 0);
    size_t len;
    char *good = nb_read_file(real, &len);

    watcher w = start(link, out_dir);
    wait_for(&w, "rebuilt in", 1);
    nb_buf edited = {0};
    nb_buf_printf(&edited, "%s\n# an edit\n", good);
    save(real, nb_buf_str(&edited));
    wait_for(&w, "rebuilt in", 2);

    assert_int_equal(nb_test_runf(NULL, "rm -rf '%s'", real_dir), 0);
    wait_for(&w, "is gone; waiting for it to come back", 1);
    assert_int_equal(mkdir(real_dir, 0777), 0);
    wait_for(&w, "is back", 1);
    save(real, good);
    wait_for(&w, "rebuilt in", 3);
    stop(&w);

    nb_buf_free(&edited);
    free(good);
    free(sample);
    free(out_dir);
    free(link);
    free(real);
    free(real_dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rebuilds_on_save_and_keeps_last_good_draft),
        cmocka_unit_test(test_says_clean_again_and_stops_at_once),
        cmocka_unit_test(test_follows_a_link_and_a_folder_made_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
