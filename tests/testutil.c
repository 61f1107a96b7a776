/* testutil.c — see testutil.h. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "util.h"

char *nb_test_tmpdir(const char *name)
{
    char *dir = nb_path_join(NB_TEST_TMP, name);
    nb_buf cmd = {0};
    nb_buf_printf(&cmd, "rm -rf '%s' && mkdir -p '%s'", dir, dir);
    if (system(nb_buf_str(&cmd)) != 0) {
        fprintf(stderr, "cannot create %s\n", dir);
        abort();
    }
    nb_buf_free(&cmd);
    return dir;
}

int nb_test_run(const char *command, char **output)
{
    nb_buf cmd = {0};
    nb_buf_printf(&cmd, "%s 2>&1", command);
    FILE *p = popen(nb_buf_str(&cmd), "r");
    nb_buf_free(&cmd);
    if (!p)
        return -1;
    nb_buf out = {0};
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        nb_buf_append(&out, chunk, n);
    int status = pclose(p);
    if (output)
        *output = nb_buf_detach(&out);
    else
        nb_buf_free(&out);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int nb_test_runf(char **output, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    nb_buf cmd = {0};
    nb_buf_vprintf(&cmd, fmt, ap);
    va_end(ap);
    int status = nb_test_run(nb_buf_str(&cmd), output);
    nb_buf_free(&cmd);
    return status;
}

char *nb_test_source_path(const char *rel) { return nb_path_join(NB_SOURCE_DIR, rel); }

void nb_test_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

void nb_test_write_text(const char *path, const char *text)
{
    nb_test_write(path, text, strlen(text));
}

void nb_test_write_in(const char *dir, const char *name, const char *text)
{
    char *path = nb_path_join(dir, name);
    nb_test_write_text(path, text);
    free(path);
}

char *nb_test_replace_first(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    assert_non_null(at);
    nb_buf b = {0};
    nb_buf_append(&b, text, (size_t)(at - text));
    nb_buf_puts(&b, to);
    nb_buf_puts(&b, at + strlen(from));
    return nb_buf_detach(&b);
}

void nb_test_make_format(const char *templates_root, const char *name,
                         const char *format_yaml)
{
    char *dir = nb_path_join(templates_root, name);
    assert_int_equal(nb_test_runf(NULL, "mkdir -p '%s'", dir), 0);
    nb_test_write_in(dir, "format.yaml", format_yaml);
    free(dir);
}
