/* xlsx_lib.c — see xlsx_lib.h. */
#define _POSIX_C_SOURCE 200809L
#define NB_LXW_DIRECT /* the real names here, to look them up */
#include "xlsx_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>

#include "xlsx.h"

nb_lxw_api nb_lxw;

static const char library[] = "libxlsxwriter.so." LXW_SOVERSION;

/* `started` and `loader` are set by the thread that calls nb_xlsx_preload
 * first; the loader writes the table, `loaded` and `load_error`, read once
 * it has been joined — by whichever thread waits first, once. */
static pthread_t loader;
static bool started, threaded, loaded;
static char load_error[512];
static pthread_once_t joined = PTHREAD_ONCE_INIT;

static void *load(void *unused)
{
    (void)unused;
    void *h = dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(load_error, sizeof load_error, "cannot open %s: %s", library, dlerror());
        return NULL;
    }
    const char *missing = NULL;
#define NB_LXW_LOOK_UP(name)                                                  \
    if (!(*(void **)&nb_lxw.name = dlsym(h, #name)) && !missing)                \
        missing = #name;
    NB_LXW_FUNCTIONS(NB_LXW_LOOK_UP)
#undef NB_LXW_LOOK_UP
    if (missing) {
        snprintf(load_error, sizeof load_error, "%s has no function %s (nianbao was built "
                 "for libxlsxwriter %s)", library, missing, LXW_VERSION);
        return NULL;
    }
    loaded = true;
    return NULL;
}

void nb_xlsx_preload(void)
{
    if (started)
        return;
    started = true;
    threaded = pthread_create(&loader, NULL, load, NULL) == 0;
    if (!threaded)
        load(NULL); /* no thread: now, here */
}

static void join_loader(void)
{
    if (threaded)
        pthread_join(loader, NULL);
}

bool nb_xlsx_library_ready(const char **why)
{
    nb_xlsx_preload();
    pthread_once(&joined, join_loader);
    if (!loaded && why)
        *why = load_error;
    return loaded;
}

bool nb_xlsx_ready(void) { return nb_xlsx_library_ready(NULL); }
