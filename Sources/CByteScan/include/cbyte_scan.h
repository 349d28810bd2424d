#ifndef CBYTE_SCAN_H
#define CBYTE_SCAN_H
#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// The length of the run of plain ASCII text at `p` (bytes 0x20-0x7E, tab, LF, FF, CR) before
/// the first other byte or `stop`, at most `n`: sixteen bytes per step with SSE2 (x86-64's
/// baseline), one by one elsewhere. Inlines into the Swift caller (Swift's generic SIMD types
/// were ten times slower than the byte loop here).
static inline __attribute__((always_inline)) size_t winnow_plain_run(const uint8_t *p, size_t n, uint8_t stop) {
    size_t k = 0;
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(0x20), tilde = _mm_set1_epi8(0x7E), s = _mm_set1_epi8((char)stop);
    const __m128i tab = _mm_set1_epi8(0x09), lf = _mm_set1_epi8(0x0A), ff = _mm_set1_epi8(0x0C), cr = _mm_set1_epi8(0x0D);
    while (k + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + k));
        // Signed compares: bytes 0x80 and above are negative, so "below 0x20" takes them too.
        __m128i low = _mm_cmplt_epi8(v, space);
        __m128i ws = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf)),
                                  _mm_or_si128(_mm_cmpeq_epi8(v, ff), _mm_cmpeq_epi8(v, cr)));
        __m128i other = _mm_or_si128(_mm_andnot_si128(ws, low), _mm_or_si128(_mm_cmpgt_epi8(v, tilde), _mm_cmpeq_epi8(v, s)));
        int mask = _mm_movemask_epi8(other);
        if (mask) return k + (size_t)__builtin_ctz((unsigned)mask);
        k += 16;
    }
#endif
    while (k < n) {
        uint8_t b = p[k];
        if (b == stop || b >= 0x7F || (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0C && b != 0x0D)) break;
        k++;
    }
    return k;
}
#endif
