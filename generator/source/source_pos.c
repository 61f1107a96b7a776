/* source_pos.c — positions inside a scalar (source.h): where a character of
 * a value is in the file, for messages that point into a paragraph. */
#include "source.h"

static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

typedef struct cursor {
    const char *s;
    size_t len, at;
    nb_pos pos;
} cursor;

/* One byte on: a line break starts the next line; the first byte of each
 * character counts a column (libyaml counts columns in characters). */
static void step(cursor *c)
{
    unsigned char b = (unsigned char)c->s[c->at++];
    if (b == '\n') {
        c->pos.line++;
        c->pos.col = 1;
    } else if (b != '\r' && (b & 0xC0) != 0x80) {
        c->pos.col++;
    }
}

nb_pos nb_scalar_source_pos(const nb_node *n, size_t off)
{
    if (!n->source)
        return n->pos;
    cursor c = {n->source, n->source_len, 0, n->pos};
    while (c.at < off && c.at < c.len)
        step(&c);
    return c.pos;
}

/* The cursor at the first character of the scalar's text: after the
 * opening quote, or on the line after a block scalar's `|` or `>`. */
static void skip_to_text(cursor *c, const nb_node *n)
{
    if (n->style == NB_QUOTED && c->len)
        step(c);
    if (n->style == NB_BLOCK) {
        while (c->at < c->len && c->s[c->at] != '\n')
            step(c);
        if (c->at < c->len)
            step(c);
    }
}

nb_pos nb_scalar_text_pos(const nb_node *n, size_t off)
{
    if (!n->source)
        return n->pos;
    cursor c = {n->source, n->source_len, 0, n->pos};
    skip_to_text(&c, n);
    /* whitespace matches any whitespace (YAML folds line breaks and drops
     * indentation); an escape sequence parts the two ways, and then the
     * scalar's start is the best there is */
    for (size_t tp = 0; tp < off && tp < n->len; tp++) {
        if (is_space(n->text[tp]))
            continue;
        while (c.at < c.len && is_space(c.s[c.at]))
            step(&c);
        if (c.at >= c.len || c.s[c.at] != n->text[tp])
            return n->pos;
        step(&c);
    }
    while (c.at < c.len && is_space(c.s[c.at]))
        step(&c);
    return c.pos;
}
