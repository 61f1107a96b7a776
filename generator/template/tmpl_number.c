/* tmpl_number.c — exact decimal arithmetic for the report helpers.
 *
 * A report's figures are decimals as the clerk wrote them; binary floating
 * point would turn 2.675 into 2.67499… and round it the wrong way, and a
 * percentage of exactly 12.5 must round up. So numbers are kept as an
 * integer mantissa and a count of decimals, and every rounding is done on
 * the exact remainder.
 */
#include <string.h>

#include "tmpl_impl.h"

enum { MAX_DIGITS = 36 }; /* 10^36 < 2^128 / 100 leaves room for one more step */

static const nb_u128 U128_MAX = ~(nb_u128)0;

static bool mul(nb_u128 a, nb_u128 b, nb_u128 *out)
{
    if (a != 0 && b > U128_MAX / a)
        return false;
    *out = a * b;
    return true;
}

static bool pow_ten(int e, nb_u128 *out)
{
    nb_u128 r = 1;
    for (int i = 0; i < e; i++)
        if (!mul(r, 10, &r))
            return false;
    *out = r;
    return e >= 0;
}

static bool scale_up(nb_u128 m, int by, nb_u128 *out)
{
    nb_u128 p;
    return pow_ten(by, &p) && mul(m, p, out);
}

bool nb_dec_is_zero(nb_dec x) { return x.mant == 0; }

static int digits_of(const char **s, nb_u128 *mant, int *count, bool *overflow)
{
    int n = 0;
    while (**s >= '0' && **s <= '9') {
        if (*mant != 0 || **s != '0')
            (*count)++;
        if (*count > MAX_DIGITS)
            *overflow = true;
        else
            *mant = *mant * 10 + (nb_u128)(**s - '0');
        (*s)++;
        n++;
    }
    return n;
}

static bool exponent(const char **s, int *e)
{
    if (**s != 'e' && **s != 'E')
        return true;
    (*s)++;
    int sign = 1;
    if (**s == '-' || **s == '+')
        sign = *(*s)++ == '-' ? -1 : 1;
    if (!(**s >= '0' && **s <= '9'))
        return false;
    int v = 0;
    while (**s >= '0' && **s <= '9') {
        if (v < 1000)
            v = v * 10 + (*(*s)++ - '0');
        else
            (*s)++;
    }
    *e = sign * v;
    return true;
}

bool nb_dec_parse(const char *s, nb_dec *out)
{
    nb_dec x = {0};
    if (*s == '-' || *s == '+')
        x.neg = *s++ == '-';
    int count = 0, e = 0;
    bool overflow = false;
    int whole = digits_of(&s, &x.mant, &count, &overflow);
    int frac = 0;
    if (*s == '.') {
        s++;
        frac = digits_of(&s, &x.mant, &count, &overflow);
    }
    if (whole + frac == 0 || overflow || !exponent(&s, &e) || *s)
        return false;
    x.scale = frac - e;
    if (x.scale < 0) {
        if (!scale_up(x.mant, -x.scale, &x.mant))
            return false;
        x.scale = 0;
    }
    if (x.scale > MAX_DIGITS)
        return false;
    if (x.mant == 0)
        x.neg = false;
    *out = x;
    return true;
}

bool nb_dec_from_int(long long v, nb_dec *out)
{
    out->neg = v < 0;
    out->mant = v < 0 ? (nb_u128)(-(v + 1)) + 1 : (nb_u128)v;
    out->scale = 0;
    return true;
}

/* q and r are the quotient and remainder of a magnitude by `div`; step q
 * away from zero when the rounding mode asks for it. */
static nb_u128 rounded(nb_u128 q, nb_u128 r, nb_u128 div, bool neg, nb_rounding mode)
{
    if (r == 0)
        return q;
    switch (mode) {
    case NB_ROUND_HALF_UP:
        return r >= div - r ? q + 1 : q; /* r/div >= 1/2, without overflow */
    case NB_ROUND_FLOOR:
        return neg ? q + 1 : q;
    case NB_ROUND_CEIL:
        return neg ? q : q + 1;
    }
    return q;
}

bool nb_dec_round(nb_dec x, int decimals, nb_rounding mode, nb_dec *out)
{
    nb_dec r = {.neg = x.neg, .scale = decimals};
    if (decimals >= x.scale) {
        if (!scale_up(x.mant, decimals - x.scale, &r.mant))
            return false;
    } else {
        nb_u128 div;
        if (!pow_ten(x.scale - decimals, &div))
            return false;
        r.mant = rounded(x.mant / div, x.mant % div, div, x.neg, mode);
    }
    if (r.mant == 0)
        r.neg = false;
    *out = r;
    return true;
}

bool nb_dec_percent(nb_dec x, nb_dec y, int decimals, nb_rounding mode, nb_dec *out)
{
    /* x/y*100 at `decimals` places = x.mant*10^(y.scale+2+decimals) /
     * (y.mant*10^x.scale) */
    nb_u128 num, den;
    if (y.mant == 0 || !scale_up(x.mant, y.scale + 2 + decimals, &num) ||
        !scale_up(y.mant, x.scale, &den))
        return false;
    bool neg = x.neg != y.neg;
    nb_dec r = {.neg = neg, .scale = decimals};
    r.mant = rounded(num / den, num % den, den, neg, mode);
    if (r.mant == 0)
        r.neg = false;
    *out = r;
    return true;
}

bool nb_dec_add(nb_dec x, nb_dec y, nb_dec *out)
{
    int scale = x.scale > y.scale ? x.scale : y.scale;
    nb_u128 a, b;
    if (!scale_up(x.mant, scale - x.scale, &a) || !scale_up(y.mant, scale - y.scale, &b))
        return false;
    nb_dec r = {.scale = scale};
    if (x.neg == y.neg) {
        if (a > U128_MAX - b)
            return false;
        r.mant = a + b;
        r.neg = x.neg;
    } else if (a >= b) {
        r.mant = a - b;
        r.neg = x.neg;
    } else {
        r.mant = b - a;
        r.neg = y.neg;
    }
    if (r.mant == 0)
        r.neg = false;
    *out = r;
    return true;
}

char *nb_dec_format(nb_dec x, nb_arena *a)
{
    char digits[64];
    int n = 0;
    nb_u128 m = x.mant;
    do {
        digits[n++] = (char)('0' + (int)(m % 10));
        m /= 10;
    } while (m);
    while (n <= x.scale)
        digits[n++] = '0';
    char out[80];
    int k = 0;
    if (x.neg && x.mant)
        out[k++] = '-';
    for (int i = n - 1; i >= 0; i--) {
        out[k++] = digits[i];
        if (i == x.scale && i > 0)
            out[k++] = '.';
    }
    out[k] = '\0';
    return nb_arena_strdup(a, out);
}

char *nb_dec_format_short(nb_dec x, nb_arena *a)
{
    while (x.scale > 0 && x.mant % 10 == 0) {
        x.mant /= 10;
        x.scale--;
    }
    return nb_dec_format(x, a);
}

const char *nb_tmpl_plain_text(const nb_node *n, nb_arena *a)
{
    if (!n)
        return "";
    if (n->kind != NB_NODE_SCALAR)
        return NULL;
    nb_value_type t = nb_node_type(n);
    if (t == NB_TYPE_NULL)
        return "";
    nb_dec x;
    if (t == NB_TYPE_FLOAT && nb_dec_parse(n->text, &x))
        return nb_dec_format_short(x, a);
    return n->text;
}
