/* fonts_cache.h — what fontconfig answered about font families, kept between
 * runs, so that a build does not start fontconfig at all.
 *
 * Starting fontconfig (FcInit) reads and parses its whole XML
 * configuration, some forty files: about a quarter of the time of building
 * the sample report. Its answers to fonts.yaml — which file holds family X —
 * change only when fonts are installed or removed or the configuration
 * changes. So the answers are kept in $XDG_CACHE_HOME/nianbao/fonts.cache
 * (~/.cache/nianbao/ without XDG_CACHE_HOME) with a stamp of everything
 * fontconfig read: each configuration file and folder and each font folder
 * (its inode, size and modification time; folders change when a font is
 * added or removed), also those that do not exist yet (a user's
 * ~/.local/share/fonts), and the environment variables that steer
 * fontconfig. The answers are used only while every part of the stamp is
 * unchanged — the test fontconfig itself makes of its own caches.
 * Anything else (no cache, a stale or damaged one, an unwritable folder)
 * falls back to asking fontconfig; the cache never changes an answer.
 */
#ifndef NB_FONTCACHE_H
#define NB_FONTCACHE_H

#include <stdbool.h>

typedef struct nb_fontcache nb_fontcache;

/* One answer: the file and face fontconfig chose for a family (file NULL
 * when it has none), and whether the family exists only with CFF outlines. */
typedef struct nb_fontcache_answer {
    const char *file;
    int index;
    bool only_cff;
} nb_fontcache_answer;

/* The cache as the last run left it, if it is still valid; an empty cache
 * otherwise. Never NULL. */
nb_fontcache *nb_fontcache_open(void);
/* The answer for `family` (and `style`, NULL for none) if the cache has it;
 * the strings are valid until nb_fontcache_close. */
bool nb_fontcache_get(nb_fontcache *c, const char *family, const char *style,
                      nb_fontcache_answer *answer);
/* Remember what fontconfig answered (fontconfig has been started by then). */
void nb_fontcache_put(nb_fontcache *c, const char *family, const char *style,
                      const nb_fontcache_answer *answer);
/* Write the cache if answers were added, and free it. Failures to write are
 * silent: the next run asks fontconfig again. */
void nb_fontcache_close(nb_fontcache *c);

#endif
