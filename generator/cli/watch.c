/* watch.c — `nianbao preview --watch`: rebuild the draft on every save of the
 * report, a template or a font file (inotify), one line per rebuild. A save
 * that breaks the report prints the error; the last good PDF stays in place
 * (outputs are only ever replaced by complete new ones). A save that fixes
 * the last problem says so. SIGINT and SIGTERM stop it at once: while it
 * waits they arrive through a signalfd beside the inotify descriptor; while
 * it builds, they keep their default action (the outputs in place are
 * whole either way). */
#define _GNU_SOURCE
#include "watch.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "i18n.h"

enum { MAX_WATCHES = 64, DEBOUNCE_MS = 80 };

/* SIGINT and SIGTERM: blocked while waiting (they are read from a signalfd),
 * let through while building. */
static sigset_t w_stop_signals;

typedef struct watched {
    int wd;
    char *dir;
    bool fonts; /* a change here means reloading the fonts */
} watched;

typedef struct watcher {
    int fd;
    int signals; /* signalfd of w_stop_signals */
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
 * makes on one save to end. Returns false on error or when told to stop. */
static bool wait_for_change(watcher *w, bool *fonts_changed)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool changed = false;
    int timeout = -1;
    for (;;) {
        struct pollfd p[2] = {{w->fd, POLLIN, 0}, {w->signals, POLLIN, 0}};
        int n = poll(p, 2, timeout);
        if (n < 0 && errno != EINTR)
            return false;
        if (n > 0 && p[1].revents)
            return false; /* SIGINT or SIGTERM */
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

/* One line per rebuild; a rebuild with no problem left after one that had
 * some says the report is clean again. */
static void print_rebuild(int status, double seconds, const char *pdf, size_t problems,
                          size_t problems_before)
{
    time_t now = time(NULL);
    char clock[16];
    strftime(clock, sizeof clock, "%H:%M:%S", localtime(&now));
    if (status != 0)
        printf(_("[%s] not rebuilt (see the messages above); %s is the last good draft\n"),
               clock, pdf);
    else if (problems)
        printf(ngettext("[%s] %s rebuilt in %.0f ms; %zu problem listed on its last page\n",
                        "[%s] %s rebuilt in %.0f ms; %zu problems listed on its last page\n",
                        problems), clock, pdf, seconds * 1e3, problems);
    else if (problems_before)
        printf(_("[%s] %s rebuilt in %.0f ms; no problems left: the report is clean again\n"),
               clock, pdf, seconds * 1e3);
    else
        printf(_("[%s] %s rebuilt in %.0f ms\n"), clock, pdf, seconds * 1e3);
    fflush(stdout);
}

/* Build once; *problems carries the count from one rebuild to the next
 * ((size_t)-1 after a rebuild that failed). */
static int rebuild(const nb_build_options *o, const char *input, nb_fontset **fonts,
                   size_t *problems)
{
    double t = nb_now_seconds();
    size_t now = 0;
    /* a signal during a build ends it with its default action */
    sigprocmask(SIG_UNBLOCK, &w_stop_signals, NULL);
    int status = nb_build_report_ex(o, input, fonts, NULL, 0, &now);
    sigprocmask(SIG_BLOCK, &w_stop_signals, NULL);
    char *name = nb_basename_noext(input);
    nb_buf pdf = {0};
    nb_buf_printf(&pdf, "%s/%s.draft.pdf", o->out_dir, name);
    print_rebuild(status, nb_now_seconds() - t, nb_buf_str(&pdf), now, *problems);
    nb_buf_free(&pdf);
    free(name);
    *problems = status == 0 ? now : (size_t)-1;
    return status;
}

int nb_watch(const nb_build_options *o, const char *input)
{
    watcher w = {.fd = inotify_init1(IN_CLOEXEC)};
    sigemptyset(&w_stop_signals);
    sigaddset(&w_stop_signals, SIGINT);
    sigaddset(&w_stop_signals, SIGTERM);
    sigprocmask(SIG_BLOCK, &w_stop_signals, NULL);
    w.signals = signalfd(-1, &w_stop_signals, SFD_CLOEXEC);
    if (w.fd < 0 || w.signals < 0) {
        perror("nianbao preview --watch");
        return 2;
    }
    char *report_dir = nb_dirname(input);
    const char *slash = strrchr(input, '/');
    w.report_dir = report_dir;
    w.report_file = slash ? slash + 1 : input;
    add_dir(&w, report_dir, false);
    add_template_dirs(&w);
    char *fonts_dir = nb_path_join(nb_data_dir(), "fonts");
    add_dir(&w, fonts_dir, true);
    free(fonts_dir);
    printf(_("watching %s, the templates and the fonts; Ctrl-C stops\n"), input);
    nb_fontset *fonts = NULL;
    size_t problems = 0;
    rebuild(o, input, &fonts, &problems);
    bool fonts_changed = false;
    while (wait_for_change(&w, &fonts_changed)) {
        if (fonts_changed && fonts) {
            nb_fonts_free(fonts);
            fonts = NULL;
        }
        fonts_changed = false;
        rebuild(o, input, &fonts, &problems);
    }
    struct signalfd_siginfo why;
    bool stopped = read(w.signals, &why, sizeof why) == (ssize_t)sizeof why;
    if (stopped)
        printf(_("stopped watching %s\n"), input);
    if (fonts)
        nb_fonts_free(fonts);
    for (int i = 0; i < w.count; i++)
        free(w.dirs[i].dir);
    free(report_dir);
    close(w.fd);
    close(w.signals);
    return stopped ? 0 : 2;
}
