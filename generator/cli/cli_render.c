/* cli_render.c — `nianbao render`: print one rendered template, exactly, so
 * template authors can see what the engine makes of their text and data.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "i18n.h"
#include "source.h"
#include "tmpl.h"

static const char render_usage[] = N_(
    "usage: nianbao render TEMPLATE --data=DATA.yaml [--partials=DIR]...\n"
    "                      [--escape=html|markup|none] [--lenient]\n"
    "\n"
    "Print TEMPLATE rendered with DATA to standard output, exactly as the engine\n"
    "produces it (no newline is added). For authors of report formats.\n"
    "\n"
    "options:\n"
    "  --data=FILE      the YAML data the template reads\n"
    "  --partials=DIR   where {{>name}} and {{<name}} find DIR/name.mustache; may be\n"
    "                   repeated; TEMPLATE's own folder is searched last\n"
    "  --escape=MODE    markup (default, as for reports): escape what would change\n"
    "                   the document's structure; html: the Mustache spec's escaping;\n"
    "                   none: print values as they are\n"
    "  --lenient        the spec's behaviour: a missing name or partial prints\n"
    "                   nothing instead of being an error\n"
    "  -h, --help       this help\n"
    "\n"
    "example:\n"
    "  nianbao render templates/gov-2021/report.mustache --data=report.yaml\n"
    "\n"
    "exit status: 0 rendered; 1 the data break a rule; 2 bad usage, or a template\n"
    "or data that cannot be read.\n");

typedef struct render_args {
    const char *template_path;
    const char *data_path;
    const char **dirs; /* NULL-terminated; room for argc + 1 */
    size_t ndirs;
    nb_tmpl_options o;
} render_args;

#define usage_error(...) nb_cli_usage_error("render", __VA_ARGS__)

static const char *const render_option_names[] = {"--data", "--partials", "--escape",
                                                  "--lenient", "--help"};

static bool parse_escape(const char *v, nb_escape *out)
{
    static const struct { const char *name; nb_escape mode; } modes[] = {
        {"markup", NB_ESCAPE_MARKUP}, {"html", NB_ESCAPE_HTML}, {"none", NB_ESCAPE_NONE}};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        if (strcmp(v, modes[i].name) == 0) {
            *out = modes[i].mode;
            return true;
        }
    }
    return false;
}

/* Returns -1 to go on, else the exit status. */
static int parse_option(render_args *r, int argc, char **argv, int *i)
{
    bool missing = false;
    const char *v;
    if ((v = nb_cli_option_value("--data", argc, argv, i, &missing))) {
        r->data_path = v;
    } else if ((v = nb_cli_option_value("--partials", argc, argv, i, &missing))) {
        r->dirs[r->ndirs++] = v;
    } else if ((v = nb_cli_option_value("--escape", argc, argv, i, &missing))) {
        if (!parse_escape(v, &r->o.escape))
            return usage_error("--escape takes html, markup or none, not '%s'", v);
    } else if (strcmp(argv[*i], "--lenient") == 0) {
        r->o.lenient = true;
    } else if (missing) {
        return usage_error("the option %s needs a value", argv[*i]);
    } else {
        return nb_cli_unknown_option("render", argv[*i], render_option_names, 5);
    }
    return -1;
}

static int parse_args(render_args *r, int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            nb_cli_help(render_usage);
            return 0;
        }
        if (arg[0] == '-' && arg[1] != '\0') {
            int status = parse_option(r, argc, argv, &i);
            if (status >= 0)
                return status;
        } else if (r->template_path) {
            return usage_error("one template at a time ('%s' is one too many)", arg);
        } else {
            r->template_path = arg;
        }
    }
    if (!r->template_path)
        return usage_error("no template given");
    if (!r->data_path)
        return usage_error("--data DATA.yaml is required");
    return -1;
}

static int render(render_args *r)
{
    nb_arena a = {0};
    nb_diags d = {0};
    char *own_dir = nb_dirname(r->template_path);
    r->dirs[r->ndirs++] = own_dir;
    r->dirs[r->ndirs] = NULL;
    r->o.partial_dirs = r->dirs;
    int status = 2;
    nb_node *data = nb_source_load_file(r->data_path, &a, &d);
    char *text = data ? nb_tmpl_render_file(r->template_path, data, &r->o, &a, &d) : NULL;
    nb_cli_print_diags(&d);
    if (text) {
        size_t len = strlen(text);
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
            fprintf(stderr, _("nianbao render: cannot write the output: %s\n"),
                    strerror(errno));
        else
            status = 0;
    } else if (d.errors) {
        status = nb_diags_exit_status(&d);
    }
    free(own_dir);
    nb_diags_free(&d);
    nb_arena_free(&a);
    return status;
}

int nb_cli_render(int argc, char **argv)
{
    render_args r = {.o = {.escape = NB_ESCAPE_MARKUP}};
    r.dirs = nb_xcalloc((size_t)argc + 2, sizeof *r.dirs);
    int status = parse_args(&r, argc, argv);
    if (status < 0)
        status = render(&r);
    free(r.dirs);
    return status;
}
