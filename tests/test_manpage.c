/* test_manpage.c — doc/nianbao.1 covers the program: every command of
 * `nianbao --help`, every option of each `nianbao COMMAND --help` and every
 * environment variable of `nianbao --help` is in the manual, with the
 * sections a manual has, and the manual's version is the program's. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util.h"

#define MANUAL NB_SOURCE_DIR "/doc/nianbao.1"

static const char *const commands[] = {"build", "preview", "check", "init", "render", "fonts"};

static char *manual; /* with roff's \- written as - */

static int read_manual(void **state)
{
    (void)state;
    size_t len;
    char *roff = nb_read_file(MANUAL, &len);
    if (!roff)
        return -1;
    nb_buf b = {0};
    for (const char *p = roff; *p; p++) {
        if (p[0] == '\\' && p[1] == '-')
            p++;
        nb_buf_putc(&b, *p);
    }
    free(roff);
    manual = nb_buf_detach(&b);
    return 0;
}

static int free_manual(void **state)
{
    (void)state;
    free(manual);
    return 0;
}

static char *help_of(const char *command)
{
    char *out = NULL;
    int status = nb_test_runf(&out, "'%s' %s --help", NB_BINARY, command);
    assert_int_equal(status, 0);
    return out;
}

/* Each option word (--name or -x) of a help text is in the manual. */
static void assert_options_documented(const char *help, const char *command)
{
    int found = 0;
    for (const char *p = help; *p; p++) {
        if (*p != '-' || (p > help && (isalnum((unsigned char)p[-1]) || p[-1] == '-')))
            continue;
        size_t n = 1 + (p[1] == '-');
        while (isalnum((unsigned char)p[n]) || (p[n] == '-' && isalpha((unsigned char)p[n + 1])))
            n++;
        if (n == 1 + (p[1] == '-') || !isalpha((unsigned char)p[n - 1]))
            continue;
        char *option = nb_xstrndup(p, n);
        if (!strstr(manual, option))
            printf("nianbao %s: %s is not in doc/nianbao.1\n", command, option);
        assert_non_null(strstr(manual, option));
        free(option);
        found++;
        p += n - 1;
    }
    assert_true(found > 0);
}

static void test_every_command_and_option_is_documented(void **state)
{
    (void)state;
    char *main_help = help_of("");
    assert_options_documented(main_help, "--help");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        assert_non_null(strstr(main_help, commands[i]));
        nb_buf heading = {0};
        nb_buf_printf(&heading, "\n.BR %s", commands[i]);
        nb_buf alt = {0};
        nb_buf_printf(&alt, "\n.BI \"%s ", commands[i]);
        nb_buf alt2 = {0};
        nb_buf_printf(&alt2, "\n.B %s ", commands[i]);
        bool described = strstr(manual, nb_buf_str(&heading)) || strstr(manual, nb_buf_str(&alt)) ||
                         strstr(manual, nb_buf_str(&alt2));
        if (!described)
            printf("no entry for the command %s in COMMANDS\n", commands[i]);
        assert_true(described);
        nb_buf_free(&heading);
        nb_buf_free(&alt);
        nb_buf_free(&alt2);
        char *help = help_of(commands[i]);
        assert_options_documented(help, commands[i]);
        free(help);
    }
    free(main_help);
}

static void test_environment_files_and_exit_status_are_documented(void **state)
{
    (void)state;
    static const char *const sections[] = {".SH SYNOPSIS", ".SH COMMANDS", ".SH ENVIRONMENT",
                                           ".SH FILES", ".SH EXIT STATUS", ".SH FONTS"};
    for (size_t i = 0; i < sizeof sections / sizeof *sections; i++)
        assert_non_null(strstr(manual, sections[i]));
    char *help = help_of("");
    static const char *const variables[] = {"NIANBAO_HOME", "XDG_DATA_HOME", "SOURCE_DATE_EPOCH",
                                            "NO_COLOR"};
    for (size_t i = 0; i < sizeof variables / sizeof *variables; i++) {
        nb_buf entry = {0};
        nb_buf_printf(&entry, ".B %s\n", variables[i]);
        assert_non_null(strstr(help, variables[i]));
        assert_non_null(strstr(manual, nb_buf_str(&entry)));
        nb_buf_free(&entry);
    }
    free(help);
    assert_non_null(strstr(manual, "share/nianbao"));
    assert_non_null(strstr(manual, ".local/share/nianbao/fonts"));
}

static void test_manual_version_is_the_programs(void **state)
{
    (void)state;
    char *out = NULL;
    assert_int_equal(nb_test_runf(&out, "'%s' --version", NB_BINARY), 0);
    assert_true(strncmp(out, "nianbao ", 8) == 0);
    out[strcspn(out, "\n")] = '\0';
    nb_buf th = {0};
    nb_buf_printf(&th, "\"%s\" \"User Commands\"", out);
    if (!strstr(manual, nb_buf_str(&th)))
        printf("the .TH line of doc/nianbao.1 should name %s\n", out);
    assert_non_null(strstr(manual, nb_buf_str(&th)));
    nb_buf_free(&th);
    free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_command_and_option_is_documented),
        cmocka_unit_test(test_environment_files_and_exit_status_are_documented),
        cmocka_unit_test(test_manual_version_is_the_programs),
    };
    return cmocka_run_group_tests(tests, read_manual, free_manual);
}
