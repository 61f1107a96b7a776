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

/* Outputs replaced together (PDF and XLSX of one report): an output begun
 * in a group is synced by its commit but keeps its temporary name, and
 * nb_outfile_group_end then renames every one into place — or, when the
 * build failed, removes them, so that all the previous outputs stay.
 * A zeroed group is an open, empty one. */
typedef struct nb_outfile_group {
    struct nb_outfile *pending;
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
 * leave that to nb_outfile_group_end). */
bool nb_outfile_commit(nb_outfile *o, nb_diags *d);
/* Remove the temporary file; the target is untouched. Safe to call twice. */
void nb_outfile_abort(nb_outfile *o);

/* Close `g`: `commit` renames its outputs into place (false, with an error
 * in d, if one cannot be), otherwise removes them. */
bool nb_outfile_group_end(nb_outfile_group *g, bool commit, nb_diags *d);

/* mkdir -p */
bool nb_make_dirs(const char *dir, nb_diags *d);

#endif
