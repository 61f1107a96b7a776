/* outfile.h — replace an output file only by a complete new one.
 *
 * A backend writes to a temporary file in the target's own folder (so the
 * final rename is atomic on the same filesystem) and commits it; on any
 * error it aborts and the previous good output stays untouched.
 */
#ifndef NB_OUTFILE_H
#define NB_OUTFILE_H

#include <stdbool.h>

#include "diag.h"

typedef struct nb_outfile {
    char *final_path;
    char *temp_path; /* "<dir>/.<name>.XXXXXX", created empty by begin */
} nb_outfile;

/* Create the target folder if needed and a temporary file beside the target.
 * Returns false (with an error in d) if the folder cannot be written. */
bool nb_outfile_begin(nb_outfile *o, const char *final_path, nb_diags *d);
/* fsync and rename the temporary file over the target. */
bool nb_outfile_commit(nb_outfile *o, nb_diags *d);
/* Remove the temporary file; the target is untouched. Safe to call twice. */
void nb_outfile_abort(nb_outfile *o);

/* Outputs replaced together: while a group is open in a thread, that
 * thread's commits sync the data but keep the temporary names, and
 * nb_outfile_group_end then renames every one into place — or, when the
 * build failed, removes them, so that all the previous outputs stay. */
typedef struct nb_outfile_group {
    nb_outfile *pending;
    size_t count, cap;
} nb_outfile_group;

/* Open `g` for the commits of the calling thread. */
void nb_outfile_group_begin(nb_outfile_group *g);
/* Close `g` (from any thread, the one that opened it having stopped
 * committing): `commit` renames its outputs into place (false, with an
 * error in d, if one cannot be), otherwise removes them. */
bool nb_outfile_group_end(nb_outfile_group *g, bool commit, nb_diags *d);

/* mkdir -p */
bool nb_make_dirs(const char *dir, nb_diags *d);

#endif
