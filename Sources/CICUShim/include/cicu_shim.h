#ifndef CICU_SHIM_H
#define CICU_SHIM_H
/* Plain-C facade over system ICU. No ICU type appears here: ICU's headers clash with the copy of
   ICU that Foundation carries, so they are included only in the .c file. */
#include <stdint.h>

/* ICU's version string, e.g. "72.1". */
const char *cicu_version(void);

/* Converts `len` bytes in `charset` to UTF-8 in `dst`, whose capacity `cap` must be at least
   4 * len + 16. Returns the number of bytes written, or -1 when the charset is unknown or the
   conversion failed. `substitutions` receives the count of undecodable
   sequences that were replaced with U+FFFD. */
int64_t cicu_to_utf8(const char *charset, const char *src, int64_t len,
                     char *dst, int64_t cap, int64_t *substitutions);

/* Content sniffing via ucsdet: writes the best charset name into `name` and returns its
   confidence 0-100, or -1 on failure. */
int32_t cicu_detect(const char *src, int32_t len, char *name, int32_t cap);

/* UTF-8 in, UTF-8 out: canonical decomposition (NFD) with every non-spacing mark (Mn)
   removed — "diacritics stripped". `cap` must be at least 3 * len + 16. Returns the bytes
   written, or -1 on failure (invalid UTF-8 is replaced by U+FFFD first). */
int64_t cicu_nfd_strip_marks(const char *src, int64_t len, char *dst, int64_t cap);

/* NFKC of UTF-8 text; `cap` >= 4 * len + 16 (NFKC can expand). Returns bytes or -1. */
int64_t cicu_nfkc(const char *src, int64_t len, char *dst, int64_t cap);

/* Runs an ICU transliterator (e.g. "Hant-Hans") over UTF-8 text; `cap` >= 4 * len + 16.
   The transliterator is opened once per thread and id. Returns bytes or -1. */
int64_t cicu_transliterate(const char *id, const char *src, int64_t len, char *dst, int64_t cap);

/* Word segmentation with ICU's word break iterator for `locale` (dictionary-based for Chinese
   and Japanese). Writes the length in code points of each segment that is not whitespace into
   `lengths` (at most `cap`) and returns the number of such segments, or -1. */
int32_t cicu_word_lengths(const char *locale, const char *src, int64_t len, int32_t *lengths, int32_t cap);

/* 1 when the code point is unaffected by NFKC and never combines with a neighbour (ICU's
   unorm2_isInert for the NFKC normalizer). */
int32_t cicu_nfkc_inert(int32_t c);

/* 1 when NFKC never lets the code point interact with the text before it (ICU's
   unorm2_hasBoundaryBefore): text split before it normalizes piece by piece. */
int32_t cicu_nfkc_boundary_before(int32_t c);

/// A hint to fetch the cache line at `p` (a hash-table probe that comes a few steps later);
/// inlined into Swift callers.
static inline void cicu_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }

#endif
