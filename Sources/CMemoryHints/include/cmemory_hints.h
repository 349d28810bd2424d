#ifndef CMEMORY_HINTS_H
#define CMEMORY_HINTS_H
/// Starts loading the cache line at `p` for a read soon (x86 PREFETCHT0); no effect on
/// program state. Swift has no prefetch of its own; this inlines into the caller.
static inline __attribute__((always_inline)) void winnow_prefetch(const void *p) {
    __builtin_prefetch(p, 0, 3);
}
#endif
