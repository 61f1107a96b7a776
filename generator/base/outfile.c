/* outfile.c — see outfile.h. */
#define _GNU_SOURCE /* flock, link */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

bool nb_make_dirs(const char *dir, nb_diags *d)
{
    char *path = nb_xstrdup(dir);
    bool ok = true;
    for (char *p = path + 1; ok; p++) {
        bool end = (*p == '\0');
        if (*p == '/' || end) {
            char saved = *p;
            *p = '\0';
            if (mkdir(path, 0777) != 0 && errno != EEXIST) {
                nb_error(d, (nb_pos){0}, "cannot create folder %s: %s", path,
                         strerror(errno));
                ok = false;
            }
            *p = saved;
        }
        if (end)
            break;
    }
    struct stat st;
    if (ok && (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))) {
        nb_error(d, (nb_pos){0}, "%s is not a folder", dir);
        ok = false;
    }
    free(path);
    return ok;
}

/* ---- temporary files removed on a signal ----
 * The names live in fixed slots, not in the heap: a signal handler may read
 * them while a thread frees or allocates. A slot is claimed and released
 * atomically, and its name written before it is marked in use. */
enum { MAX_TEMPS = 32 };

static struct temp_slot {
    atomic_int used;
    char path[PATH_MAX];
} temps[MAX_TEMPS];

static void remember_temp(const char *path)
{
    if (strlen(path) >= PATH_MAX)
        return;
    for (int i = 0; i < MAX_TEMPS; i++) {
        int expected = 0;
        if (atomic_compare_exchange_strong(&temps[i].used, &expected, -1)) {
            strcpy(temps[i].path, path);
            atomic_store(&temps[i].used, 1);
            return;
        }
    }
    /* more temporary files at once than slots: this one is removed by the
     * build, not by a signal */
}

static void forget_temp(const char *path)
{
    for (int i = 0; i < MAX_TEMPS; i++) {
        if (atomic_load(&temps[i].used) == 1 && strcmp(temps[i].path, path) == 0) {
            atomic_store(&temps[i].used, 0);
            return;
        }
    }
}

static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};

/* Only async-signal-safe calls: unlink, signal, raise. The signal is
 * blocked while its handler runs; raised again with its default action, it
 * ends the process as soon as the handler returns. */
static void remove_temps_and_die(int sig)
{
    int saved = errno;
    for (int i = 0; i < MAX_TEMPS; i++)
        if (atomic_load(&temps[i].used) == 1)
            unlink(temps[i].path);
    signal(sig, SIG_DFL);
    raise(sig);
    errno = saved;
}

