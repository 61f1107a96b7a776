/* test_bad_input.c — runs every case of tests/bad-input/ (one cmocka test
 * each) through the nianbao program and holds it to the exact message and
 * exit status the case states. The case format is documented in
 * tests/bad-input/README.md.
 *
 * Beyond the message, every case checks that nothing was lost: the output
 * folder out/ holds a previous good report.pdf, .html and .xlsx before the
 * run, and must hold exactly them, unchanged, after it — with no temporary
 * file left anywhere in the case's folder.
 */
#define _DEFAULT_SOURCE /* wait4, for the memory a case used */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"
#include "util.h"

#define CASES NB_SOURCE_DIR "/tests/bad-input"
#define SAMPLE NB_SOURCE_DIR "/samples/taoyuan-2017.yaml"
#define PREVIOUS "previous good output\n"

/* Sanitizers slow the program down and reserve memory of their own: the
 * limits a case states hold for the plain build and are stretched here. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SANITIZED 1
#endif
#endif
#ifdef SANITIZED
enum { TIME_FACTOR = 10, EXTRA_MB = 192 };
#else
enum { TIME_FACTOR = 1, EXTRA_MB = 0 };
#endif

/* A case that hangs is stopped after this, whatever it states. */
enum { HANG_SECONDS = 120 };

typedef struct bad_case {
    char *name;
    char *dir;
    /* from the `case` file */
    char *run;      /* arguments to nianbao */
    int status;
    double max_seconds; /* 0: no limit */
    long max_mb;        /* 0: no limit */
    char **env;
    size_t nenv, cap_env;
    bool ignore_warnings; /* `ignore: warnings`: lines "…: warning: …" are not compared */
    char *stdout_line;    /* `stdout:`; NULL: nothing; "*": anything */
    long file_size_kb;    /* `file-size:` limit of a file nianbao writes (RLIMIT_FSIZE,
                             SIGXFSZ ignored, as `ulimit -f` in a shell that traps it) */
    char *stdout_to;      /* `stdout-to:` a file as standard output (/dev/full) */
    char *expect;         /* standard error, exactly */
} bad_case;

typedef struct ran {
    int status; /* exit status, or -signal */
    char *out, *err;
    double seconds;
    long max_rss_kb;
} ran;

/* ---- reading a case ---- */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

static void parse_within(bad_case *c, const char *v)
{
    char *copy = nb_xstrdup(v), *save = NULL;
    for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        char *end;
        double x = strtod(w, &end);
        if (strcmp(end, "s") == 0)
            c->max_seconds = x;
        else if (strcmp(end, "MB") == 0)
            c->max_mb = (long)x;
        else
            fail_msg("%s/case: 'within: %s' — write e.g. 'within: 1s 64MB'", c->name, v);
    }
    free(copy);
}

static void parse_field(bad_case *c, const char *key, const char *v)
{
    if (strcmp(key, "run") == 0) {
        free(c->run);
        c->run = nb_xstrdup(v);
    } else if (strcmp(key, "status") == 0) {
        c->status = atoi(v);
    } else if (strcmp(key, "within") == 0) {
        parse_within(c, v);
    } else if (strcmp(key, "env") == 0) {
        NB_GROW(c->env, c->nenv, c->cap_env);
        c->env[c->nenv++] = nb_xstrdup(v);
    } else if (strcmp(key, "ignore") == 0 && strcmp(v, "warnings") == 0) {
        c->ignore_warnings = true;
    } else if (strcmp(key, "file-size") == 0) {
        c->file_size_kb = atol(v);
    } else if (strcmp(key, "stdout-to") == 0) {
        free(c->stdout_to);
        c->stdout_to = nb_xstrdup(v);
    } else if (strcmp(key, "stdout") == 0) {
        free(c->stdout_line);
        c->stdout_line = nb_xstrdup(v);
    } else {
        fail_msg("%s/case: unknown field '%s: %s' (run, status, within, env, ignore, "
                 "stdout, file-size, stdout-to, expect)", c->name, key, v);
    }
}

