/* layout_linebreak.h — Chinese line composition (clreq): where the lines of a
 * paragraph break, and how each line is adjusted to fill its measure.
 *
 * A pure function from a sequence of characters with their advances to break
 * positions and per-line spacing: no fonts, no pages, so every rule can be
 * tested with invented widths. The rules:
 *
 * - a line never starts with a closing or pause mark (，。、；：？！）》」’”…—%
 *   and their half-width forms) and never ends with an opening one (（《「‘“);
 * - a number, a Latin word, a phone number (0736-6620322) is not split, and a
 *   number keeps the character after it (its unit: 135000条) where it fits;
 *   ——, …… are never split;
 * - a violation is repaired inside the measure, never by overflowing it:
 *   first by "pushing in" (setting full-width punctuation of the line at half
 *   width so that the offending mark still fits, the last hair of room taken
 *   from the spacing), else by "pushing out" (the last character goes down
 *   with it and the line is stretched);
 * - two adjacent full-width marks are set closer (。” → the 。 half-width);
 *   otherwise punctuation keeps its full-width box, and a mark that ends a
 *   line always does (when a break falls between two marks set closer, the
 *   room comes from marks inside the line, or the line is pushed out).
 *   "Half-width" takes a hair less than half an em, less the (negative) tracking, so that no
 *   glyph is overlapped by more than half an em: text extraction would read
 *   that as a new line;
 * - U+000A is a forced break; spaces at the end of a line hang in the margin.
 *
 * Positions inside a line: with `x` the pen position, character i is drawn at
 * x - trim_left[i] and the pen then moves by
 * advance - trim_left[i] - trim_right[i] + char_space. A line's `width` runs
 * from its first character's box to its last visible character's box.
 */
#ifndef NB_LINEBREAK_H
#define NB_LINEBREAK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct nb_lb_char {
    uint32_t cp;
    double advance; /* natural advance at the font size, pt */
} nb_lb_char;

typedef struct nb_lb_spec {
    double first_width; /* room on the first line, pt (an indent already taken off) */
    double width;       /* room on every later line, pt */
    double tracking;    /* space between neighbouring characters at rest, pt;
                           negative to set N characters of size S on a grid */
    double em;          /* the font size: a mark is compressible when its
                           advance is about one em */
    bool justify;       /* stretch every line but the last of the paragraph
                           and those ended by a forced break */
} nb_lb_spec;

typedef struct nb_lb_line {
    size_t start, end; /* characters [start, end), a forced break included */
    size_t ink_end;    /* end without the trailing spaces and forced break */
    double char_space; /* pt added after every character of the line */
    double width;      /* pt, from start to ink_end, with char_space */
    bool justified;    /* stretched to the full measure */
} nb_lb_line;

typedef struct nb_lb_result {
    nb_lb_line *lines;
    size_t nlines, cap;
    double *trim_left;  /* per character: blank removed on its left, pt */
    double *trim_right; /* per character: blank removed on its right, pt */
} nb_lb_result;

/* Break `c[0..n)` into lines. `out` must be zeroed or freed before. */
void nb_linebreak(const nb_lb_char *c, size_t n, const nb_lb_spec *spec,
                  nb_lb_result *out);

/* The same in the fewest lines, broken where the text reads best and then
 * with the lines as even as possible (titles, table headings): between
 * phrases first — after a pause or closing mark, before an opening one,
 * before a number (淮安市人民政府 / 2024年政府信息公开工作年度报告) — then
 * after a date's 年 or 月, anywhere else last; never leaving one character
 * alone when that can be helped. Lines are not justified. */
void nb_linebreak_balanced(const nb_lb_char *c, size_t n, const nb_lb_spec *spec,
                           nb_lb_result *out);
/* The same, but taking up to `max_lines` lines when a line more lets the
 * text break between phrases instead of inside a word (a table cell with
 * height to spare). */
void nb_linebreak_balanced_within(const nb_lb_char *c, size_t n, const nb_lb_spec *spec,
                                  size_t max_lines, nb_lb_result *out);

void nb_lb_result_free(nb_lb_result *r);

/* The widest piece of c[0..n) between two places a line may break: the
 * least measure that sets the text without breaking a word or a number. */
double nb_lb_widest_piece(const nb_lb_char *c, size_t n, double tracking);

/* The classes the rules are made of (exported for tests and table layout). */
bool nb_lb_no_line_start(uint32_t cp); /* closing and pause marks */
bool nb_lb_no_line_end(uint32_t cp);   /* opening marks */
bool nb_lb_is_forced_break(uint32_t cp);

#endif
