/* fonts_cache.c — see fonts_cache.h.
 *
 * The file is text, one record a line:
 *   nianbao fonts.cache 2 fontconfig 21400
 *   env FONTCONFIG_FILE=            (each variable that steers fontconfig)
 *   stamp 1234:4096:1700000000:5 /etc/fonts/conf.d     (inode:size:mtime:ns)
 *   stamp - /root/.local/share/fonts                   (absent)
 *   family<TAB>AR PL SungtiL GB<TAB><TAB>1<TAB>0<TAB>0<TAB>/usr/share/.../gbsn00lp.ttf
 *   end
 * A file without its last line (a write cut short) is not used.
 */
#define _POSIX_C_SOURCE 200809L
#include "fonts_cache.h"

#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "util.h"

enum { FORMAT_VERSION = 2 }; /* 2: CFF faces are answers too */

/* What can change fontconfig's configuration or where it looks. */
static const char *const steering_variables[] = {
    "FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "HOME",
    "XDG_CONFIG_HOME", "XDG_DATA_HOME",   "XDG_CACHE_HOME",
};

typedef struct entry {
    char *family, *style; /* style NULL: none asked for */
    char *file;           /* NULL: no such family */
    int index;
    bool only_cff;
} entry;

struct nb_fontcache {
    entry *items;
    size_t count, cap;
    bool added;
};

static char *cache_dir(void)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && xdg[0] == '/')
        return nb_path_join(xdg, "nianbao");
    if (home && home[0] == '/')
        return nb_path_join(home, ".cache/nianbao");
    return NULL;
}

/* ---- the stamp ---- */

static void stamp_line(nb_buf *b, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        nb_buf_printf(b, "stamp - %s\n", path);
    else
        nb_buf_printf(b, "stamp %llu:%lld:%lld:%ld %s\n", (unsigned long long)st.st_ino,
                      (long long)st.st_size, (long long)st.st_mtim.tv_sec,
                      (long)st.st_mtim.tv_nsec, path);
}

static void env_lines(nb_buf *b)
{
    for (size_t i = 0; i < sizeof steering_variables / sizeof steering_variables[0]; i++) {
        const char *v = getenv(steering_variables[i]);
        nb_buf_printf(b, "env %s=%s\n", steering_variables[i], v ? v : "");
    }
}

static void header_line(nb_buf *b)
{
    nb_buf_printf(b, "nianbao fonts.cache %d fontconfig %d\n", FORMAT_VERSION, FcGetVersion());
}

static void stamp_list(nb_buf *b, FcStrList *list)
{
    FcChar8 *s;
    while (list && (s = FcStrListNext(list)) != NULL)
        stamp_line(b, (const char *)s);
    if (list)
        FcStrListDone(list);
}

/* User configuration that fontconfig would read if it existed: creating it
 * must make the cache stale. */
static void user_config_stamps(nb_buf *b)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    char *config = xdg && *xdg ? nb_xstrdup(xdg) : home ? nb_path_join(home, ".config") : NULL;
    if (config) {
        static const char *const names[] = {"fontconfig", "fontconfig/fonts.conf",
                                            "fontconfig/conf.d"};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            char *p = nb_path_join(config, names[i]);
            stamp_line(b, p);
            free(p);
        }
        free(config);
    }
    if (home) {
        static const char *const names[] = {".fonts.conf", ".fonts.conf.d"};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            char *p = nb_path_join(home, names[i]);
            stamp_line(b, p);
            free(p);
        }
    }
}

/* The whole stamp of fontconfig's current configuration (started by now). */
static void current_stamp(nb_buf *b)
{
    FcConfig *config = FcConfigGetCurrent();
    stamp_list(b, FcConfigGetConfigFiles(config));
    stamp_list(b, FcConfigGetFontDirs(config));
    user_config_stamps(b);
}

/* ---- reading ---- */

/* The line at *p (without its newline), advancing *p past it; NULL at the end. */
static char *next_line(char **p)
{
    if (!**p)
        return NULL;
    char *line = *p, *nl = strchr(line, '\n');
    if (!nl)
        return NULL; /* an unfinished last line: the file was cut short */
    *nl = '\0';
    *p = nl + 1;
    return line;
}

static bool stamp_holds(const char *line)
{
    const char *state = line + strlen("stamp "), *space = strchr(state, ' ');
    if (!space)
        return false;
    nb_buf now = {0};
    stamp_line(&now, space + 1);
    bool same = strncmp(nb_buf_str(&now), line, now.len - 1) == 0 && line[now.len - 1] == '\0';
    nb_buf_free(&now);
    return same;
}

static char *field(char **p)
{
    char *start = *p, *tab = strchr(start, '\t');
    if (tab) {
        *tab = '\0';
        *p = tab + 1;
    } else {
        *p = start + strlen(start);
    }
    return start;
}

