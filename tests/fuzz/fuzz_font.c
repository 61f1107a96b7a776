/* fuzz_font.c — libFuzzer harness for the font loader and subsetter with
 * damaged font files (fonts.h: nb_fonts_load, nb_face_subset, metrics,
 * outlines).
 *
 * The input is written as a font file named by every role of a fonts.yaml
 * in a private folder; what loads is asked about characters (coverage,
 * advances, outlines) and subset for embedding, twice (the second subset
 * comes from the face's cache). A damaged font must be refused with a
 * message, or load and subset without a crash, a leak or an endless loop.
 * Byte 0 chooses the file name's extension (.ttf or .otf: FreeType and
 * HarfBuzz look at the content, not the name, but nianbao's messages use
 * it); the characters asked for are the ideographs 一 … and the digits,
 * plus every pair of bytes at the input's end read as a code point.
 */
#define _POSIX_C_SOURCE 200809L
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fonts.h"
#include "util.h"

static char folder[] = "/tmp/nianbao-fuzz-font-XXXXXX";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    if (!mkdtemp(folder)) {
        perror("fuzz_font: mkdtemp");
        abort();
    }
    return 0;
}

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char *path = nb_path_join(dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len) {
        perror(path);
        abort();
    }
    fclose(f);
    free(path);
}

static void ignore_move(void *ctx, double x, double y) { (void)ctx, (void)x, (void)y; }
static void ignore_curve(void *ctx, double a, double b, double c, double d, double x, double y)
{
    (void)ctx, (void)a, (void)b, (void)c, (void)d, (void)x, (void)y;
}

/* The characters to ask about: common ideographs, digits, and code points
 * taken from the input's tail. */
static size_t characters(const uint8_t *data, size_t size, uint32_t *cps, size_t cap)
{
    size_t n = 0;
    for (uint32_t cp = 0x4E00; cp < 0x4E20 && n < cap; cp++)
        cps[n++] = cp;
    for (uint32_t cp = '0'; cp <= '9' && n < cap; cp++)
        cps[n++] = cp;
    for (size_t i = size >= 32 ? size - 32 : 0; i + 1 < size && n < cap; i += 2)
        cps[n++] = (uint32_t)data[i] << 8 | data[i + 1];
    return n;
}

static void use_face(const nb_fontset *fs, int face, const uint8_t *data, size_t size)
{
    uint32_t cps[64], drawn[64];
    unsigned gids[64];
    size_t n = characters(data, size, cps, 64), ndrawn = 0;
    nb_path_sink sink = {NULL, ignore_move, ignore_move, ignore_curve};
    for (size_t i = 0; i < n; i++) {
        unsigned gid = nb_face_glyph(fs, face, cps[i]);
        (void)nb_face_advance(fs, face, cps[i]);
        (void)nb_face_outline(fs, face, cps[i], &sink);
        bool seen = false;
        for (size_t k = 0; k < ndrawn; k++)
            seen = seen || drawn[k] == cps[i];
        if (gid != 0 && !seen) {
            drawn[ndrawn] = cps[i];
            gids[ndrawn++] = gid;
        }
    }
    for (int pass = 0; pass < 2 && ndrawn > 0; pass++) {
        const nb_font_program *prog = NULL;
        char *error = NULL;
        if (nb_face_subset(fs, face, drawn, gids, ndrawn, &prog, &error) &&
            (prog->len == 0 || prog->nglyphs != ndrawn))
            abort(); /* a subset that says it succeeded must hold a program */
        free(error);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *name = size > 0 && (data[0] & 1) ? "damaged.otf" : "damaged.ttf";
    write_file(folder, name, data, size);
    nb_buf map = {0};
    nb_buf_printf(&map, "xiaobiaosong: [%s]\nfangsong: [%s]\nhei: [%s]\nkai: [%s]\nsong: [%s]\n",
                  name, name, name, name, name);
    write_file(folder, "fonts.yaml", map.data, map.len);
    nb_buf_free(&map);
    nb_diags d = {0};
    nb_fontset *fs = nb_fonts_load(folder, &d);
    if (fs) {
        for (size_t face = 0; face < fs->nfaces; face++)
            use_face(fs, (int)face, data, size);
        nb_fonts_free(fs);
    } else if (d.errors == 0) {
        abort(); /* a refused font is always said why */
    }
    nb_diags_free(&d);
    return 0;
}
