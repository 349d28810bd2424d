#include <stdlib.h>
#include <unicode/utrans.h>
#include <unicode/ubrk.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uchar.h>
#include <unicode/utf16.h>
#include "cicu_shim.h"
#include <string.h>
#include <unicode/uversion.h>
#include <unicode/ucnv.h>
#include <unicode/ucnv_err.h>
#include <unicode/ucsdet.h>

const char *cicu_version(void) {
    static char buf[U_MAX_VERSION_STRING_LENGTH];
    UVersionInfo v;
    u_getVersion(v);
    u_versionToString(v, buf);
    return buf;
}

/* Counts substitutions while delegating to ICU's standard substitute callback. */
typedef struct { int64_t count; } subst_ctx;

static void count_subst(const void *context, UConverterToUnicodeArgs *args, const char *units,
                        int32_t length, UConverterCallbackReason reason, UErrorCode *err) {
    if (reason <= UCNV_IRREGULAR) ((subst_ctx *)context)->count++;
    UCNV_TO_U_CALLBACK_SUBSTITUTE(NULL, args, units, length, reason, err);
}

int64_t cicu_to_utf8(const char *charset, const char *src, int64_t len,
                     char *dst, int64_t cap, int64_t *substitutions) {
    if (len < 0 || len > INT32_MAX / 4 || cap > INT32_MAX) return -1;
    UErrorCode err = U_ZERO_ERROR;
    UConverter *in = ucnv_open(charset, &err);
    if (U_FAILURE(err)) return -1;
    UConverter *out = ucnv_open("UTF-8", &err);
    if (U_FAILURE(err)) { ucnv_close(in); return -1; }
    subst_ctx ctx = {0};
    ucnv_setToUCallBack(in, count_subst, &ctx, NULL, NULL, &err);
    char *d = dst;
    const char *s = src;
    ucnv_convertEx(out, in, &d, dst + cap, &s, src + len, NULL, NULL, NULL, NULL, 1, 1, &err);
    int64_t result = U_FAILURE(err) ? -1 : (int64_t)(d - dst);
    ucnv_close(in);
    ucnv_close(out);
    if (substitutions) *substitutions = ctx.count;
    return result;
}

int32_t cicu_detect(const char *src, int32_t len, char *name, int32_t cap) {
    UErrorCode err = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&err);
    if (U_FAILURE(err)) return -1;
    ucsdet_setText(det, src, len, &err);
    const UCharsetMatch *m = ucsdet_detect(det, &err);
    int32_t conf = -1;
    if (!U_FAILURE(err) && m) {
        const char *n = ucsdet_getName(m, &err);
        conf = ucsdet_getConfidence(m, &err);
        if (n && cap > 0) { strncpy(name, n, (size_t)cap - 1); name[cap - 1] = 0; }
    }
    ucsdet_close(det);
    return U_FAILURE(err) ? -1 : conf;
}

int64_t cicu_nfd_strip_marks(const char *src, int64_t len, char *dst, int64_t cap) {
    if (len < 0 || len > INT32_MAX / 4) return -1;
    UErrorCode err = U_ZERO_ERROR;
    int32_t n16 = 0;
    u_strFromUTF8WithSub(NULL, 0, &n16, src, (int32_t)len, 0xFFFD, NULL, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) return -1;
    err = U_ZERO_ERROR;
    UChar *u = (UChar *)malloc(sizeof(UChar) * (size_t)(n16 + 1));
    if (!u) return -1;
    u_strFromUTF8WithSub(u, n16 + 1, &n16, src, (int32_t)len, 0xFFFD, NULL, &err);
    if (U_FAILURE(err)) { free(u); return -1; }
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
    if (U_FAILURE(err)) { free(u); return -1; }
    /* NFKC can turn one code unit into 18 (U+FDFA). */
    if (n16 > INT32_MAX / 18 - 16) { free(u); return -1; }
    int32_t cap16 = n16 * 18 + 16;
    UChar *d = (UChar *)malloc(sizeof(UChar) * (size_t)cap16);
    if (!d) { free(u); return -1; }
    int32_t nd = unorm2_normalize(nfd, u, n16, d, cap16, &err);
    free(u);
    if (U_FAILURE(err)) { free(d); return -1; }
    /* drop Mn in place */
    int32_t w = 0;
    for (int32_t i = 0; i < nd;) {
        UChar32 c;
        int32_t start = i;
        U16_NEXT(d, i, nd, c);
        if (u_charType(c) == U_NON_SPACING_MARK) continue;
        for (int32_t k = start; k < i; k++) d[w++] = d[k];
    }
    int32_t out = 0;
    u_strToUTF8(dst, (int32_t)(cap > INT32_MAX ? INT32_MAX : cap), &out, d, w, &err);
    free(d);
    return U_FAILURE(err) ? -1 : (int64_t)out;
}

/* UTF-8 -> freshly malloc'd UTF-16; *n16 receives its length. */
static UChar *to_utf16(const char *src, int64_t len, int32_t *n16) {
    UErrorCode err = U_ZERO_ERROR;
    u_strFromUTF8WithSub(NULL, 0, n16, src, (int32_t)len, 0xFFFD, NULL, &err);
    if (err != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(err)) return NULL;
    err = U_ZERO_ERROR;
    UChar *u = (UChar *)malloc(sizeof(UChar) * (size_t)(*n16 + 1));
    if (!u) return NULL;
    u_strFromUTF8WithSub(u, *n16 + 1, n16, src, (int32_t)len, 0xFFFD, NULL, &err);
    if (U_FAILURE(err)) { free(u); return NULL; }
    return u;
}

