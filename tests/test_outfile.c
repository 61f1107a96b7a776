/* test_outfile.c — outputs replaced together (base/outfile.h): a group is
 * put in place whole or not at all, a rename that fails half way is undone,
 * and a signal removes the temporary files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "outfile.h"
#include "testutil.h"
#include "util.h"

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static void assert_text(const char *path, const char *expected)
{
    size_t len;
    char *text = nb_read_file(path, &len);
    assert_non_null(text);
    assert_string_equal(text, expected);
    free(text);
}

/* Names in `dir` starting with '.' (temporary files, backups). */
static int hidden_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

/* A backend: one member of `g` with `text`. */
static bool make(nb_outfile_group *g, const char *path, const char *text, nb_diags *d)
{
    nb_outfile o;
    if (!nb_outfile_begin(&o, path, g, d))
        return false;
    write_text(o.temp_path, text);
    return nb_outfile_commit(&o, d);
}

static void test_group_replaced_together(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("outfile-together");
    char *a = nb_path_join(dir, "r.pdf"), *b = nb_path_join(dir, "r.xlsx");
    write_text(a, "old a");
    write_text(b, "old b");
    nb_diags d = {0};
    nb_outfile_group g;
    g = (nb_outfile_group){0};
    assert_true(make(&g, a, "new a", &d));
    assert_text(a, "old a"); /* committed into the group: not yet in place */
    assert_true(make(&g, b, "new b", &d));
    assert_true(nb_outfile_group_end(&g, true, &d));
    assert_text(a, "new a");
    assert_text(b, "new b");
    assert_int_equal(hidden_files(dir), 0);

    /* a failed build: the group is ended without commit */
    g = (nb_outfile_group){0};
    assert_true(make(&g, a, "newer a", &d));
    nb_outfile_group_end(&g, false, &d);
    assert_text(a, "new a");
    assert_int_equal(hidden_files(dir), 0);
    assert_int_equal(d.count, 0);
    free(a);
    free(b);
    free(dir);
}

/* The second rename fails (its folder went away after its member was
 * made): the first, already in place, is undone from its backup. */
static void test_failed_rename_is_undone(void **state)
{
    (void)state;
    char *dir = nb_test_tmpdir("outfile-undo");
    char *first_dir = nb_path_join(dir, "one"), *second_dir = nb_path_join(dir, "two");
    char *a = nb_path_join(first_dir, "r.pdf"), *b = nb_path_join(second_dir, "r.xlsx");
    nb_diags d = {0};
    assert_true(nb_make_dirs(first_dir, &d));
    write_text(a, "old a");
    nb_outfile_group g;
    g = (nb_outfile_group){0};
    assert_true(make(&g, a, "new a", &d));
    assert_true(make(&g, b, "new b", &d));
    assert_int_equal(nb_test_runf(NULL, "rm -rf '%s'", second_dir), 0);
    assert_false(nb_outfile_group_end(&g, true, &d));
    assert_text(a, "old a");
    assert_int_equal(hidden_files(first_dir), 0);
    assert_int_equal(d.errors, 1);
    char *m = nb_diag_format(&d.items[0]);
    nb_buf expected = {0};
    nb_buf_printf(&expected, "nianbao: cannot write %s: No such file or directory; the "
                             "previous outputs are kept", b);
    assert_string_equal(m, nb_buf_str(&expected));
    nb_buf_free(&expected);
    free(m);
    nb_diags_free(&d);
    free(a);
    free(b);
    free(first_dir);
    free(second_dir);
    free(dir);
}

/* A shared folder with the sticky bit, where the XLSX is a colleague's file:
 * this user may not replace it, and the PDF beside it is not replaced
 * either. Needs root to make the two users; skipped otherwise. */
static void test_colleagues_file_in_a_sticky_folder(void **state)
{
    (void)state;
    if (geteuid() != 0) {
        skip();
        return;
    }
    char *dir = nb_test_tmpdir("outfile-sticky");
    char *shared = nb_path_join(dir, "shared");
    char *a = nb_path_join(shared, "r.pdf"), *b = nb_path_join(shared, "r.xlsx");
    assert_int_equal(mkdir(shared, 0777), 0);
    assert_int_equal(chmod(shared, 01777), 0);
    assert_int_equal(chmod(dir, 0755), 0);
    write_text(a, "my old a");
    write_text(b, "colleague's b");
    assert_int_equal(chown(a, 65533, 65533), 0);
    assert_int_equal(chown(b, 65534, 65534), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (setgid(65533) != 0 || setuid(65533) != 0)
            _exit(3);
        nb_diags d = {0};
        nb_outfile_group g = {0};
        bool made = make(&g, a, "new a", &d) && make(&g, b, "new b", &d);
        bool ended = nb_outfile_group_end(&g, made, &d);
        char *m = d.count ? nb_diag_format(&d.items[0]) : nb_xstrdup("");
        _exit(!made ? 4 : ended ? 5 : strstr(m, "cannot write") ? 0 : 6);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_text(a, "my old a");
    assert_text(b, "colleague's b");
    assert_int_equal(hidden_files(shared), 0);
    free(a);
    free(b);
    free(shared);
    free(dir);
}

/* SIGINT, SIGTERM, SIGHUP while members are being made: the temporary
 * files go, and the process dies of the signal as before. */
static void test_signal_removes_temporaries(void **state)
{
    (void)state;
    static const int signals[] = {SIGINT, SIGTERM, SIGHUP};
    char *dir = nb_test_tmpdir("outfile-signal");
    char *a = nb_path_join(dir, "r.pdf"), *b = nb_path_join(dir, "r.xlsx");
    for (size_t i = 0; i < sizeof signals / sizeof signals[0]; i++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            nb_outfile_clean_up_on_signals();
            nb_diags d = {0};
            nb_outfile_group g;
            g = (nb_outfile_group){0};
            nb_outfile o;
            if (!make(&g, a, "pdf", &d) || !nb_outfile_begin(&o, b, &g, &d))
                _exit(3);
            raise(signals[i]);
            _exit(4);
        }
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), signals[i]);
        assert_int_equal(hidden_files(dir), 0);
    }
    free(a);
    free(b);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_group_replaced_together),
        cmocka_unit_test(test_failed_rename_is_undone),
        cmocka_unit_test(test_colleagues_file_in_a_sticky_folder),
        cmocka_unit_test(test_signal_removes_temporaries),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
