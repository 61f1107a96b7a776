/* watch.c — `nianbao preview --watch`: rebuild the draft on every save of the
 * report, a template or a font file (inotify), one line per rebuild. A save
 * that breaks the report prints the error; the last good PDF stays in place
 * (outputs are only ever replaced by complete new ones). A save that fixes
 * the last problem says so. SIGINT and SIGTERM stop it at once: while it
 * waits they arrive through a signalfd beside the inotify descriptor; while
 * it builds, they keep the action the program gave them (outputs cleaned up,
 * outfile.h). */
#define _GNU_SOURCE /* realpath, signalfd */
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

/* The report as given, and the file it is when the name is a symbolic
 * link: a save through the link changes the target, in its own folder. */
typedef struct report_place {
    char *dir;
    char *file; /* base name in dir */
} report_place;

enum { AS_GIVEN, TARGET, NPLACES };

typedef struct watcher {
    int fd;
    int signals; /* signalfd of w_stop_signals */
    watched dirs[MAX_WATCHES];
    int count;
    report_place report[NPLACES];
    bool report_dir_gone; /* a report folder was removed: wait for it */
    bool said_gone;
} watcher;

static bool add_dir(watcher *w, const char *dir, bool fonts)
{
    for (int i = 0; i < w->count; i++)
        if (strcmp(w->dirs[i].dir, dir) == 0)
            return true;
    if (w->count >= MAX_WATCHES)
        return false;
    int wd = inotify_add_watch(w->fd, dir, IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE |
                                               IN_DELETE | IN_DELETE_SELF | IN_MOVE_SELF);
    if (wd < 0)
        return false; /* a folder that does not exist has nothing to watch */
    for (int i = 0; i < w->count; i++)
        if (w->dirs[i].wd == wd) /* the same folder by another name */
            return true;
    w->dirs[w->count++] = (watched){wd, nb_xstrdup(dir), fonts};
    return true;
}

static void drop_watch(watcher *w, int wd)
{
    for (int i = 0; i < w->count; i++) {
        if (w->dirs[i].wd != wd)
            continue;
        free(w->dirs[i].dir);
        w->dirs[i] = w->dirs[--w->count];
        return;
    }
}

static void set_place(report_place *p, const char *path)
{
    free(p->dir);
    free(p->file);
    p->dir = nb_dirname(path);
    const char *slash = strrchr(path, '/');
    p->file = nb_xstrdup(slash ? slash + 1 : path);
}

/* The file a symbolic link names, also when it is not there (yet): the
 * folder to watch for it. The path itself when it is no link. */
static char *link_target(const char *input)
{
    char *real = realpath(input, NULL);
    if (real)
        return real;
    char target[PATH_MAX];
    ssize_t n = readlink(input, target, sizeof target - 1);
    if (n <= 0)
        return nb_xstrdup(input);
    target[n] = '\0';
    if (target[0] == '/')
        return nb_xstrdup(target);
    char *dir = nb_dirname(input);
    char *path = nb_path_join(dir, target);
    free(dir);
    return path;
}

/* Where the report is, following a symbolic link; its folders watched.
 * False while a folder of the report is missing. */
static bool attach_report(watcher *w, const char *input)
{
    set_place(&w->report[AS_GIVEN], input);
    char *target = link_target(input);
    set_place(&w->report[TARGET], target);
    free(target);
    bool ok = true;
    for (int i = 0; i < NPLACES; i++)
        ok = add_dir(w, w->report[i].dir, false) && ok;
    w->report_dir_gone = !ok;
    if (ok && w->said_gone) {
        printf(_("the folder of %s is back\n"), input);
        fflush(stdout);
        w->said_gone = false;
    }
    return ok;
}

static bool is_report(const watcher *w, const watched *d, const char *name)
{
    for (int i = 0; i < NPLACES; i++)
        if (strcmp(d->dir, w->report[i].dir) == 0 && strcmp(name, w->report[i].file) == 0)
            return true;
    return false;
}

static bool is_report_dir(const watcher *w, const char *dir)
{
    for (int i = 0; i < NPLACES; i++)
        if (strcmp(dir, w->report[i].dir) == 0)
            return true;
    return false;
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

/* A watched folder was removed or moved away: the kernel drops its watch.
 * A folder of the report is waited for (reattach). */
static void folder_gone(watcher *w, int wd)
{
    const watched *d = find_watch(w, wd);
    if (!d)
        return;
    if (is_report_dir(w, d->dir))
        w->report_dir_gone = true;
    drop_watch(w, wd);
}

/* Does this event concern the report? Editors' temporary files do not. */
static bool relevant(watcher *w, const struct inotify_event *ev, bool *fonts)
{
    if (ev->mask & (IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF)) {
        folder_gone(w, ev->wd);
        return false;
    }
    const watched *d = find_watch(w, ev->wd);
    if (!d || !ev->len || ev->name[0] == '.')
        return false;
    if (d->fonts) {
        *fonts = true;
        return true;
    }
    if (is_report(w, d, ev->name))
        return true;
    return ends_with(ev->name, ".mustache") || ends_with(ev->name, ".yaml");
}

enum { REATTACH_MS = 200 };

/* Wait for the next relevant change, then for the burst of events an editor
 * makes on one save to end. While a folder of the report is gone, look for
 * it again every REATTACH_MS; when it is back, that is a change. Returns
 * false on error or when told to stop (SIGINT, SIGTERM). */
static bool wait_for_change(watcher *w, const char *input, bool *fonts_changed)
{
    char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
    bool changed = false;
    for (;;) {
        if (w->report_dir_gone && !w->said_gone) {
            printf(_("the folder of %s is gone; waiting for it to come back\n"), input);
            fflush(stdout);
            w->said_gone = true;
        }
        int timeout = changed ? DEBOUNCE_MS : w->report_dir_gone ? REATTACH_MS : -1;
        struct pollfd p[2] = {{w->fd, POLLIN, 0}, {w->signals, POLLIN, 0}};
        int n = poll(p, 2, timeout);
        if (n < 0 && errno != EINTR)
            return false;
        if (n > 0 && p[1].revents)
            return false; /* SIGINT or SIGTERM */
        if (n == 0 && !changed && w->report_dir_gone) {
            if (attach_report(w, input))
                return true; /* back: build what is there now */
            continue;
        }
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
    w.signals = signalfd(-1, &w_stop_signals, SFD_CLOEXEC | SFD_NONBLOCK);
    if (w.fd < 0 || w.signals < 0) {
        perror("nianbao preview --watch");
        return 2;
    }
    attach_report(&w, input);
    add_template_dirs(&w);
    nb_font_dirs font_dirs = nb_font_dirs_for(input);
    for (size_t i = 0; i < font_dirs.count; i++)
        add_dir(&w, font_dirs.dir[i], true);
    nb_font_dirs_free(&font_dirs);
    printf(_("watching %s, the templates and the fonts; Ctrl-C stops\n"), input);
    nb_fontset *fonts = NULL;
    size_t problems = 0;
    rebuild(o, input, &fonts, &problems);
    bool fonts_changed = false;
    while (wait_for_change(&w, input, &fonts_changed)) {
        if (fonts_changed && fonts) {
            nb_fonts_free(fonts);
            fonts = NULL;
        }
        fonts_changed = false;
        attach_report(&w, input); /* the link may point elsewhere now */
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
    for (int i = 0; i < NPLACES; i++) {
        free(w.report[i].dir);
        free(w.report[i].file);
    }
    close(w.fd);
    close(w.signals);
    return stopped ? 0 : 2;
}
