/* watch.h — `nianbao preview --watch`: rebuild a draft on every save. */
#ifndef NB_WATCH_H
#define NB_WATCH_H

#include "build.h"

/* Build `input` now and again after every save of it, of a template or of a
 * font file, printing one line per rebuild. Runs until interrupted. */
int nb_watch(const nb_build_options *o, const char *input);

#endif
