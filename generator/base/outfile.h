/* outfile.h — replace output files only by complete new ones, and the
 * outputs of one report all together.
 *
 * A backend writes each output to a temporary file in the target's own
 * folder ("<dir>/.<name>.XXXXXX", so that the final rename is atomic on the
 * same file system) and commits it; on any error it aborts, and the
 * previous good output stays untouched.
 *
 * The outputs of one report (PDF, XLSX, HTML, …) form a group, an explicit
 * object the caller opens (zeroed) and hands to every backend:
 *
 *     nb_outfile_group g = {0};
 *     ok = write_pdf(…, "out/r.pdf", &g, d) && write_xlsx(…, "out/r.xlsx", &g, d);
 *     ok = nb_outfile_group_end(&g, ok, d) && ok;
 *
 * and a backend makes each of its outputs as a member of the group:
 *
 *     nb_outfile out;
 *     if (!nb_outfile_begin(&out, path, g, d)) return false;
 *     …write out.temp_path…
 *     if (!ok) { nb_outfile_abort(&out); return false; }
 *     return nb_outfile_commit(&out, d);
 *
 * A commit into a group only syncs the member's data; nb_outfile_group_end
 * then, when every output was made, puts them all in place — or, when one
 * failed, removes them all:
 *   1. every member complete and synced under its temporary name;
 *   2. an advisory lock (flock) on each target folder, so that builds of
 *      the same outputs (two terminals, batch workers) put their sets in
 *      place one after the other, never interleaved;
 *   3. each existing target kept under a backup name (a hard link,
 *      ".<name>~previous.XXXXXX"), then every member renamed over its
 *      target; if one rename fails, those already done are undone from the
 *      backups, so the previous set stays whole. A target that cannot be
 *      replaced (a folder in its way, a colleague's file in a sticky folder)
 *      is found before any rename.
 * SIGINT, SIGTERM and SIGHUP are held during step 3 (a few milliseconds),
 * so the set is never left half replaced by Ctrl-C; at any other moment
 * they remove the temporary files (nb_outfile_clean_up_on_signals).
 *
 * Without a group (NULL), a commit renames the one output at once.
 */
#ifndef NB_OUTFILE_H
#define NB_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* The outputs of one report. A zeroed group is an open, empty one. */
typedef struct nb_outfile_group {
    struct nb_outfile *pending; /* committed, waiting for nb_outfile_group_end */
    size_t count, cap;
} nb_outfile_group;

typedef struct nb_outfile {
    char *final_path;
    char *temp_path; /* "<dir>/.<name>.XXXXXX", created empty by begin */
    nb_outfile_group *group; /* NULL: the commit puts the file in place */
} nb_outfile;

/* Create the target folder if needed and a temporary file beside the target.
 * `group` (may be NULL) is the group the output joins when committed.
 * Returns false (with an error in d) if the folder cannot be written. */
bool nb_outfile_begin(nb_outfile *o, const char *final_path, nb_outfile_group *group,
                      nb_diags *d);
/* fsync the temporary file, and rename it over the target (or, in a group,
 * leave that to nb_outfile_group_end; o is emptied). */
bool nb_outfile_commit(nb_outfile *o, nb_diags *d);
/* Remove the temporary file; the target is untouched. Safe to call twice. */
void nb_outfile_abort(nb_outfile *o);

/* Close `g`: `commit` puts every member in place as described above (false,
 * with an error in d and the previous outputs untouched, if one cannot be);
 * otherwise removes them all. The group is empty and open afterwards. */
bool nb_outfile_group_end(nb_outfile_group *g, bool commit, nb_diags *d);

/* Remove the temporary files still open when the process gets SIGINT,
 * SIGTERM or SIGHUP, then die of the signal as before. For the program's
 * main(), once; a signal the process ignores (nohup) stays ignored. */
void nb_outfile_clean_up_on_signals(void);

/* mkdir -p */
bool nb_make_dirs(const char *dir, nb_diags *d);

#endif
