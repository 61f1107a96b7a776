/* diag.c — see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>

#include "i18n.h"
#include "util.h"

const char *nb_gettext(const char *msgid)
{
    /* gettext("") would be the catalog's header */
    return msgid && *msgid ? dgettext(NB_TEXTDOMAIN, msgid) : msgid;
}

static void add(nb_diags *d, nb_severity sev, nb_error_kind kind, nb_pos pos,
                const char *fmt, va_list ap)
{
    nb_buf msg = {0};
    nb_buf_vprintf(&msg, _(fmt), ap);
    NB_GROW(d->items, d->count, d->cap);
    d->items[d->count++] = (nb_diag){sev, kind, pos, nb_buf_detach(&msg)};
    if (sev == NB_ERROR) {
        d->errors++;
        if (kind == NB_KIND_RULE)
            d->rule_errors++;
    }
}

void nb_error(nb_diags *d, nb_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(d, NB_ERROR, NB_KIND_INPUT, pos, fmt, ap);
    va_end(ap);
}

void nb_verror(nb_diags *d, nb_pos pos, const char *fmt, va_list ap)
{
    add(d, NB_ERROR, NB_KIND_INPUT, pos, fmt, ap);
}

void nb_rule_error(nb_diags *d, nb_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(d, NB_ERROR, NB_KIND_RULE, pos, fmt, ap);
    va_end(ap);
}

void nb_warning(nb_diags *d, nb_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(d, NB_WARNING, NB_KIND_INPUT, pos, fmt, ap);
    va_end(ap);
}

void nb_note(nb_diags *d, nb_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add(d, NB_NOTE, NB_KIND_INPUT, pos, fmt, ap);
    va_end(ap);
}

void nb_diag_copy(nb_diags *d, const nb_diag *g)
{
    NB_GROW(d->items, d->count, d->cap);
    d->items[d->count++] = (nb_diag){g->severity, g->kind, g->pos, nb_xstrdup(g->message)};
    if (g->severity == NB_ERROR) {
        d->errors++;
        if (g->kind == NB_KIND_RULE)
            d->rule_errors++;
    }
}

/* The terminal's colours of GCC's messages (SGR codes). */
#define COLOUR_PLACE "\033[1m"
#define COLOUR_ERROR "\033[1;31m"
#define COLOUR_WARNING "\033[1;35m"
#define COLOUR_NOTE "\033[1;36m"
#define COLOUR_END "\033[0m"

static void put_place(nb_buf *b, const nb_pos *pos, bool colour)
{
    if (colour)
        nb_buf_puts(b, COLOUR_PLACE);
    if (pos->file) {
        nb_buf_puts(b, pos->file);
        if (pos->line > 0) {
            nb_buf_printf(b, ":%d", pos->line);
            if (pos->col > 0)
                nb_buf_printf(b, ":%d", pos->col);
        }
        nb_buf_puts(b, ":");
    } else {
        nb_buf_puts(b, "nianbao:");
    }
    nb_buf_puts(b, colour ? COLOUR_END " " : " ");
}

static void put_label(nb_buf *b, nb_severity sev, bool colour)
{
    /* the space is part of the label: a Chinese label ends in '：' */
    const char *label = sev == NB_ERROR     ? _("error: ")
                        : sev == NB_WARNING ? _("warning: ")
                                            : _("note: ");
    if (colour)
        nb_buf_puts(b, sev == NB_ERROR     ? COLOUR_ERROR
                       : sev == NB_WARNING ? COLOUR_WARNING
                                           : COLOUR_NOTE);
    nb_buf_puts(b, label);
    if (colour)
        nb_buf_puts(b, COLOUR_END);
}

char *nb_diag_format(const nb_diag *diag)
{
    nb_buf b = {0};
    put_place(&b, &diag->pos, false);
    if (diag->severity != NB_ERROR)
        put_label(&b, diag->severity, false);
    nb_buf_puts(&b, diag->message);
    return nb_buf_detach(&b);
}

char *nb_diag_format_labelled(const nb_diag *diag, bool colour)
{
    nb_buf b = {0};
    put_place(&b, &diag->pos, colour);
    put_label(&b, diag->severity, colour);
    nb_buf_puts(&b, diag->message);
    return nb_buf_detach(&b);
}

void nb_diags_print_styled(const nb_diags *d, FILE *out, bool colour)
{
    for (size_t i = 0; i < d->count; i++) {
        char *line = nb_diag_format_labelled(&d->items[i], colour);
        fprintf(out, "%s\n", line);
        free(line);
    }
}

void nb_diags_print(const nb_diags *d, FILE *out) { nb_diags_print_styled(d, out, false); }

int nb_diags_exit_status(const nb_diags *d)
{
    if (d->errors > d->rule_errors)
        return 2;
    return d->rule_errors ? 1 : 0;
}

void nb_diags_free(nb_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        free(d->items[i].message);
    free(d->items);
    *d = (nb_diags){0};
}
