// Reading a tokenizer file whole (plain or gzip) and telling its format from its content.
import WinnowCore
import WinnowIO

public enum TokenizerFileFormat: String, Sendable {
    case tiktoken       // base64 token, space, rank per line
    case huggingFace    // tokenizer.json
    case sentencePiece  // protobuf ModelProto (loaded by the SentencePiece reader)
}

public enum TokenizerFile {
    /// The decompressed bytes of `path`; a damaged or truncated gzip file is an error.
    public static func read(_ path: String) throws -> [UInt8] {
        guard let raw = readFileBytes(path) else { throw TokenizerError(path: path, "cannot read the file") }
        guard raw.count >= 2, raw[0] == 0x1F, raw[1] == 0x8B else { return raw }
        let source = try GzipSource(path: path)
        var out: [UInt8] = []
        out.reserveCapacity(raw.count * 4)
        while let chunk = try source.next() { out.append(contentsOf: chunk.bytes) }
        if !source.damage.isEmpty {
            let s = source.damage.samples.first
            throw TokenizerError(path: path, "damaged gzip data: \(s?.kind ?? "damage") \(s?.detail ?? "")")
        }
        return out
    }

    /// The format of decompressed content: JSON object, tiktoken lines, or else protobuf.
    public static func format(of bytes: [UInt8]) -> TokenizerFileFormat {
        var i = 0
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
        if i < bytes.count, bytes[i] == UInt8(ascii: "{") { return .huggingFace }
        // tiktoken: the first line is base64 characters, one space, digits.
        var j = 0, sawSpace = false, sawDigit = false
        while j < bytes.count, j < 4096, bytes[j] != 0x0A {
            let c = bytes[j]
            if c == 0x20 { if sawSpace { return .sentencePiece }; sawSpace = true }
            else if sawSpace { if c >= 0x30 && c <= 0x39 { sawDigit = true } else if c != 0x0D { return .sentencePiece } }
            else if !(Base64.value(c) != nil || c == UInt8(ascii: "=")) { return .sentencePiece }
            j += 1
        }
        return sawSpace && sawDigit ? .tiktoken : .sentencePiece
    }
}

/// Standard base64 (RFC 4648, with padding) as tiktoken files use it.
enum Base64 {
    @inline(__always) static func value(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return c - 65
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return c - 97 + 26
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - 48 + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }

    /// Decodes `s`; nil on a character outside the alphabet or a bad length.
    static func decode(_ s: ArraySlice<UInt8>) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(s.count * 3 / 4)
        var acc: UInt32 = 0, bits = 0, pad = 0
        for c in s {
            if c == UInt8(ascii: "=") { pad += 1; continue }
            guard pad == 0, let v = value(c) else { return nil }
            acc = acc << 6 | UInt32(v); bits += 6
            if bits >= 8 { bits -= 8; out.append(UInt8(truncatingIfNeeded: acc >> UInt32(bits))) }
        }
        guard (s.count - pad) % 4 != 1, pad <= 2 else { return nil }
        return out
    }

    static func encode(_ b: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var i = 0
        while i + 3 <= b.count {
            let v = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])
            out += [alphabet[Int(v >> 18)], alphabet[Int(v >> 12 & 63)], alphabet[Int(v >> 6 & 63)], alphabet[Int(v & 63)]]
            i += 3
        }
        if b.count - i == 1 {
            let v = UInt32(b[i]) << 16
            out += [alphabet[Int(v >> 18)], alphabet[Int(v >> 12 & 63)], 61, 61]
        } else if b.count - i == 2 {
            let v = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8
            out += [alphabet[Int(v >> 18)], alphabet[Int(v >> 12 & 63)], alphabet[Int(v >> 6 & 63)], 61]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
