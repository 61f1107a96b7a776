/* testutil.h — helpers shared by the cmocka tests. */
#ifndef NB_TESTUTIL_H
#define NB_TESTUTIL_H

#include <stddef.h>

/* A fresh empty directory under the build tree for one test; caller frees. */
char *nb_test_tmpdir(const char *name);
/* Run a shell command; returns its exit status and captures stdout+stderr
 * (caller frees *output when non-NULL). */
int nb_test_run(const char *command, char **output);
/* nb_test_run with the command built printf-style. */
int nb_test_runf(char **output, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Write `len` bytes to `path`, replacing it; the test fails if it cannot. */
void nb_test_write(const char *path, const void *data, size_t len);
/* The same for a string. */
void nb_test_write_text(const char *path, const char *text);
/* nb_test_write_text to dir/name. */
void nb_test_write_in(const char *dir, const char *name, const char *text);
/* A copy of `text` with its first `from` (which must occur) replaced by
 * `to`; caller frees. */
char *nb_test_replace_first(const char *text, const char *from, const char *to);
/* A format folder templates_root/name holding `format_yaml` as format.yaml. */
void nb_test_make_format(const char *templates_root, const char *name,
                         const char *format_yaml);
/* Path under the source tree; caller frees. */
char *nb_test_source_path(const char *rel);

#endif