static void read_case(bad_case *c)
{
    char *path = nb_path_join(c->dir, "case");
    size_t len = 0;
    char *text = nb_read_file(path, &len);
    if (!text)
        fail_msg("%s: cannot read: %s", path, strerror(errno));
    free(path);
    c->run = nb_xstrdup("check report.yaml");
    c->status = -1;
    char *line = text;
    while (*line) {
        char *nl = strchr(line, '\n');
        char *next = nl ? nl + 1 : line + strlen(line);
        if (nl)
            *nl = '\0';
        if (strcmp(trim(line), "expect:") == 0) {
            c->expect = nb_xstrdup(next);
            break;
        }
        char *colon = strchr(line, ':');
        if (line[0] != '#' && *trim(line) && colon) {
            *colon = '\0';
            parse_field(c, trim(line), trim(colon + 1));
        } else if (line[0] != '#' && *trim(line)) {
            fail_msg("%s/case: '%s' is not 'key: value'", c->name, line);
        }
        line = next;
    }
    free(text);
    if (c->status < 0 || !c->expect)
        fail_msg("%s/case: needs 'status:' and 'expect:'", c->name);
}

/* ---- placeholders ----
 * $WORK, $SOURCE, $SAMPLE, and every NAME=value line make.sh wrote to
 * $WORK/vars (a line number in a generated input, say) as $NAME. */
typedef struct vars {
    char **names, **values;
    size_t count, cap_names, cap_values;
} vars;

static void var_set(vars *v, const char *name, const char *value)
{
    NB_GROW(v->names, v->count, v->cap_names);
    NB_GROW(v->values, v->count, v->cap_values);
    nb_buf n = {0};
    nb_buf_printf(&n, "$%s", name);
    v->names[v->count] = nb_buf_detach(&n);
    v->values[v->count++] = nb_xstrdup(value);
}

static vars read_vars(const char *work)
{
    vars v = {0};
    var_set(&v, "WORK", work);
    var_set(&v, "SOURCE", NB_SOURCE_DIR);
    var_set(&v, "SAMPLE", SAMPLE);
    char *path = nb_path_join(work, "vars");
    char *text = nb_read_file(path, NULL);
    free(path);
    char *save = NULL;
    for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line;
         line = strtok_r(NULL, "\n", &save)) {
        char *eq = strchr(line, '=');
        if (eq) {
            *eq = '\0';
            var_set(&v, line, eq + 1);
        }
    }
    free(text);
    return v;
}

static void free_vars(vars *v)
{
    for (size_t i = 0; i < v->count; i++) {
        free(v->names[i]);
        free(v->values[i]);
    }
    free(v->names);
    free(v->values);
}

/* The longest name matches first ($LINE2 is not $LINE followed by 2). */
static char *expand(const char *s, const vars *v)
{
    nb_buf b = {0};
    while (*s) {
        size_t best = v->count, best_len = 0;
        for (size_t i = 0; *s == '$' && i < v->count; i++) {
            size_t n = strlen(v->names[i]);
            if (n > best_len && strncmp(s, v->names[i], n) == 0)
                best = i, best_len = n;
        }
        if (best < v->count) {
            nb_buf_puts(&b, v->values[best]);
            s += best_len;
        } else {
            nb_buf_putc(&b, *s++);
        }
    }
    return nb_buf_detach(&b);
}

/* ---- preparing the folder ---- */
static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* A case's own shell script (make.sh, after.sh), run in the work folder. */
static void run_script(const bad_case *c, const char *work, const char *script)
{
    char *path = nb_path_join(c->dir, script);
    if (!exists(path)) {
        free(path);
        return;
    }
    nb_buf cmd = {0};
    nb_buf_printf(&cmd, "cd '%s' && WORK='%s' INPUT='%s/report.yaml' SAMPLE='%s' "
                        "SOURCE='%s' sh -eu '%s'",
                  work, work, work, SAMPLE, NB_SOURCE_DIR, path);
    char *output = NULL;
    int status = nb_test_run(nb_buf_str(&cmd), &output);
    if (status != 0)
        fail_msg("%s/%s failed (%d):\n%s", c->name, script, status, output);
    free(output);
    nb_buf_free(&cmd);
    free(path);
}

static void prepare(const bad_case *c, const char *work)
{
    char *input = nb_path_join(c->dir, "input.yaml");
    size_t len = 0;
    char *data = nb_read_file(input, &len);
    if (data) {
        char *dest = nb_path_join(work, "report.yaml");
        nb_test_write(dest, data, len);
        free(dest);
        free(data);
    }
    free(input);
    run_script(c, work, "make.sh");
    char *out = nb_path_join(work, "out");
    assert_int_equal(mkdir(out, 0777), 0);
    static const char *const previous[] = {"report.pdf", "report.html", "report.xlsx"};
    for (int i = 0; i < 3; i++) {
        char *p = nb_path_join(out, previous[i]);
        nb_test_write(p, PREVIOUS, strlen(PREVIOUS));
        free(p);
    }
    free(out);
}

