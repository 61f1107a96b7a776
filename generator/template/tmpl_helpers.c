/* tmpl_helpers.c — the report helpers of `{{name | helper args}}`.
 *
 * Each takes the value on its left and gives a text to print (or to pipe to
 * the next helper). A value a helper cannot use — text where a number is
 * needed, a date that does not exist, a division by zero — is an error at the
 * tag, never an empty string in the report.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tmpl_impl.h"

static bool fail(helper_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static bool fail(helper_ctx *c, const char *fmt, ...)
{
    nb_buf msg = {0};
    va_list ap;
    va_start(ap, fmt);
    nb_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    c->error = nb_arena_strdup(c->a, nb_buf_str(&msg));
    nb_buf_free(&msg);
    return false;
}

/* ---- reading numbers ---- */
static bool number_of(helper_ctx *c, const tval *v, nb_dec *out)
{
    if (v->node && v->node->kind != NB_NODE_SCALAR)
        return fail(c, "'%s' needs a number, but '%s' is %s", c->helper, v->origin,
                    nb_value_type_name(nb_node_type(v->node)));
    long long i;
    if (v->node && nb_node_int(v->node, &i))
        return nb_dec_from_int(i, out);
    if (!v->text || !*v->text)
        return fail(c, "'%s' needs a number, but '%s' is empty", c->helper, v->origin);
    if (nb_dec_parse(v->text, out))
        return true;
    return fail(c, "'%s' needs a number, but '%s' is '%s'", c->helper, v->origin,
                v->text);
}

static bool is_plain_decimal(const char *s)
{
    if (*s == '-' || *s == '+')
        s++;
    size_t whole = strspn(s, "0123456789");
    if (!whole)
        return false;
    s += whole;
    if (*s == '.' && s[1])
        s += 1 + strspn(s + 1, "0123456789");
    return *s == '\0';
}

static bool set(tval *out, const char *text, const char *origin)
{
    *out = (tval){.text = text, .origin = origin};
    return true;
}

/* ---- numbers ---- */
/* 135000 -> 135,000; decimals stay as written (1234.50 -> 1,234.50). */
static bool h_grouped(helper_ctx *c, const tval *in, const tval *args, tval *out)
{
    (void)args;
    nb_dec x;
    if (!number_of(c, in, &x))
        return false;
    const char *written = in->node ? in->node->text : in->text;
    const char *s = is_plain_decimal(written) ? written : nb_dec_format_short(x, c->a);
    nb_buf b = {0};
    if (*s == '-' || *s == '+')
        nb_buf_putc(&b, *s++);
    size_t whole = strspn(s, "0123456789");
    for (size_t i = 0; i < whole; i++) {
        if (i > 0 && (whole - i) % 3 == 0)
            nb_buf_putc(&b, ',');
        nb_buf_putc(&b, s[i]);
    }
    nb_buf_puts(&b, s + whole);
    set(out, nb_arena_strdup(c->a, nb_buf_str(&b)), "grouped");
    nb_buf_free(&b);
    return true;
}

/* 20 | fixed 2 -> 20.00; halves round away from zero (2.675 -> 2.68). */
static bool h_fixed(helper_ctx *c, const tval *in, const tval *args, tval *out)
{
    nb_dec x, r;
    if (!number_of(c, in, &x))
        return false;
    if (!nb_dec_round(x, atoi(args[0].text), NB_ROUND_HALF_UP, &r))
        return fail(c, "'%s' is too large a number for 'fixed'", in->origin);
    return set(out, nb_dec_format(r, c->a), "fixed");
}

static bool percent_with(helper_ctx *c, const tval *in, const tval *args, tval *out,
                         nb_rounding mode)
{
    nb_dec x, y, r;
    if (!number_of(c, in, &x) || !number_of(c, &args[0], &y))
        return false;
    if (nb_dec_is_zero(y))
        return fail(c, "'%s' divides by zero: the divisor '%s' is %s", c->helper,
                    args[0].origin, args[0].text);
    if (!nb_dec_percent(x, y, atoi(args[1].text), mode, &r))
        return fail(c, "the numbers given to '%s' are too large", c->helper);
    return set(out, nb_arena_printf(c->a, "%s%%", nb_dec_format(r, c->a)), c->helper);
}

/* a | percent b 1 -> a/b*100 with 1 decimal, halves rounded up, then '%'. */
static bool h_percent(helper_ctx *c, const tval *in, const tval *args, tval *out)
{
    return percent_with(c, in, args, out, NB_ROUND_HALF_UP);
}

static bool h_percent_floor(helper_ctx *c, const tval *in, const tval *args, tval *out)
{
    return percent_with(c, in, args, out, NB_ROUND_FLOOR);
}

static bool h_percent_ceil(helper_ctx *c, const tval *in, const tval *args, tval *out)
{
    return percent_with(c, in, args, out, NB_ROUND_CEIL);
}

static bool add_with_sign(helper_ctx *c, const tval *in, const tval *arg, tval *out,
                          bool subtract)
{
    nb_dec x, y, r;
    if (!number_of(c, in, &x) || !number_of(c, arg, &y))
        return false;
    if (subtract && y.mant)
        y.neg = !y.neg;
    if (!nb_dec_add(x, y, &r))
        return fail(c, "the numbers given to '%s' are too large", c->helper);
    return set(out, nb_dec_format(r, c->a), c->helper);
}

