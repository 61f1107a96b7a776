/* outfile.c — see outfile.h. */
#define _POSIX_C_SOURCE 200809L /* mkstemp */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

bool nb_outfile_begin(nb_outfile *o, const char *final_path, nb_outfile_group *group,
                      nb_diags *d)
{
    *o = (nb_outfile){0};
    char *dir = nb_dirname(final_path);
    if (!nb_make_dirs(dir, d)) {
        free(dir);
        return false;
    }
    const char *slash = strrchr(final_path, '/');
    const char *base = slash ? slash + 1 : final_path;
    nb_buf tmp = {0};
    nb_buf_printf(&tmp, "%s/.%s.XXXXXX", dir, base);
    free(dir);
    char *temp = nb_buf_detach(&tmp);
    int fd = mkstemp(temp);
    if (fd < 0) {
        nb_error(d, (nb_pos){0}, "cannot write in the folder of %s: %s", final_path,
                 strerror(errno));
        free(temp);
        return false;
    }
    close(fd);
    o->final_path = nb_xstrdup(final_path);
    o->temp_path = temp;
    o->group = group;
    return true;
}

/* The data on disk before the name points at it: an error the file system
 * only reports now (a full disk, a network share gone) must not replace the
 * previous good output by a truncated one. */
static bool flush_to_disk(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return false;
    bool ok = fsync(fd) == 0 || errno == EINVAL; /* EINVAL: cannot sync, e.g. a pipe */
    return close(fd) == 0 && ok;
}

/* The synced temporary file under its final name. */
static bool put_in_place(nb_outfile *o, nb_diags *d)
{
    /* mkstemp creates 0600; an output file is an ordinary document. */
    mode_t mask = umask(0);
    umask(mask);
    chmod(o->temp_path, 0666 & ~mask);
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
    free(o->temp_path);
    free(o->final_path);
    *o = (nb_outfile){0};
    return true;
}

bool nb_outfile_commit(nb_outfile *o, nb_diags *d)
{
    if (!flush_to_disk(o->temp_path)) {
        nb_error(d, (nb_pos){0}, "cannot write %s: %s", o->final_path, strerror(errno));
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

bool nb_outfile_group_end(nb_outfile_group *g, bool commit, nb_diags *d)
{
    bool ok = true;
    for (size_t i = 0; i < g->count; i++) {
        if (commit && ok)
            ok = put_in_place(&g->pending[i], d) && ok;
        else
            nb_outfile_abort(&g->pending[i]);
    }
    free(g->pending);
    *g = (nb_outfile_group){0};
    return ok;
}

void nb_outfile_abort(nb_outfile *o)
{
    if (o->temp_path)
        unlink(o->temp_path);
    free(o->temp_path);
    free(o->final_path);
    *o = (nb_outfile){0};
}
