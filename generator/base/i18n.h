/* i18n.h — translation of the messages a user reads (GNU gettext).
 *
 * Messages are written in English. The diagnostic functions of diag.h look
 * up their format string in the catalog themselves, so a call site writes
 * nb_error(d, pos, "...") with no marker; xgettext finds those strings by
 * the functions' names (po/CMakeLists.txt). Strings printed any other way
 * (help texts, summaries, the words a message inserts with %s) are marked:
 * _("...") where the string is used, N_("...") where it is only defined and
 * is translated later with _(). The program binds the catalog (cli/main.c);
 * a library user who does not gets the English text. */
#ifndef NB_I18N_H
#define NB_I18N_H

#include <libintl.h>

#define NB_TEXTDOMAIN "nianbao"

/* The translation of msgid in the catalog of the user's language. */
const char *nb_gettext(const char *msgid) __attribute__((format_arg(1)));

#define _(msgid) nb_gettext(msgid)
#define N_(msgid) (msgid)

#endif
