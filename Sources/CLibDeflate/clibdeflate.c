#include "clibdeflate.h"
#include <dlfcn.h>
#include <pthread.h>

/* Signatures from libdeflate 1.x (stable ABI, soname libdeflate.so.0). */
typedef void *(*alloc_fn)(void);
typedef void (*free_fn)(void *);
typedef int (*gunzip_ex_fn)(void *, const void *, size_t, void *, size_t, size_t *, size_t *);

static alloc_fn p_alloc;
static free_fn p_free;
static gunzip_ex_fn p_gunzip_ex;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void bind(void) {
    void *h = dlopen("libdeflate.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!h) return;
    alloc_fn a = (alloc_fn)dlsym(h, "libdeflate_alloc_decompressor");
    free_fn f = (free_fn)dlsym(h, "libdeflate_free_decompressor");
    gunzip_ex_fn g = (gunzip_ex_fn)dlsym(h, "libdeflate_gzip_decompress_ex");
    if (a && f && g) { p_alloc = a; p_free = f; p_gunzip_ex = g; }
}

int winnow_libdeflate_available(void) {
    pthread_once(&once, bind);
    return p_gunzip_ex != NULL;
}

void *winnow_libdeflate_alloc(void) {
    return winnow_libdeflate_available() ? p_alloc() : NULL;
}

void winnow_libdeflate_free(void *d) {
    if (d && p_free) p_free(d);
}

int winnow_libdeflate_gunzip_member(void *d, const void *in, size_t in_len, void *out, size_t out_cap,
                                    size_t *in_used, size_t *out_len) {
    if (!d || !p_gunzip_ex) return -1;
    return p_gunzip_ex(d, in, in_len, out, out_cap, in_used, out_len);
}