static bool read_entry(nb_fontcache *c, char *line)
{
    char *p = line + strlen("family\t");
    char *family = field(&p), *style = field(&p), *found = field(&p), *index = field(&p),
         *cff = field(&p), *file = p;
    if (!*family || (*found != '0' && *found != '1') || (*cff != '0' && *cff != '1'))
        return false;
    NB_GROW(c->items, c->count, c->cap);
    c->items[c->count++] = (entry){nb_xstrdup(family), *style ? nb_xstrdup(style) : NULL,
                                   *found == '1' ? nb_xstrdup(file) : NULL, atoi(index),
                                   *cff == '1'};
    return true;
}

static void clear(nb_fontcache *c)
{
    for (size_t i = 0; i < c->count; i++) {
        free(c->items[i].family);
        free(c->items[i].style);
        free(c->items[i].file);
    }
    c->count = 0;
}

/* Read the cache's text; false (entries dropped) unless all of it holds. */
static bool parse(nb_fontcache *c, char *text)
{
    nb_buf expected = {0};
    header_line(&expected);
    env_lines(&expected);
    size_t len = expected.len;
    bool ok = strncmp(text, nb_buf_str(&expected), len) == 0;
    nb_buf_free(&expected);
    char *p = text + (ok ? len : 0), *line;
    bool ended = false;
    while (ok && !ended && (line = next_line(&p)) != NULL) {
        if (strncmp(line, "stamp ", 6) == 0)
            ok = stamp_holds(line);
        else if (strncmp(line, "family\t", 7) == 0)
            ok = read_entry(c, line);
        else
            ok = ended = strcmp(line, "end") == 0;
    }
    if (!ok || !ended)
        clear(c);
    return ok && ended;
}

nb_fontcache *nb_fontcache_open(void)
{
    nb_fontcache *c = nb_xcalloc(1, sizeof *c);
    char *dir = cache_dir();
    if (!dir)
        return c;
    char *path = nb_path_join(dir, "fonts.cache");
    size_t len;
    char *text = nb_read_file(path, &len);
    if (text && strlen(text) == len)
        parse(c, text);
    free(text);
    free(path);
    free(dir);
    return c;
}

static bool same_style(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

bool nb_fontcache_get(nb_fontcache *c, const char *family, const char *style,
                      nb_fontcache_answer *answer)
{
    for (size_t i = 0; i < c->count; i++) {
        const entry *e = &c->items[i];
        if (strcmp(e->family, family) == 0 && same_style(e->style, style)) {
            *answer = (nb_fontcache_answer){e->file, e->index, e->only_cff};
            return true;
        }
    }
    return false;
}

void nb_fontcache_put(nb_fontcache *c, const char *family, const char *style,
                      const nb_fontcache_answer *a)
{
    NB_GROW(c->items, c->count, c->cap);
    c->items[c->count++] = (entry){nb_xstrdup(family), style ? nb_xstrdup(style) : NULL,
                                   a->file ? nb_xstrdup(a->file) : NULL, a->index,
                                   a->only_cff};
    c->added = true;
}

/* ---- writing ---- */

/* Text that can stand in a record: no tab, no line break. */
static bool plain(const char *s)
{
    return !s || strpbrk(s, "\t\n\r") == NULL;
}

static bool render(const nb_fontcache *c, nb_buf *b)
{
    header_line(b);
    env_lines(b);
    current_stamp(b);
    for (size_t i = 0; i < c->count; i++) {
        const entry *e = &c->items[i];
        if (!plain(e->family) || !plain(e->style) || !plain(e->file))
            return false;
        nb_buf_printf(b, "family\t%s\t%s\t%d\t%d\t%d\t%s\n", e->family, e->style ? e->style : "",
                      e->file != NULL, e->index, e->only_cff, e->file ? e->file : "");
    }
    nb_buf_puts(b, "end\n");
    return true;
}

/* Written beside and renamed into place, so that a reader never sees half
 * of it. Not synced: a cache lost in a power cut is only asked again. */
static void write_file(const char *dir, const nb_buf *b)
{
    nb_diags ignored = {0};
    bool made = nb_make_dirs(dir, &ignored);
    nb_diags_free(&ignored);
    if (!made)
        return;
    char *path = nb_path_join(dir, "fonts.cache");
    char *temp = nb_path_join(dir, ".fonts.cache.XXXXXX");
    int fd = mkstemp(temp);
    if (fd >= 0) {
        bool ok = write(fd, b->data, b->len) == (ssize_t)b->len;
        ok = close(fd) == 0 && ok;
        if (!ok || rename(temp, path) != 0)
            unlink(temp);
    }
    free(temp);
    free(path);
}

void nb_fontcache_close(nb_fontcache *c)
{
    char *dir = c->added ? cache_dir() : NULL;
    if (dir) {
        nb_buf b = {0};
        if (render(c, &b))
            write_file(dir, &b);
        nb_buf_free(&b);
        free(dir);
    }
    clear(c);
    free(c->items);
    free(c);
}
