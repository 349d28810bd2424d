// Opens any supported tokenizer file by its content (the file name does not matter; .gz is fine).

import Synchronization
import WinnowIO

public enum TokenizerLoader {
    /// `tiktokenEncoding`: pattern and specials for a rank file no known encoding matches.
    /// `bytes` (when no such file exists) is `ByteTokenizer`: UTF-8 bytes as ids.
    public static func load(path: String, tiktokenEncoding: TiktokenEncoding? = nil) throws -> any Tokenizer {
        if path == ByteTokenizer.name, fileSize(path) == nil { return ByteTokenizer() }
        let bytes = try TokenizerFile.read(path)
        switch TokenizerFile.format(of: bytes) {
        case .tiktoken: return try TiktokenTokenizer(bytes: bytes, path: path, encoding: tiktokenEncoding)
        case .huggingFace: return try HFTokenizer(bytes: bytes, path: path)
        case .sentencePiece: return try loadSentencePieceTokenizer(path: path)
        }
    }

    private static let loaded = Mutex<[String: any Tokenizer]>([:])

    /// The tokenizer of `path`, loaded once per process (loading cl100k takes a moment; the
    /// tasks and stages of a worker share it).
    public static func shared(path: String) throws -> any Tokenizer {
        try loaded.withLock { cache in
            if let t = cache[path] { return t }
            let t = try load(path: path)
            cache[path] = t
            return t
        }
    }
}

/// Tokenizers that encode UTF-8 bytes straight into a caller's buffer, reusing per-thread
/// scratch (the fast path for bulk encoding).
public protocol BufferEncoding: Tokenizer {
    func encode(utf8 s: UnsafeBufferPointer<UInt8>, allowedSpecial: Set<String>, into out: inout [UInt32], scratch: MergeScratch)
}

extension BufferEncoding {
    /// One string, with a scratch of its own (bulk callers keep one and call `encode(utf8:…)`).
    public func encode(_ text: String, allowedSpecial: Set<String>) -> [UInt32] {
        var t = text
        var out: [UInt32] = []
        out.reserveCapacity(t.utf8.count / 3)
        let scratch = MergeScratch()
        t.withUTF8 { encode(utf8: $0, allowedSpecial: allowedSpecial, into: &out, scratch: scratch) }
        return out
    }
}

extension TiktokenTokenizer: BufferEncoding {}
extension HFTokenizer: BufferEncoding {}
