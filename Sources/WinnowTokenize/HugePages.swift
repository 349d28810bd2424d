#if canImport(Glibc)
import Glibc
#endif

// Tables probed at random (pair ranks, token slots, the piece cache) span megabytes: with 4 KB
// pages nearly every probe also misses the TLB. Backed by 2 MB pages where the kernel allows
// (transparent huge pages, "madvise" mode), a probe costs one cache miss, not two.
enum HugePages {
    static let size = 2 << 20

    /// Uninitialized memory for `count` values, 2 MB aligned and marked for huge pages when it
    /// spans at least half of one (the rest of the page is left unused); release with
    /// `deallocate`.
    static func allocate<T>(_ type: T.Type, capacity count: Int) -> UnsafeMutablePointer<T> {
        let bytes = max(count, 1) * MemoryLayout<T>.stride
        var raw: UnsafeMutableRawPointer?
        let rounded = (bytes + size - 1) / size * size
        if bytes < size / 2 || posix_memalign(&raw, size, rounded) != 0 {
            guard let small = malloc(bytes) else { fatalError("out of memory (\(bytes) bytes)") }
            return small.bindMemory(to: T.self, capacity: count)
        }
        guard let raw else { fatalError("out of memory (\(bytes) bytes)") }
        #if os(Linux)
        _ = madvise(raw, rounded, 14)  // MADV_HUGEPAGE; a kernel without it ignores the hint
        #endif
        return raw.bindMemory(to: T.self, capacity: count)
    }

    /// Frees memory from `allocate` .
    static func deallocate<T>(_ p: UnsafeMutablePointer<T>) {
        free(UnsafeMutableRawPointer(p))
    }
}
