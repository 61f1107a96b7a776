/* datadir.h — where the program finds its data: the data folder (templates/,
 * fonts/, message catalogs) and the font folders a report's fonts are looked
 * for in. Only the program (cli/) knows these places; the stages are handed
 * the folders.
 */
#ifndef NB_DATADIR_H
#define NB_DATADIR_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* The data folder, found once, the first of:
 *   1. $NIANBAO_HOME, when set and not empty;
 *   2. share/nianbao relative to the program's own file (/proc/self/exe):
 *      ../share/nianbao from bin/ — an installed program, wherever the
 *      installation was put or moved;
 *   3. the source tree the program was built from, only when the program is
 *      the one in its build tree (a developer's run).
 * When none applies, 2's path (which has no templates/; see below). */
const char *nb_data_dir(void);
/* How nb_data_dir() was found, in words (untranslated; _() it): "$NIANBAO_HOME",
 * "installed beside the program", "the source tree, as the program of its
 * build tree",
 * "not found". */
const char *nb_data_dir_origin(void);
/* True when the data folder holds templates/; otherwise false, with an error
 * in d that says where nianbao looked and what to do. */
bool nb_data_dir_check(nb_diags *d);

enum { NB_FONT_DIRS_MAX = 3 };

/* The font folders, most specific first (fonts.yaml is read from the first
 * that has one, and each font file named in it is taken from the first that
 * has it), so a report's own fonts win over the user's, and the user's over
 * the ones installed with nianbao:
 *   1. fonts/ beside the report (only when a report is given);
 *   2. the user's: $XDG_DATA_HOME/nianbao/fonts, by default
 *      ~/.local/share/nianbao/fonts;
 *   3. fonts/ of the data folder. */
typedef struct nb_font_dirs {
    char *dir[NB_FONT_DIRS_MAX];
    const char *what[NB_FONT_DIRS_MAX]; /* "beside the report", "yours", "the
                                           data folder's" (untranslated) */
    bool present[NB_FONT_DIRS_MAX];     /* the folder exists */
    size_t count;
} nb_font_dirs;

/* The font folders for `report` (NULL: none beside a report). */
nb_font_dirs nb_font_dirs_for(const char *report);
/* The folders the fonts stage is handed: those that exist, and always the
 * data folder's (which holds the default fonts.yaml). Returns their count;
 * out has room for NB_FONT_DIRS_MAX; the strings belong to fd. */
size_t nb_font_dirs_searched(const nb_font_dirs *fd, const char **out);
void nb_font_dirs_free(nb_font_dirs *fd);

#endif