/* ---- running ---- */
static char **split_args(char *line)
{
    char **argv = nb_xcalloc(strlen(line) + 2, sizeof *argv);
    argv[0] = (char *)NB_BINARY;
    size_t n = 1;
    char *save = NULL;
    for (char *w = strtok_r(line, " ", &save); w; w = strtok_r(NULL, " ", &save))
        argv[n++] = w;
    return argv;
}

static void exec_child(const bad_case *c, const char *work, const vars *v, char **argv,
                       const int out[2], const int err[2])
{
    int to = c->stdout_to ? open(c->stdout_to, O_WRONLY) : out[1];
    if (to < 0)
        _exit(125);
    dup2(to, 1);
    dup2(err[1], 2);
    if (c->file_size_kb) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim = {(rlim_t)c->file_size_kb << 10, (rlim_t)c->file_size_kb << 10};
        setrlimit(RLIMIT_FSIZE, &lim);
    }
    close(out[0]);
    close(err[0]);
    if (chdir(work) != 0)
        _exit(126);
    for (size_t i = 0; i < c->nenv; i++)
        putenv(expand(c->env[i], v)); /* the child's environment keeps it */
    execv(NB_BINARY, argv);
    _exit(127);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read the child's standard output and error until it closes both, killing
 * it if it hangs. */
static void collect(int out_fd, int err_fd, pid_t pid, double start, ran *r)
{
    nb_buf bufs[2] = {{0}, {0}};
    struct pollfd p[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
    int open_fds = 2;
    while (open_fds > 0) {
        int left = (int)((start + HANG_SECONDS - now()) * 1000);
        if (left <= 0 || poll(p, 2, left) == 0) {
            kill(pid, SIGKILL);
            nb_buf_puts(&bufs[1], "[killed: still running after the hang limit]\n");
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (p[i].fd < 0 || !p[i].revents)
                continue;
            char chunk[4096];
            ssize_t n = read(p[i].fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                p[i].fd = -1;
                open_fds--;
            } else {
                nb_buf_append(&bufs[i], chunk, (size_t)n);
            }
        }
    }
    r->out = nb_buf_detach(&bufs[0]);
    r->err = nb_buf_detach(&bufs[1]);
}

static ran run_case(const bad_case *c, const char *work, const vars *v)
{
    char *line = expand(c->run, v);
    char **argv = split_args(line);
    int out[2], err[2];
    assert_int_equal(pipe(out), 0);
    assert_int_equal(pipe(err), 0);
    double start = now();
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        exec_child(c, work, v, argv, out, err);
    close(out[1]);
    close(err[1]);
    ran r = {0};
    collect(out[0], err[0], pid, start, &r);
    close(out[0]);
    close(err[0]);
    int status;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
        ;
    r.seconds = now() - start;
    r.max_rss_kb = ru.ru_maxrss;
    r.status = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    free(argv);
    free(line);
    return r;
}

/* ---- checking ---- */
static char *without_warnings(const char *text)
{
    nb_buf b = {0};
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        size_t n = nl ? (size_t)(nl - line) + 1 : strlen(line);
        char *one = nb_xstrndup(line, n);
        if (!strstr(one, ": warning: "))
            nb_buf_puts(&b, one);
        free(one);
        line += n;
    }
    return nb_buf_detach(&b);
}

static void check_output(const bad_case *c, const ran *r, const vars *v)
{
    char *expect = expand(c->expect, v);
    char *err = c->ignore_warnings ? without_warnings(r->err) : nb_xstrdup(r->err);
    if (r->status != c->status || strcmp(err, expect) != 0)
        fail_msg("%s: `nianbao %s`\n--- expected (exit %d):\n%s--- got (exit %d):\n%s---",
                 c->name, c->run, c->status, expect, r->status, r->err);
    char *want = c->stdout_line ? expand(c->stdout_line, v) : nb_xstrdup("");
    size_t n = strlen(r->out);
    bool one_line = n && r->out[n - 1] == '\n' && strncmp(r->out, want, n - 1) == 0 &&
                    strlen(want) == n - 1;
    if (strcmp(want, "*") != 0 && !(want[0] ? one_line : n == 0))
        fail_msg("%s: standard output should be '%s', not:\n%s", c->name, want, r->out);
    free(want);
    free(err);
    free(expect);
}

