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
    char *temp_path; /* "<dir>/.<name>.XXXXXX", created empty by begin; for
                        an output of a group held in memory, the name of
                        its memory file, "/proc/self/fd/N" */
    bool in_memory;
    int memory_fd;   /* in_memory: the memory file */
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
 * build failed, removes them, so that all the previous outputs stay.
 *
 * A group may also hold its outputs in memory (memory files, memfd): a
 * thread that makes an output beside the main one then does no file input
 * or output of its own beside the target, and the thread that ends the
 * group writes the files out, syncs and renames them, in one place and one
 * order whatever ran where. */
typedef struct nb_outfile_group {
    nb_outfile *pending;
    size_t count, cap;
    bool in_memory;
} nb_outfile_group;

/* Open `g` for the commits of the calling thread. */
void nb_outfile_group_begin(nb_outfile_group *g);
/* The same, its outputs made in memory (where the system cannot, as files
 * beside their targets). */
void nb_outfile_group_begin_in_memory(nb_outfile_group *g);
/* Write the outputs of `g` held in memory to temporary files beside their
 * targets and sync them (false, with an error in d, if one cannot be). */
bool nb_outfile_group_write_out(nb_outfile_group *g, nb_diags *d);
/* Close `g` (from any thread, the one that opened it having stopped
 * committing): `commit` writes out what is still in memory and renames its
 * outputs into place (false, with an error in d, if one cannot be),
 * otherwise removes them. */
bool nb_outfile_group_end(nb_outfile_group *g, bool commit, nb_diags *d);

/* mkdir -p */
bool nb_make_dirs(const char *dir, nb_diags *d);

#endif