void nb_outfile_clean_up_on_signals(void)
{
    for (size_t i = 0; i < sizeof cleanup_signals / sizeof cleanup_signals[0]; i++) {
        struct sigaction old, sa = {.sa_handler = remove_temps_and_die};
        sigemptyset(&sa.sa_mask);
        if (sigaction(cleanup_signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(cleanup_signals[i], &sa, NULL);
    }
}

/* Hold (or release) the clean-up signals in the calling thread. */
static void hold_signals(bool hold, sigset_t *saved)
{
    if (hold) {
        sigset_t set;
        sigemptyset(&set);
        for (size_t i = 0; i < sizeof cleanup_signals / sizeof cleanup_signals[0]; i++)
            sigaddset(&set, cleanup_signals[i]);
        pthread_sigmask(SIG_BLOCK, &set, saved);
    } else {
        pthread_sigmask(SIG_SETMASK, saved, NULL);
    }
}

/* ---- one output ---- */

/* "<dir>/.<name>.XXXXXX" made by mkstemp; NULL with errno set. */
static char *make_temp_beside(const char *final_path, const char *dir)
{
    const char *slash = strrchr(final_path, '/');
    const char *base = slash ? slash + 1 : final_path;
    nb_buf tmp = {0};
    nb_buf_printf(&tmp, "%s/.%s.XXXXXX", dir, base);
    char *temp = nb_buf_detach(&tmp);
    /* a signal between mkstemp and remember_temp left the file behind
     * (test_kill, about one run in fifteen): held until it is known */
    sigset_t saved;
    hold_signals(true, &saved);
    int fd = mkstemp(temp);
    int e = errno;
    if (fd >= 0)
        remember_temp(temp);
    hold_signals(false, &saved);
    if (fd < 0) {
        free(temp);
        errno = e;
        return NULL;
    }
    close(fd);
    return temp;
}

bool nb_outfile_begin(nb_outfile *o, const char *final_path, nb_outfile_group *group,
                      nb_diags *d)
{
    *o = (nb_outfile){.group = group};
    char *dir = nb_dirname(final_path);
    if (!nb_make_dirs(dir, d)) {
        free(dir);
        return false;
    }
    char *temp = make_temp_beside(final_path, dir);
    free(dir);
    if (!temp) {
        nb_error(d, (nb_pos){0}, "cannot write in the folder of %s: %s", final_path,
                 strerror(errno));
        return false;
    }
    o->final_path = nb_xstrdup(final_path);
    o->temp_path = temp;
    return true;
}

void nb_outfile_abort(nb_outfile *o)
{
    if (o->temp_path) {
        unlink(o->temp_path);
        forget_temp(o->temp_path);
    }
    free(o->temp_path);
    free(o->final_path);
    *o = (nb_outfile){0};
}

/* The data on disk before the name points at it: an error the file system
 * only reports now (a full disk, a network share gone) must not replace the
 * previous good output by a truncated one. */
static bool flush_to_disk(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0 || errno == EINVAL; /* EINVAL: cannot sync, e.g. a pipe */
    int e = errno;
    ok = close(fd) == 0 && ok;
    if (!ok && errno == 0)
        errno = e;
    return ok;
}

/* mkstemp creates 0600; an output file is an ordinary document. */
static void make_readable(const char *path)
{
    mode_t mask = umask(0);
    umask(mask);
    chmod(path, 0666 & ~mask);
}

/* The synced temporary file under its final name: the output alone. */
static bool put_in_place(nb_outfile *o, nb_diags *d)
{
    make_readable(o->temp_path);
    if (rename(o->temp_path, o->final_path) != 0) {
        nb_error(d, (nb_pos){0}, "cannot write %s: %s", o->final_path, strerror(errno));
        nb_outfile_abort(o);
        return false;
    }
    /* The folder is not synced after the rename. A power cut soon after a
     * build may then bring back the previous version of the file (the
     * rename is in the file system's journal, lost with it), never a
     * damaged one: the data was synced above. Syncing the folder would make
     * the new name durable at once, for another journal commit per file:
     * 0.5 ms on an idle disk and up to 20 ms on a busy one (measured with
     * bench/), as much as building the report, twice for PDF and XLSX. */
    forget_temp(o->temp_path);
    free(o->temp_path);
    free(o->final_path);
    *o = (nb_outfile){0};
    return true;
}

bool nb_outfile_commit(nb_outfile *o, nb_diags *d)
{
    errno = 0;
    if (!flush_to_disk(o->temp_path)) {
        nb_error(d, (nb_pos){0}, "cannot write %s: %s", o->final_path,
                 strerror(errno ? errno : EIO));
        nb_outfile_abort(o);
        return false;
    }
    nb_outfile_group *g = o->group;
    if (!g)
        return put_in_place(o, d);
    NB_GROW(g->pending, g->count, g->cap);
    g->pending[g->count++] = *o;
    *o = (nb_outfile){0};
    return true;
}

/* ---- groups ---- */

/* The folders of the pending, each locked once, in the order of their
 * names so that two builds never wait for each other crosswise. */
typedef struct folder_locks {
    char **dirs;
    int *fds;
    size_t count;
} folder_locks;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void lock_folders(folder_locks *l, const nb_outfile_group *g)
{
    l->dirs = nb_xcalloc(g->count + 1, sizeof *l->dirs);
    l->fds = nb_xcalloc(g->count + 1, sizeof *l->fds);
    l->count = 0;
    for (size_t i = 0; i < g->count; i++) {
        char *dir = nb_dirname(g->pending[i].final_path);
        bool seen = false;
        for (size_t k = 0; k < l->count && !seen; k++)
            seen = strcmp(l->dirs[k], dir) == 0;
        if (seen)
            free(dir);
        else
            l->dirs[l->count++] = dir;
    }
    qsort(l->dirs, l->count, sizeof *l->dirs, by_name);
    for (size_t k = 0; k < l->count; k++) {
        /* Advisory: a folder that cannot be opened or locked (a file
         * system without locks) is written unlocked, as before. */
        l->fds[k] = open(l->dirs[k], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        while (l->fds[k] >= 0 && flock(l->fds[k], LOCK_EX) != 0 && errno == EINTR)
            ;
    }
}

static void unlock_folders(folder_locks *l)
{
    for (size_t k = 0; k < l->count; k++) {
        if (l->fds[k] >= 0)
            close(l->fds[k]); /* releases the lock */
        free(l->dirs[k]);
    }
    free(l->dirs);
    free(l->fds);
}

/* The previous target of a member, kept until the whole set is in place. */
typedef struct backup {
    char *path;   /* a hard link to the previous target, or NULL: none */
    bool renamed; /* the member is in place */
} backup;

/* Keep the previous target under a backup name; false (with a message) if
 * it is in the way of a rename: a folder, or a file this user may not
 * replace. */
static bool keep_previous(const nb_outfile *o, backup *b, nb_diags *d)
{
    struct stat st;
    if (lstat(o->final_path, &st) != 0)
        return true; /* nothing there yet */
    if (S_ISDIR(st.st_mode)) {
        nb_error(d, (nb_pos){0}, "cannot write %s: a folder of that name is in the way; "
                 "move it, or write the outputs to another folder (-o)", o->final_path);
        return false;
    }
    char *dir = nb_dirname(o->final_path);
    nb_buf name = {0};
    const char *slash = strrchr(o->final_path, '/');
    nb_buf_printf(&name, "%s/.%s~previous.XXXXXX", dir, slash ? slash + 1 : o->final_path);
    char *temp = nb_buf_detach(&name);
    int fd = mkstemp(temp); /* a free name; the link takes its place */
    bool ok = fd >= 0;
    if (ok) {
        close(fd);
        unlink(temp);
        ok = link(o->final_path, temp) == 0;
    }
    if (ok) {
        b->path = temp;
        free(dir);
        return true;
    }
    int e = errno;
    free(temp);
    struct stat ds;
    bool sticky = stat(dir, &ds) == 0 && (ds.st_mode & S_ISVTX);
    free(dir);
    if (st.st_uid != geteuid() && sticky && e == EPERM) {
        nb_error(d, (nb_pos){0}, "cannot write %s: the file there belongs to another "
                 "user, and the folder lets only its owner replace it; ask them to "
                 "remove it, or write the outputs to another folder (-o)", o->final_path);
        return false;
    }
    if (e == EPERM || e == EOPNOTSUPP || e == EMLINK) {
        /* a file system without hard links (FAT): replaced without a
         * backup; with others, an undone set may lose this one */
        return true;
    }
    nb_error(d, (nb_pos){0}, "cannot write %s: %s", o->final_path, strerror(e));
    return false;
}

/* Undo the renames done so far: every target as it was. */
static void restore(nb_outfile_group *g, backup *b)
{
    for (size_t i = 0; i < g->count; i++) {
        if (!b[i].renamed)
            continue;
        if (b[i].path) {
            rename(b[i].path, g->pending[i].final_path);
            free(b[i].path);
            b[i].path = NULL; /* back in place: not to be removed */
        } else {
            unlink(g->pending[i].final_path);
        }
    }
}

static bool rename_all(nb_outfile_group *g, backup *b, nb_diags *d)
{
    for (size_t i = 0; i < g->count; i++)
        if (!keep_previous(&g->pending[i], &b[i], d))
            return false;
    for (size_t i = 0; i < g->count; i++) {
        nb_outfile *o = &g->pending[i];
        make_readable(o->temp_path);
        if (rename(o->temp_path, o->final_path) != 0) {
            nb_error(d, (nb_pos){0}, "cannot write %s: %s; the previous outputs are kept",
                     o->final_path, strerror(errno));
            restore(g, b);
            return false;
        }
        b[i].renamed = true;
        forget_temp(o->temp_path);
        free(o->temp_path);
        o->temp_path = NULL;
    }
    return true;
}

static bool put_all_in_place(nb_outfile_group *g, nb_diags *d)
{
    folder_locks locks;
    lock_folders(&locks, g);
    backup *b = nb_xcalloc(g->count + 1, sizeof *b);
    sigset_t saved;
    hold_signals(true, &saved);
    bool ok = rename_all(g, b, d);
    for (size_t i = 0; i < g->count; i++) {
        if (b[i].path)
            unlink(b[i].path);
        free(b[i].path);
    }
    hold_signals(false, &saved);
    free(b);
    unlock_folders(&locks);
    return ok;
}

bool nb_outfile_group_end(nb_outfile_group *g, bool commit, nb_diags *d)
{
    bool ok = commit && put_all_in_place(g, d);
    for (size_t i = 0; i < g->count; i++)
        nb_outfile_abort(&g->pending[i]); /* what is not in place */
    free(g->pending);
    *g = (nb_outfile_group){0};
    return ok || !commit;
}