static void check_limits(const bad_case *c, const ran *r)
{
    double max_s = c->max_seconds * TIME_FACTOR;
    long max_kb = (c->max_mb + EXTRA_MB) * 1024;
    if (c->max_seconds > 0 && r->seconds > max_s)
        fail_msg("%s: took %.2f s; the limit is %.2f s", c->name, r->seconds, max_s);
    if (c->max_mb > 0 && r->max_rss_kb > max_kb)
        fail_msg("%s: used %ld KB of memory; the limit is %ld KB", c->name, r->max_rss_kb,
                 max_kb);
}

/* out/ still holds the previous outputs, unchanged, and nothing else. */
static void check_out_untouched(const bad_case *c, const char *work)
{
    char *out = nb_path_join(work, "out");
    DIR *d = opendir(out);
    assert_non_null(d);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        if (strcmp(e->d_name, "report.pdf") != 0 && strcmp(e->d_name, "report.html") != 0 &&
            strcmp(e->d_name, "report.xlsx") != 0)
            fail_msg("%s: out/%s appeared beside the previous outputs", c->name, e->d_name);
        char *p = nb_path_join(out, e->d_name);
        size_t len = 0;
        char *data = nb_read_file(p, &len);
        if (!data || len != strlen(PREVIOUS) || memcmp(data, PREVIOUS, len) != 0)
            fail_msg("%s: the previous out/%s was replaced", c->name, e->d_name);
        free(data);
        free(p);
    }
    closedir(d);
    free(out);
}

/* No temporary file (".<name>.XXXXXX") anywhere under the case's folder. */
static void check_no_temporaries(const bad_case *c, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *p = nb_path_join(dir, e->d_name);
        if (e->d_name[0] == '.')
            fail_msg("%s: a temporary file was left behind: %s", c->name, p);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            check_no_temporaries(c, p);
        free(p);
    }
    closedir(d);
}

static void free_case(bad_case *c)
{
    free(c->run);
    free(c->stdout_line);
    free(c->stdout_to);
    free(c->expect);
    for (size_t i = 0; i < c->nenv; i++)
        free(c->env[i]);
    free(c->env);
}

static void test_case(void **state)
{
    bad_case *c = *state;
    read_case(c);
    nb_buf tmp = {0};
    nb_buf_printf(&tmp, "bad-input/%s", c->name);
    char *work = nb_test_tmpdir(nb_buf_str(&tmp));
    nb_buf_free(&tmp);
    prepare(c, work);
    vars v = read_vars(work);
    ran r = run_case(c, work, &v);
    check_output(c, &r, &v);
    check_limits(c, &r);
    check_out_untouched(c, work);
    check_no_temporaries(c, work);
    run_script(c, work, "after.sh");
    free(r.out);
    free(r.err);
    free_vars(&v);
    free(work);
    free_case(c);
}

/* ---- the cases ---- */
static int by_name(const void *a, const void *b)
{
    return strcmp(((const bad_case *)a)->name, ((const bad_case *)b)->name);
}

static bad_case *find_cases(size_t *count)
{
    DIR *d = opendir(CASES);
    if (!d) {
        fprintf(stderr, "cannot open %s\n", CASES);
        exit(1);
    }
    bad_case *cases = NULL;
    size_t n = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char *dir = nb_path_join(CASES, e->d_name);
        char *spec = nb_path_join(dir, "case");
        if (e->d_name[0] != '.' && exists(spec)) {
            NB_GROW(cases, n, cap);
            cases[n++] = (bad_case){.name = nb_xstrdup(e->d_name), .dir = dir};
        } else {
            free(dir);
        }
        free(spec);
    }
    closedir(d);
    if (n)
        qsort(cases, n, sizeof *cases, by_name);
    *count = n;
    return cases;
}

int main(void)
{
    size_t n = 0;
    bad_case *cases = find_cases(&n);
    if (n == 0) {
        fprintf(stderr, "no cases under %s\n", CASES);
        return 1;
    }
    struct CMUnitTest *tests = nb_xcalloc(n, sizeof *tests);
    for (size_t i = 0; i < n; i++)
        tests[i] = (struct CMUnitTest){.name = cases[i].name, .test_func = test_case,
                                       .initial_state = &cases[i]};
    int failed = _cmocka_run_group_tests("bad_input", tests, n, NULL, NULL);
    for (size_t i = 0; i < n; i++) {
        free(cases[i].name);
        free(cases[i].dir);
    }
    free(cases);
    free(tests);
    return failed;
}
