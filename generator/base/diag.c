/* diag.c — see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>

#include "util.h"

static void add(nb_diags *d, nb_severity sev, nb_error_kind kind, nb_pos pos,
                const char *fmt, va_list ap)
{
    nb_buf msg = {0};
    nb_buf_vprintf(&msg, fmt, ap);
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

char *nb_diag_format(const nb_diag *diag)
{
    nb_buf b = {0};
    if (diag->pos.file) {
        nb_buf_puts(&b, diag->pos.file);
        if (diag->pos.line > 0) {
            nb_buf_printf(&b, ":%d", diag->pos.line);
            if (diag->pos.col > 0)
                nb_buf_printf(&b, ":%d", diag->pos.col);
        }
        nb_buf_puts(&b, ": ");
    } else {
        nb_buf_puts(&b, "nianbao: ");
    }
    if (diag->severity == NB_WARNING)
        nb_buf_puts(&b, "warning: ");
    nb_buf_puts(&b, diag->message);
    return nb_buf_detach(&b);
}

void nb_diags_print(const nb_diags *d, FILE *out)
{
    for (size_t i = 0; i < d->count; i++) {
        char *line = nb_diag_format(&d->items[i]);
        fprintf(out, "%s\n", line);
        free(line);
    }
}

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
