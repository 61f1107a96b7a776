/* datadir.c — the data folder and the font folders (datadir.h).
 *
 * NB_DATA_FROM_BIN (the data folder relative to the installed program,
 * "../share/nianbao"), NB_BUILD_TREE and NB_SOURCE_TREE come from
 * generator/CMakeLists.txt.
 */
#define _DEFAULT_SOURCE /* realpath */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h"
#include "i18n.h"
#include "util.h"

static bool is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool holds_templates(const char *dir)
{
    char *templates = nb_path_join(dir, "templates");
    bool yes = is_dir(templates);
    free(templates);
    return yes;
}

/* The folder of the running program's own file, symbolic links resolved;
 * NULL when the system does not say (no /proc). */
static char *program_dir(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return NULL;
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (!slash)
        return NULL;
    *slash = '\0';
    return nb_xstrdup(buf);
}

/* `rel` ("../share/nianbao") from the folder `dir`, its leading "../" taken
 * off `dir` (a resolved path, so this is exact), for a readable path. */
static char *relative_to(const char *dir, const char *rel)
{
    char *base = nb_xstrdup(dir);
    while (strncmp(rel, "../", 3) == 0) {
        char *slash = strrchr(base, '/');
        if (!slash)
            break;
        slash[slash == base] = '\0'; /* the parent of /tmp is / */
        rel += 3;
    }
    char *path = nb_path_join(base, rel);
    free(base);
    return path;
}

/* The program is the one its build tree made (not an installed copy). */
static bool in_build_tree(const char *program)
{
    char *build = realpath(NB_BUILD_TREE, NULL);
    bool yes = build && strcmp(build, program) == 0;
    free(build);
    return yes;
}

static char *data_dir;
static const char *data_dir_origin = N_("not found");
static bool data_dir_from_env;

static void find_data_dir(void)
{
    const char *home = getenv("NIANBAO_HOME");
    if (home && *home) {
        data_dir = nb_xstrdup(home);
        data_dir_origin = N_("$NIANBAO_HOME");
        data_dir_from_env = true;
        return;
    }
    char *program = program_dir();
    data_dir = relative_to(program ? program : ".", NB_DATA_FROM_BIN);
    if (holds_templates(data_dir)) {
        data_dir_origin = N_("installed beside the program");
    } else if (program && in_build_tree(program)) {
        free(data_dir);
        data_dir = nb_xstrdup(NB_SOURCE_TREE);
        data_dir_origin = N_("the source tree, as the program of its build tree");
    }
    free(program);
}

const char *nb_data_dir(void)
{
    if (!data_dir)
        find_data_dir();
    return data_dir;
}

const char *nb_data_dir_origin(void)
{
    nb_data_dir();
    return data_dir_origin;
}

bool nb_data_dir_check(nb_diags *d)
{
    const char *dir = nb_data_dir();
    if (holds_templates(dir))
        return true;
    if (data_dir_from_env)
        nb_error(d, (nb_pos){0}, "NIANBAO_HOME is %s, which has no templates/ folder; set "
                 "it to a folder holding nianbao's templates/ and fonts/, or unset it", dir);
    else
        nb_error(d, (nb_pos){0}, "cannot find nianbao's data folder (templates/, fonts/): "
                 "it is not at %s, beside the program; install nianbao whole (cmake "
                 "--install, or the .deb), or set NIANBAO_HOME to the folder holding "
                 "templates/ and fonts/", dir);
    return false;
}

/* $XDG_DATA_HOME/nianbao/fonts, by default ~/.local/share/nianbao/fonts;
 * NULL when neither variable gives a place. The XDG Base Directory
 * specification ignores a relative XDG_DATA_HOME. */
static char *user_fonts_dir(void)
{
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        return nb_path_join(xdg, "nianbao/fonts");
    if (home && *home)
        return nb_path_join(home, ".local/share/nianbao/fonts");
    return NULL;
}

static void add_dir(nb_font_dirs *fd, char *dir, const char *what)
{
    if (!dir)
        return;
    fd->dir[fd->count] = dir;
    fd->what[fd->count] = what;
    fd->present[fd->count] = is_dir(dir);
    fd->count++;
}

nb_font_dirs nb_font_dirs_for(const char *report)
{
    nb_font_dirs fd = {0};
    if (report) {
        char *folder = nb_dirname(report);
        add_dir(&fd, nb_path_join(folder, "fonts"), N_("beside the report"));
        free(folder);
    }
    add_dir(&fd, user_fonts_dir(), N_("yours"));
    add_dir(&fd, nb_path_join(nb_data_dir(), "fonts"), N_("the data folder's"));
    return fd;
}

size_t nb_font_dirs_searched(const nb_font_dirs *fd, const char **out)
{
    size_t n = 0;
    for (size_t i = 0; i < fd->count; i++)
        if (fd->present[i] || i + 1 == fd->count)
            out[n++] = fd->dir[i];
    return n;
}

void nb_font_dirs_free(nb_font_dirs *fd)
{
    for (size_t i = 0; i < fd->count; i++)
        free(fd->dir[i]);
    fd->count = 0;
}
