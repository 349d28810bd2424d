// NFC through ICU, as HF tokenizers' NFC (unicode-normalization crate) orders marks: Foundation's
// NFC was seen to leave Tibetan vowel signs (U+0F71 after U+0F72) out of canonical order. ICU's
// C API is reached by symbol (its names carry the version, e.g. unorm2_normalize_72); the shim
// links the library.
import CICUShim
#if canImport(Glibc)
import Glibc
#endif

enum ICUNormalizer {
    private typealias GetInstance = @convention(c) (UnsafeMutablePointer<Int32>) -> OpaquePointer?
    private typealias Normalize = @convention(c) (OpaquePointer?, UnsafePointer<UInt16>, Int32, UnsafeMutablePointer<UInt16>, Int32, UnsafeMutablePointer<Int32>) -> Int32

    private typealias IsInert = @convention(c) (OpaquePointer?, Int32) -> Int8

    private struct API: @unchecked Sendable {
        let nfc: OpaquePointer
        let normalize: Normalize
        let isInert: IsInert?
    }

    private static let api: API? = {
        let version = String(cString: cicu_version()).split(separator: ".").first.map(String.init) ?? ""
        guard let g = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "unorm2_getNFCInstance_" + version),
              let n = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "unorm2_normalize_" + version) else { return nil }
        var err: Int32 = 0
        guard let inst = unsafeBitCast(g, to: GetInstance.self)(&err), err <= 0 else { return nil }
        let inert = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "unorm2_isInert_" + version)
        return API(nfc: inst, normalize: unsafeBitCast(n, to: Normalize.self), isInert: inert.map { unsafeBitCast($0, to: IsInert.self) })
    }()

    /// ICU's NFC inertness of a code point (unchanged, and no interaction with its neighbours);
    /// false when ICU is unavailable.
    static func nfcInert(_ c: UInt32) -> Bool {
        guard let api, let f = api.isInert else { return false }
        return f(api.nfc, Int32(bitPattern: c)) != 0
    }

    /// NFC of valid UTF-8, nil when ICU is unavailable.
    static func nfc(_ s: [UInt8]) -> [UInt8]? {
        guard let api else { return nil }
        let src = Array(String(decoding: s, as: UTF8.self).utf16)
        var cap = src.count * 3 + 16
        while true {
            var dst = [UInt16](repeating: 0, count: cap)
            var err: Int32 = 0
            let n = api.normalize(api.nfc, src, Int32(src.count), &dst, Int32(cap), &err)
            if err == 15 { cap = Int(n) + 16; continue }  // U_BUFFER_OVERFLOW_ERROR
            guard err <= 0 else { return nil }
            return Array(String(decoding: dst[0..<Int(n)], as: UTF16.self).utf8)
        }
    }
}
