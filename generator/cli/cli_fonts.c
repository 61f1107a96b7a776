/* cli_fonts.c — `nianbao fonts`: for each role, the font in use, its fallback
 * chain, each font's design (the role's own, or the design it stands in
 * with), where each came from in fonts.yaml, and why the other candidates
 * were skipped — so that an office can see whether its 仿宋_GB2312.ttf is
 * the one being used. With --text, which font sets each character.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "fonts.h"
#include "util.h"

static const char usage[] = N_(
    "usage: nianbao fonts [REPORT.yaml] [--fonts-dir=DIR] [--text=TEXT]\n"
    "\n"
    "Show the font folders, which font file serves each role (小标宋, 仿宋, 黑体,\n"
    "楷体, 宋体), its fallback chain and where each came from in fonts.yaml.\n"
    "\n"
    "Font files and fonts.yaml are looked for in these folders, the first that has\n"
    "one wins: fonts/ beside the report (when REPORT.yaml is given), then yours,\n"
    "$XDG_DATA_HOME/nianbao/fonts (default ~/.local/share/nianbao/fonts), then\n"
    "fonts/ of the data folder.\n"
    "\n"
    "options:\n"
    "  REPORT.yaml      show the fonts this report is built with\n"
    "  --fonts-dir=DIR  look in DIR only, instead of the folders above\n"
    "  --text=TEXT      also show, for each role, which font sets each character of TEXT\n"
    "  -h, --help       this help\n"
    "\n"
    "example:\n"
    "  nianbao fonts report.yaml --text=政府信息公开\n"
    "\n"
    "exit status: 0 every role has a font; 2 a role has none, or fonts.yaml cannot\n"
    "be read.\n");

static const char *const fonts_option_names[] = {"--fonts-dir", "--text", "--help"};

/* The data folder and each font folder, in search order, as a user checks
 * where a font dropped somewhere is expected. */
static void print_folders(const nb_font_dirs *fd, bool with_report)
{
    printf(_("data folder: %s (%s)\n"), nb_data_dir(), _(nb_data_dir_origin()));
    printf(_("font folders, searched in this order:\n"));
    for (size_t i = 0; i < fd->count; i++)
        printf(_("  %zu. %s (%s%s)\n"), i + 1, fd->dir[i], _(fd->what[i]),
               fd->present[i] ? "" : _("; absent"));
    if (!with_report)
        printf(_("  (and fonts/ beside a report: nianbao fonts REPORT.yaml)\n"));
}

static void print_face(const nb_face *f, const char *what, const char *design,
                       const char *origin)
{
    printf("  %-9s %s%s [%s, %s]  %s", what, f->family, f->has_bold ? " Bold" : "", design,
           f->cff ? "CFF" : "TrueType", f->path);
    if (f->index > 0)
        printf("#%d", f->index);
    printf(_("\n            from %s\n"), origin);
}

static void print_role(const nb_fontset *fs, nb_font_role r)
{
    printf("%s (%s)\n", nb_font_role_chinese(r), nb_font_role_name(r));
    for (size_t i = 0; i < fs->nchain[r]; i++) {
        const char *design = fs->chain_design[r][i];
        print_face(&fs->faces[fs->chain[r][i]], i == 0 ? _("in use") : _("fallback"),
                   design ? design : nb_font_role_design(r), fs->chain_origin[r][i]);
    }
    for (size_t i = 0; i < fs->nskipped[r]; i++)
        printf(_("  skipped   %s: %s\n"), fs->skipped[r][i].candidate, fs->skipped[r][i].why);
}

/* For each character of `text`, the family that sets it in role `r`. */
static void print_text_faces(const nb_fontset *fs, nb_font_role r, const char *text)
{
    printf("  %s:", nb_font_role_name(r));
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = nb_utf8_decode(text + i, n - i, &cp);
        if (len == 0)
            len = 1;
        int face = nb_fonts_pick(fs, r, cp);
        printf(" %.*s=%s", (int)len, text + i, face >= 0 ? fs->faces[face].family : _("(none)"));
        i += len;
    }
    printf("\n");
}

int nb_cli_fonts(int argc, char **argv)
{
    const char *dir = NULL, *text = NULL, *report = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v;
        bool missing = false;
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            nb_cli_help(usage);
            return 0;
        } else if ((v = nb_cli_option_value("--fonts-dir", argc, argv, &i, &missing))) {
            dir = v;
        } else if ((v = nb_cli_option_value("--text", argc, argv, &i, &missing))) {
            if (nb_utf8_invalid_at(v, strlen(v)) != (size_t)-1) /* it was echoed, bytes and all */
                return nb_cli_usage_error("fonts", "%s is not UTF-8 text (a terminal in "
                                          "another encoding?)", "--text");
            text = v;
        } else if (missing) {
            return nb_cli_usage_error("fonts", "the option %s needs a value", a);
        } else if (a[0] == '-') {
            return nb_cli_unknown_option("fonts", a, fonts_option_names, 3);
        } else if (!report) {
            report = a;
        } else {
            return nb_cli_usage_error("fonts", "unexpected argument '%s'", a);
        }
    }
    nb_font_dirs fd = nb_font_dirs_for(report);
    const char *dirs[NB_FONT_DIRS_MAX] = {dir};
    size_t ndirs = dir ? 1 : nb_font_dirs_searched(&fd, dirs);
    if (!dir)
        print_folders(&fd, report != NULL);
    fflush(stdout);
    nb_diags d = {0};
    nb_fontset *fs = nb_fonts_load_dirs(dirs, ndirs, &d);
    nb_cli_print_diags(&d);
    int status = fs ? 0 : nb_diags_exit_status(&d);
    if (fs) {
        printf(_("font map: %s\n"), fs->map_path);
        for (int r = 0; r < NB_ROLE_COUNT; r++) {
            printf("\n");
            print_role(fs, (nb_font_role)r);
        }
        if (text) {
            printf(_("\nfonts setting \"%s\":\n"), text);
            for (int r = 0; r < NB_ROLE_COUNT; r++)
                print_text_faces(fs, (nb_font_role)r, text);
        }
        nb_fonts_free(fs);
    }
    nb_diags_free(&d);
    nb_font_dirs_free(&fd);
    return status;
}
