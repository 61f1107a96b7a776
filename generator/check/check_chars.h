/* check_chars.h — the characters a report may hold.
 *
 * Every character of every value (and key) of the report is one the build
 * can set, whatever fonts are installed, or the check says where it is —
 * at the report's own line:column, of the character or of the escape
 * (`"\x07"`, `"\0"`, `"\u202e"`) that wrote it — and what it is, once per
 * value, naming U+XXXX. Refused:
 *   - control characters (C0 but the line break, DEL, C1), the escaped NUL
 *     (which would end the text there) and the tab;
 *   - direction controls (U+200E/200F, 202A–202E, 2066–2069, 061C) and other
 *     invisible formatting (U+200B–200D, 2060–2064, FEFF, soft hyphen), the
 *     line and paragraph separators U+2028/2029;
 *   - non-characters (U+FDD0–FDEF, U+xxFFFE/xxFFFF), surrogates, private
 *     use (U+E000–F8FF, planes 15 and 16);
 *   - everything outside the accepted set below (emoji, Arabic, Hebrew,
 *     Thai, kana, Hangul, dingbats, …).
 * Accepted — what a Chinese government report prints: see the table
 * `accepted` in check_chars.c (Chinese characters of all CJK blocks, CJK
 * and full-width punctuation, ASCII, Latin letters with pinyin tones,
 * Greek, Cyrillic, and the common signs: ° × ÷ ‰ ℃ № Ⅰ ① ≤ → ■ ★ ㎡ ㈠).
 * Whether a font has each glyph is the build's concern (fonts).
 */
#ifndef NB_CHECK_CHARS_H
#define NB_CHECK_CHARS_H

#include <stdint.h>

#include "diag.h"
#include "source.h"

/* Check every scalar under `data`; an input error for each value that
 * holds a character outside the policy. */
void nb_check_characters(const nb_node *data, nb_diags *d);

/* Why `cp` cannot be in a report's text ("a control character", …), or
 * NULL when it may. */
const char *nb_character_refused(uint32_t cp);

#endif