static int64_t to_utf8(const UChar *u, int32_t n, char *dst, int64_t cap) {
    UErrorCode err = U_ZERO_ERROR;
    int32_t out = 0;
    u_strToUTF8(dst, (int32_t)(cap > INT32_MAX ? INT32_MAX : cap), &out, u, n, &err);
    return U_FAILURE(err) ? -1 : (int64_t)out;
}

int64_t cicu_nfkc(const char *src, int64_t len, char *dst, int64_t cap) {
    if (len < 0 || len > INT32_MAX / 4) return -1;
    int32_t n16 = 0;
    UChar *u = to_utf16(src, len, &n16);
    if (!u) return -1;
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&err);
    /* NFKC can turn one code unit into 18 (U+FDFA). */
    if (n16 > INT32_MAX / 18 - 16) { free(u); return -1; }
    int32_t cap16 = n16 * 18 + 16;
    UChar *d = (UChar *)malloc(sizeof(UChar) * (size_t)cap16);
    if (!d || U_FAILURE(err)) { free(u); free(d); return -1; }
    int32_t nd = unorm2_normalize(nfkc, u, n16, d, cap16, &err);
    free(u);
    int64_t r = U_FAILURE(err) ? -1 : to_utf8(d, nd, dst, cap);
    free(d);
    return r;
}

int32_t cicu_nfkc_inert(int32_t c) {
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&err);
    if (U_FAILURE(err)) return 0;
    return unorm2_isInert(nfkc, (UChar32)c) ? 1 : 0;
}

int32_t cicu_nfkc_boundary_before(int32_t c) {
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&err);
    if (U_FAILURE(err)) return 0;
    return unorm2_hasBoundaryBefore(nfkc, (UChar32)c) ? 1 : 0;
}

static _Thread_local UTransliterator *cached_trans = NULL;
static _Thread_local char cached_id[64];

int64_t cicu_transliterate(const char *id, const char *src, int64_t len, char *dst, int64_t cap) {
    if (len < 0 || len > INT32_MAX / 4) return -1;
    UErrorCode err = U_ZERO_ERROR;
    if (!cached_trans || strncmp(cached_id, id, sizeof cached_id) != 0) {
        if (cached_trans) utrans_close(cached_trans);
        UChar uid[64];
        u_uastrncpy(uid, id, 63);
        uid[63] = 0;
        cached_trans = utrans_openU(uid, -1, UTRANS_FORWARD, NULL, 0, NULL, &err);
        if (U_FAILURE(err)) { cached_trans = NULL; return -1; }
        strncpy(cached_id, id, sizeof cached_id - 1);
        cached_id[sizeof cached_id - 1] = 0;
    }
    int32_t n16 = 0;
    UChar *u = to_utf16(src, len, &n16);
    if (!u) return -1;
    int32_t cap16 = n16 * 2 + 16;
    UChar *d = (UChar *)malloc(sizeof(UChar) * (size_t)cap16);
    if (!d) { free(u); return -1; }
    memcpy(d, u, sizeof(UChar) * (size_t)n16);
    free(u);
    int32_t textLength = n16, limit = n16;
    utrans_transUChars(cached_trans, d, &textLength, cap16, 0, &limit, &err);
    int64_t r = U_FAILURE(err) ? -1 : to_utf8(d, textLength, dst, cap);
    free(d);
    return r;
}

int32_t cicu_word_lengths(const char *locale, const char *src, int64_t len, int32_t *lengths, int32_t cap) {
    if (len < 0 || len > INT32_MAX / 4) return -1;
    int32_t n16 = 0;
    UChar *u = to_utf16(src, len, &n16);
    if (!u) return -1;
    UErrorCode err = U_ZERO_ERROR;
    /* Opening a dictionary-based iterator costs far more than segmenting a page: keep one per thread. */
    static _Thread_local UBreakIterator *cached_bi = NULL;
    static _Thread_local char cached_locale[32];
    if (!cached_bi || strncmp(cached_locale, locale, sizeof cached_locale) != 0) {
        if (cached_bi) ubrk_close(cached_bi);
        cached_bi = ubrk_open(UBRK_WORD, locale, NULL, 0, &err);
        if (U_FAILURE(err)) { cached_bi = NULL; free(u); return -1; }
        strncpy(cached_locale, locale, sizeof cached_locale - 1);
        cached_locale[sizeof cached_locale - 1] = 0;
    }
    UBreakIterator *bi = cached_bi;
    ubrk_setText(bi, u, n16, &err);
    if (U_FAILURE(err)) { free(u); return -1; }
    int32_t count = 0;
    int32_t start = ubrk_first(bi);
    for (int32_t end = ubrk_next(bi); end != UBRK_DONE; start = end, end = ubrk_next(bi)) {
        int32_t cps = 0, spaces = 0;
        for (int32_t i = start; i < end;) {
            UChar32 c;
            U16_NEXT(u, i, end, c);
            cps++;
            if (u_isUWhiteSpace(c)) spaces++;
        }
        if (cps == spaces) continue;
        if (count < cap) lengths[count] = cps;
        count++;
    }
    ubrk_setText(bi, NULL, 0, &err);
    free(u);
    return count;
}
