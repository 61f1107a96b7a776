/* outfile.h — replace output files only by complete new ones, and the
 * outputs of one report all together.
 *
 * A backend writes each output to a temporary file in the target's own
 * folder ("<dir>/.<name>.XXXXXX", so that the final rename is atomic on the
 * same file system) and commits it; on any error it aborts, and the
 * previous good output stays untouched.
 *
 * The outputs of one report (PDF, XLSX, HTML, …) form a group, an explicit
 * object the caller opens and hands to every backend:
 *
 *     nb_outfile_group g;
 *     nb_outfile_group_init(&g, false);
 *     ok = write_pdf(…, &g, "out/r.pdf", d) && write_xlsx(…, &g, "out/r.xlsx", d);
 *     ok = nb_outfile_group_end(&g, ok, d);
 *
 * and a backend makes each of its outputs as a member of the group:
 *
 *     nb_outfile out;
 *     if (!nb_outfile_begin(&out, g, path, d)) return false;
 *     …write out.temp_path…
 *     return ok ? nb_outfile_commit(&out, d) : (nb_outfile_abort(&out), false);
 *
 * A commit into a group only syncs the member's data; nb_outfile_group_end
 * then, when every output was made, puts them all in place — or, when one
 * failed, removes them all:
 *   1. every member complete and synced under its temporary name;
 *   2. an advisory lock (flock) on each target folder, so that builds of
 *      the same outputs (two terminals, two batch workers) put their sets in
 *      place one after the other, never interleaved;
 *   3. each existing target kept under a backup name (a hard link), then
 *      every member renamed over its target; if one rename fails, the ones
 *      already done are undone from the backups, so the previous set stays
 *      whole. A target that cannot be replaced (a folder in its way, a
 *      colleague's file in a sticky folder) is found at step 3 before any
 *      rename.
 * SIGINT, SIGTERM and SIGHUP are held during step 3 (it takes a few
 * milliseconds), so the set is never left half replaced by Ctrl-C.
 *
 * A group may hold its members in memory (memory files, memfd): a thread
 * that makes an output beside the main one then does no file input or
 * output of its own beside the target; nb_outfile_group_end writes them to
 * temporary files first, in one place and one order whatever ran where.
 * nb_outfile_group_take joins such a group to the main one.
 *
 * Without a group (g NULL), a commit renames the one output at once.
 */
#ifndef NB_OUTFILE_H
#define NB_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

typedef struct nb_outfile_group nb_outfile_group;

typedef struct nb_outfile {
    char *final_path;
    char *temp_path; /* "<dir>/.<name>.XXXXXX", created empty by begin; for
                        a member held in memory, the name of its memory
                        file, "/proc/self/fd/N" */
    bool in_memory;
    int memory_fd;   /* in_memory: the memory file */
    nb_outfile_group *group; /* the group it commits into, or NULL */
} nb_outfile;

struct nb_outfile_group {
    nb_outfile *members; /* committed, waiting for nb_outfile_group_end */
    size_t count, cap;
    bool in_memory;      /* members made as memory files where possible */
};

/* An empty group; `in_memory`: its members are made as memory files. */
void nb_outfile_group_init(nb_outfile_group *g, bool in_memory);

/* Create the target's folder if needed and a temporary file beside the
 * target (or a memory file, for a group in memory). `g` may be NULL.
 * Returns false (with an error in d) if the folder cannot be written. */
bool nb_outfile_begin(nb_outfile *o, nb_outfile_group *g, const char *final_path,
                      nb_diags *d);
/* Sync the output's data; without a group, rename it over the target; in
 * a group, hand it to the group (o is emptied). */
bool nb_outfile_commit(nb_outfile *o, nb_diags *d);
/* Remove the temporary file; the target is untouched. Safe to call twice. */
void nb_outfile_abort(nb_outfile *o);

/* Move every member of `from` into `g` (from is left empty). */
void nb_outfile_group_take(nb_outfile_group *g, nb_outfile_group *from);
/* Close `g`: `commit` puts every member in place as described above (false,
 * with an error in d, and the previous outputs untouched, if one cannot
 * be); otherwise removes them all. The group is empty afterwards. */
bool nb_outfile_group_end(nb_outfile_group *g, bool commit, nb_diags *d);

/* Remove the temporary files still open when the process gets SIGINT,
 * SIGTERM or SIGHUP, then die of the signal as before. For the program's
 * main(), once; a signal the process ignores (nohup) stays ignored. */
void nb_outfile_clean_up_on_signals(void);

/* mkdir -p */
bool nb_make_dirs(const char *dir, nb_diags *d);

#endif
