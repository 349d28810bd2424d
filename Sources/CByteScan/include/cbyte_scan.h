#ifndef CBYTE_SCAN_H
#define CBYTE_SCAN_H
#include <stddef.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/// Whether the HTML prescan must look at byte `b` itself: `stop` or `stop2`, a control other than
/// whitespace (tab, LF, FF, CR), DEL, or the lead byte of a character that may be odd (C1
/// controls after 0xC2, private use after 0xEE/0xEF/0xF3/0xF4, U+FFFD after 0xEF).
static inline __attribute__((always_inline)) int winnow_scan_stops(uint8_t b, uint8_t stop, uint8_t stop2) {
    return b == stop || b == stop2 || b == 0x7F || b == 0xC2 || b == 0xEE || b == 0xEF || b == 0xF3 || b == 0xF4
        || (b < 0x20 && b != 0x09 && b != 0x0A && b != 0x0C && b != 0x0D);
}

/// The length of the run of text at `p` before the first byte the prescan must look at
/// (`winnow_scan_stops`), at most `n`; adds the run's characters (bytes that are not UTF-8
/// continuation bytes) to `*scalars`. Sixteen bytes per step with SSE2 (x86-64's baseline),
/// one by one elsewhere. Inlines into the Swift caller (Swift's generic SIMD types were ten
/// times slower than a byte loop here).
static inline __attribute__((always_inline)) size_t winnow_text_run(const uint8_t *p, size_t n, uint8_t stop, uint8_t stop2, size_t *scalars) {
    size_t k = 0, count = 0;
#if defined(__SSE2__)
    const __m128i s = _mm_set1_epi8((char)stop), s2 = _mm_set1_epi8((char)stop2), last_control = _mm_set1_epi8(0x1F);
    const __m128i tab = _mm_set1_epi8(0x09), lf = _mm_set1_epi8(0x0A), ff = _mm_set1_epi8(0x0C), cr = _mm_set1_epi8(0x0D);
    const __m128i del = _mm_set1_epi8(0x7F), c2 = _mm_set1_epi8((char)0xC2), ee = _mm_set1_epi8((char)0xEE);
    const __m128i ef = _mm_set1_epi8((char)0xEF), f3 = _mm_set1_epi8((char)0xF3), f4 = _mm_set1_epi8((char)0xF4);
    const __m128i top2 = _mm_set1_epi8((char)0xC0), cont = _mm_set1_epi8((char)0x80);
    while (k + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + k));
        __m128i control = _mm_cmpeq_epi8(_mm_min_epu8(v, last_control), v);  /* v <= 0x1F, unsigned */
        __m128i ws = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, lf)),
                                  _mm_or_si128(_mm_cmpeq_epi8(v, ff), _mm_cmpeq_epi8(v, cr)));
        __m128i lead = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, c2), _mm_cmpeq_epi8(v, ee)),
                                    _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, ef), _mm_cmpeq_epi8(v, f3)), _mm_cmpeq_epi8(v, f4)));
        __m128i other = _mm_or_si128(_mm_or_si128(_mm_andnot_si128(ws, control), lead),
                                     _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, del), _mm_cmpeq_epi8(v, s)), _mm_cmpeq_epi8(v, s2)));
        unsigned continuation = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(v, top2), cont));
        unsigned mask = (unsigned)_mm_movemask_epi8(other);
        if (mask) {
            unsigned before = (1u << __builtin_ctz(mask)) - 1u;
            count += (size_t)__builtin_popcount(before & ~continuation);
            *scalars += count;
            return k + (size_t)__builtin_ctz(mask);
        }
        count += 16 - (size_t)__builtin_popcount(continuation);
        k += 16;
    }
#endif
    while (k < n && !winnow_scan_stops(p[k], stop, stop2)) {
        if ((p[k] & 0xC0) != 0x80) count++;
        k++;
    }
    *scalars += count;
    return k;
}
#endif
