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
