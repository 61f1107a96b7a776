/* watch.c — `nianbao preview --watch`: rebuild the draft on every save of the
 * report, a template or a font file (inotify), one line per rebuild. A save
 * that breaks the report prints the error; the last good PDF stays in place
 * (outputs are only ever replaced by complete new ones). */
#define _DEFAULT_SOURCE
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

enum { MAX_WATCHES = 64, DEBOUNCE_MS = 80 };

typedef struct watched {
    int wd;
    char *dir;
    bool fonts; /* a change here means reloading the fonts */
} watched;

typedef struct watcher {
    int fd;
    watched dirs[MAX_WATCHES];
    int count;
    const char *report_dir;
    const char *report_file; /* base name of the report in report_dir */
} watcher;

static void add_dir(watcher *w, const char *dir, bool fonts)
{
    if (w->count >= MAX_WATCHES)
        return;
    int wd = inotify_add_watch(w->fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE |
                                               IN_DELETE);
    if (wd < 0)
        return; /* a folder that does not exist has nothing to watch */
    w->dirs[w->count++] = (watched){wd, nb_xstrdup(dir), fonts};
}

/* The templates folder and each format folder in it. */
static void add_template_dirs(watcher *w)
{
    char *root = nb_path_join(nb_data_dir(), "templates");
    add_dir(w, root, false);
    DIR *d = opendir(root);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char *sub = nb_path_join(root, e->d_name);
        struct stat st;
        if (stat(sub, &st) == 0 && S_ISDIR(st.st_mode))
            add_dir(w, sub, false);
        free(sub);
    }
    if (d)
        closedir(d);
    free(root);
}

static const watched *find_watch(const watcher *w, int wd)
{
    for (int i = 0; i < w->count; i++)
        if (w->dirs[i].wd == wd)
            return &w->dirs[i];
    return NULL;
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* Does this event concern the report? Editors' temporary files do not. */
static bool relevant(const watcher *w, const struct inotify_event *ev, bool *fonts)
{
    const watched *d = find_watch(w, ev->wd);
    if (!d || !ev->len || ev->name[0] == '.')
        return false;
    if (d->fonts) {
        *fonts = true;
        return true;
    }
    if (strcmp(d->dir, w->report_dir) == 0 && strcmp(ev->name, w->report_file) == 0)
        return true;
    return ends_with(ev->name, ".mustache") || ends_with(ev->name, ".yaml");
}

/* Wait for the next relevant change, then for the burst of events an editor
 * makes on one save to end. Returns false on error. */
static bool wait_for_change(watcher *w, bool *fonts_changed)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool changed = false;
    int timeout = -1;
    for (;;) {
        struct pollfd p = {w->fd, POLLIN, 0};
        int n = poll(&p, 1, timeout);
        if (n < 0 && errno != EINTR)
            return false;
        if (n == 0)
            return true; /* quiet for DEBOUNCE_MS after a change */
        ssize_t len = read(w->fd, buf, sizeof buf);
        if (len <= 0)
            continue;
        for (char *q = buf; q < buf + len;) {
            struct inotify_event *ev = (struct inotify_event *)q;
            if (relevant(w, ev, fonts_changed))
                changed = true;
            q += sizeof *ev + ev->len;
        }
        if (changed)
            timeout = DEBOUNCE_MS;
    }
}

static void print_rebuild(int status, double seconds, const char *pdf)
{
    time_t now = time(NULL);
    char clock[16];
    strftime(clock, sizeof clock, "%H:%M:%S", localtime(&now));
    if (status == 0)
        printf("[%s] %s rebuilt in %.0f ms\n", clock, pdf, seconds * 1e3);
    else
        printf("[%s] not rebuilt (see the messages above); %s is the last good draft\n",
               clock, pdf);
    fflush(stdout);
}

static int rebuild(const nb_build_options *o, const char *input, nb_fontset **fonts)
{
    double t = nb_now_seconds();
    int status = nb_build_report(o, input, fonts);
    char *name = nb_basename_noext(input);
    nb_buf pdf = {0};
    nb_buf_printf(&pdf, "%s/%s.draft.pdf", o->out_dir, name);
    print_rebuild(status, nb_now_seconds() - t, nb_buf_str(&pdf));
    nb_buf_free(&pdf);
    free(name);
    return status;
}

int nb_watch(const nb_build_options *o, const char *input)
{
    watcher w = {.fd = inotify_init1(IN_CLOEXEC)};
    if (w.fd < 0) {
        perror("nianbao preview --watch: inotify");
        return 2;
    }
    char *report_dir = nb_dirname(input);
    const char *slash = strrchr(input, '/');
    w.report_dir = report_dir;
    w.report_file = slash ? slash + 1 : input;
    add_dir(&w, report_dir, false);
    add_template_dirs(&w);
    nb_font_dirs font_dirs = nb_font_dirs_for(input);
    for (size_t i = 0; i < font_dirs.count; i++)
        add_dir(&w, font_dirs.dir[i], true);
    nb_font_dirs_free(&font_dirs);
    printf("watching %s, the templates and the fonts; Ctrl-C stops\n", input);
    nb_fontset *fonts = NULL;
    rebuild(o, input, &fonts);
    bool fonts_changed = false;
    while (wait_for_change(&w, &fonts_changed)) {
        if (fonts_changed && fonts) {
            nb_fonts_free(fonts);
            fonts = NULL;
        }
        fonts_changed = false;
        rebuild(o, input, &fonts);
    }
    if (fonts)
        nb_fonts_free(fonts);
    for (int i = 0; i < w.count; i++)
        free(w.dirs[i].dir);
    free(report_dir);
    close(w.fd);
    return 2;
}
