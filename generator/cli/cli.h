/* cli.h — the subcommands of the nianbao program, one function each.
 *
 * main.c only dispatches on argv[1]; each command parses its own options and
 * returns the process exit status: 0 success, 1 the report breaks a rule of
 * its format, 2 bad usage or input that cannot be read.
 */
#ifndef NB_CLI_H
#define NB_CLI_H

/* argv[0] is the command name ("build"), argv[1..] its arguments. */
int nb_cli_build(int argc, char **argv);   /* cli_build.c */
int nb_cli_preview(int argc, char **argv); /* cli_build.c */
int nb_cli_check(int argc, char **argv);   /* cli_check.c */
int nb_cli_init(int argc, char **argv);    /* cli_init.c */
int nb_cli_render(int argc, char **argv);  /* cli_render.c */
int nb_cli_fonts(int argc, char **argv);   /* cli_fonts.c */

/* The data folder (nb_data_dir()) and the font folders. */
#include "datadir.h"

#endif
