#ifndef CLIBDEFLATE_H
#define CLIBDEFLATE_H
/* libdeflate, loaded at run time. Debian's image ships the runtime library (libdeflate0) but not
   its headers, so we bind the three entry points we use with dlopen. When the library is absent
   every call reports unavailability and callers fall back to zlib. */
#include <stddef.h>

/* 1 when libdeflate.so.0 was found and bound. Thread-safe, idempotent. */
int winnow_libdeflate_available(void);

/* Opaque decompressor; NULL when libdeflate is unavailable. One per thread. */
void *winnow_libdeflate_alloc(void);
void winnow_libdeflate_free(void *d);

/* Decompresses ONE gzip member from `in`. Returns 0 on success, 1 bad data, 2 short output (grow
   `out` and retry), 3 insufficient space, -1 unavailable. On success `*in_used` and `*out_len` are set. */
int winnow_libdeflate_gunzip_member(void *d, const void *in, size_t in_len, void *out, size_t out_cap,
                                    size_t *in_used, size_t *out_len);
#endif
