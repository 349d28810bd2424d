// Reading a training corpus into a `BPECorpusCounter` the way HF tokenizers' trainer sees it:
// a text file is a sequence per line (its "\n" kept, as `Tokenizer.train(files)` reads them),
// a JSONL file a sequence per document (its text field, as `train_from_iterator` over texts).
// Plain, gzip or zstd, sniffed from the bytes.

import WinnowCore
import WinnowIO

public enum BPECorpusFormat: String, Sendable, CaseIterable {
    case text, jsonl

    /// JSONL when the name says so (.jsonl, .json, .ndjson, before .gz/.zst), else text.
    public static func guess(path: String) -> BPECorpusFormat {
        InputFormat.guess(path: path) == .jsonl ? .jsonl : .text
    }
}

/// What reading the inputs found.
public struct BPECorpusReport: Sendable {
    public var files = 0
    /// Text lines with invalid UTF-8, repaired with U+FFFD (as Python's errors="replace").
    public var repairedLines = 0
    /// JSONL lines skipped (malformed, invalid UTF-8, no text field) and the readers' damage.
    public var damage = DamageReport()

    public init() {}
}

extension BPECorpusCounter {
    /// Adds every sequence of `path`. `progress(bytes read so far)` is called per MB-sized chunk.
    public func addFile(_ path: String, format: BPECorpusFormat, textKey: String = "text",
                        report: inout BPECorpusReport, progress: ((Int) -> Void)? = nil) throws {
        report.files += 1
        switch format {
        case .jsonl:
            let reader = try JSONLReader(path: path, fields: JSONLFields(textKey: textKey))
            var n = 0
            while let doc = try reader.next() {
                var t = doc.text
                t.withUTF8 { add($0) }
                n += 1
                if n % 10000 == 0 { progress?(reader.inputBytesRead) }
            }
            report.damage.merge(reader.damage)
        case .text:
            let source = try openByteSource(path)
            var carry: [UInt8] = []
            while let chunk = try source.next() {
                let b = chunk.bytes.bindMemory(to: UInt8.self)
                var start = 0
                for i in 0..<b.count where b[i] == 0x0A {
                    if carry.isEmpty {
                        addLine(UnsafeBufferPointer(rebasing: b[start...i]), &report)
                    } else {
                        carry.append(contentsOf: b[start...i])
                        carry.withUnsafeBufferPointer { addLine($0, &report) }
                        carry.removeAll(keepingCapacity: true)
                    }
                    start = i + 1
                }
                carry.append(contentsOf: b[start...])
                progress?(source.inputBytesRead)
            }
            carry.withUnsafeBufferPointer { addLine($0, &report) }
            report.damage.merge(source.damage)
        }
    }

    private func addLine(_ line: UnsafeBufferPointer<UInt8>, _ report: inout BPECorpusReport) {
        if isValidUTF8(line) { add(line); return }
        report.repairedLines += 1
        add(Array(String(decoding: line, as: UTF8.self).utf8))
    }
}

/// Whether `s` is well-formed UTF-8 (ASCII runs checked 8 bytes at a time).
func isValidUTF8(_ s: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = s.count
    guard let base = s.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    while i + 8 <= n && raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8 }
    if i == n { return true }
    return String(validating: UnsafeBufferPointer(rebasing: s[i...]), as: UTF8.self) != nil
}