/* year | plus 1 -> 2018 for 2017. */
static bool h_plus(helper_ctx *c, const tval *in, const tval *args, tval *out)
{
    return add_with_sign(c, in, &args[0], out, false);
}

static bool h_minus(helper_ctx *c, const tval *in, const tval *args, tval *out)
{
    return add_with_sign(c, in, &args[0], out, true);
}

/* ---- Chinese numerals: 一 二 … 十 十一 … 二十 … 一百零一 … ---- */
static void cn_small(nb_buf *b, unsigned n, bool leading)
{
    static const char *const digit[] = {"零", "一", "二", "三", "四",
                                        "五", "六", "七", "八", "九"};
    static const char *const unit[] = {"千", "百", "十", ""};
    static const unsigned place[] = {1000, 100, 10, 1};
    bool started = false, zero = false;
    for (int i = 0; i < 4; i++) {
        unsigned d = n / place[i] % 10;
        if (d == 0) {
            zero = started;
            continue;
        }
        if (zero)
            nb_buf_puts(b, "零");
        zero = false;
        /* 十一, not 一十一, when the number starts with its tens */
        if (!(d == 1 && i == 2 && !started && leading))
            nb_buf_puts(b, digit[d]);
        nb_buf_puts(b, unit[i]);
        started = true;
    }
}

static bool h_cn(helper_ctx *c, const tval *in, const tval *args, tval *out)
{
    (void)args;
    nb_dec x, whole;
    if (!number_of(c, in, &x))
        return false;
    nb_dec_round(x, 0, NB_ROUND_FLOOR, &whole);
    nb_dec back;
    nb_dec_round(whole, x.scale, NB_ROUND_FLOOR, &back);
    if (x.neg || back.mant != x.mant || whole.mant >= 100000000)
        return fail(c, "'cn' writes whole numbers from 0 to 99999999 in Chinese "
                    "numerals, but '%s' is '%s'", in->origin, in->text);
    unsigned long n = (unsigned long)whole.mant;
    nb_buf b = {0};
    if (n == 0)
        nb_buf_puts(&b, "零");
    if (n >= 10000) {
        cn_small(&b, (unsigned)(n / 10000), true);
        nb_buf_puts(&b, "万");
        if (n % 10000 && n % 10000 < 1000)
            nb_buf_puts(&b, "零");
    }
    if (n % 10000)
        cn_small(&b, (unsigned)(n % 10000), n < 10000);
    set(out, nb_arena_strdup(c->a, nb_buf_str(&b)), "cn");
    nb_buf_free(&b);
    return true;
}

/* ---- dates: 2018-03-19 -> 2018年3月19日 ---- */
static int days_in_month(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

static bool read_part(const char **s, int min_digits, int max_digits, int *out)
{
    int n = 0, v = 0;
    while (**s >= '0' && **s <= '9' && n < max_digits) {
        v = v * 10 + (*(*s)++ - '0');
        n++;
    }
    *out = v;
    return n >= min_digits;
}

static bool h_date_cn(helper_ctx *c, const tval *in, const tval *args, tval *out)
{
    (void)args;
    const char *s = in->text ? in->text : "";
    int y, m, d = 0;
    bool has_day = false;
    bool ok = read_part(&s, 4, 4, &y) && *s++ == '-' && read_part(&s, 1, 2, &m);
    if (ok && *s == '-') {
        s++;
        has_day = read_part(&s, 1, 2, &d);
        ok = has_day;
    }
    if (!ok || *s || (in->node && in->node->kind != NB_NODE_SCALAR))
        return fail(c, "'date_cn' needs a date written like 2018-03-19 (or a month, "
                    "2018-03), but '%s' is '%s'", in->origin, in->text ? in->text : "");
    if (m < 1 || m > 12)
        return fail(c, "'%s' is not a date: there is no month %d", in->text, m);
    if (has_day && (d < 1 || d > days_in_month(y, m)))
        return fail(c, "'%s' is not a date: %d-%02d has %d days", in->text, y, m,
                    days_in_month(y, m));
    const char *text = has_day ? nb_arena_printf(c->a, "%d年%d月%d日", y, m, d)
                               : nb_arena_printf(c->a, "%d年%d月", y, m);
    return set(out, text, "date_cn");
}

/* ---- the table ---- */
static const tn_helper helpers[] = {
    {"grouped", 0, "grouped", "", h_grouped},
    {"fixed", 1, "fixed DECIMALS", "d", h_fixed},
    {"percent", 2, "percent DIVISOR DECIMALS", "vd", h_percent},
    {"percent_floor", 2, "percent_floor DIVISOR DECIMALS", "vd", h_percent_floor},
    {"percent_ceil", 2, "percent_ceil DIVISOR DECIMALS", "vd", h_percent_ceil},
    {"plus", 1, "plus NUMBER", "v", h_plus},
    {"minus", 1, "minus NUMBER", "v", h_minus},
    {"cn", 0, "cn", "", h_cn},
    {"date_cn", 0, "date_cn", "", h_date_cn},
};

const tn_helper *nb_tmpl_find_helper(const char *name)
{
    for (size_t i = 0; i < sizeof helpers / sizeof helpers[0]; i++)
        if (strcmp(helpers[i].name, name) == 0)
            return &helpers[i];
    return NULL;
}

const char *nb_tmpl_helper_names(void)
{
    return "grouped, fixed, percent, percent_floor, percent_ceil, plus, minus, cn, "
           "date_cn";
}
