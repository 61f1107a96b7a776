/* fuzz_markup.c — libFuzzer harness for the markup parser (markup.h).
 *
 * The markup is what a template rendered from a clerk's text: pasted Word
 * text, stray asterisks, half a table image. Any bytes must give either a
 * document or a message, and every block of a document must be well formed
 * (its spans' text readable to their stated length).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "markup.h"

/* Reads land here, so the compiler keeps them and the sanitizer checks them. */
static volatile unsigned char sink;

static void read_document(const nb_document *doc, nb_arena *a)
{
    for (size_t i = 0; i < doc->count; i++) {
        const nb_block *b = &doc->blocks[i];
        for (size_t k = 0; k < b->count; k++) {
            /* Both ends, so the sanitizer sees a span that lies. */
            const nb_span *s = &b->spans[k];
            if (s->len)
                sink ^= (unsigned char)(s->text[0] ^ s->text[s->len - 1]);
        }
        (void)nb_block_text(b, a);
        if (b->kind == NB_BLOCK_TABLE && b->table_id)
            sink ^= (unsigned char)strlen(b->table_id);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    nb_arena arena = {0};
    nb_diags diags = {0};
    nb_document doc = {0};
    if (nb_markup_parse("fuzz.md", (const char *)data, size, &doc, &arena, &diags))
        read_document(&doc, &arena);
    for (size_t i = 0; i < diags.count; i++)
        free(nb_diag_format(&diags.items[i]));
    nb_document_free(&doc);
    nb_diags_free(&diags);
    nb_arena_free(&arena);
    return 0;
}
