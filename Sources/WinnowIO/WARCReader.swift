import WinnowCore

/// Streams WARC records (WARC/1.0, 1.1, 0.18; ARC v1 files are converted) from any byte source.
/// Damage never ends the file: a record that is truncated, or that straddles bytes lost to a
/// corrupt gzip member, is counted and skipped, and parsing resynchronises on the next
/// `WARC/` line.
public final class WARCReader {
    public let buffer: StreamBuffer
    public private(set) var damage = DamageReport()
    public private(set) var recordsRead = 0
    private var resyncing = false
    private var isARC: Bool?
    /// Header blocks longer than this are treated as garbage.
    static let maxHeaderBytes = 1 << 20

    public init(source: ByteSource) {
        buffer = StreamBuffer(source: source)
    }

    public convenience init(path: String) throws {
        self.init(source: try openByteSource(path))
    }

    public var path: String { buffer.source.path }

    /// Source damage (gzip/zstd) plus record-level damage.
    public var allDamage: DamageReport {
        var d = buffer.source.damage
        d.merge(damage)
        return d
    }

    /// What the byte source read despite an anomaly (zstd frames without a checksum).
    public var sourceWarnings: DamageReport { buffer.source.warnings }

    public func next() throws -> WARCRecord? {
        try nextRecord { WARCRecord(version: $0.version, headers: $0.headers, block: Array($0.block), streamOffset: $0.streamOffset) }
    }

    /// The next record, handed to `body` with its block borrowed from the buffer (no copy).
    public func nextRecord<T>(_ body: (WARCRecordView) throws -> T) throws -> T? {
        while true {
            // Records are separated by CRLF CRLF; tolerate any run of blank bytes.
            while true {
                if try buffer.count == 0 && !buffer.fill() { return nil }
                let v = buffer.view
                var i = 0
                while i < v.count && (v[i] == 0x0D || v[i] == 0x0A) { i += 1 }
                buffer.consume(i)
                if buffer.count > 0 { break }
            }
            _ = try buffer.ensure(11)
            if isARC == nil {
                isARC = buffer.view.starts(with: "filedesc://".utf8)
            }
            if isARC == true {
                guard let r = try nextARC() else { return nil }
                return try r.block.withUnsafeBufferPointer {
                    try body(WARCRecordView(version: r.version, headers: r.headers, block: $0, streamOffset: r.streamOffset))
                }
            }
            guard buffer.view.starts(with: "WARC/".utf8) else {
                try skipGarbage()
                continue
            }
            if let r = try parseRecord(body) { return r }
        }
    }

    private func location(_ offset: Int) -> String { "\(path)@\(offset) (decompressed)" }

    /// Skips to the next line that starts with "WARC/", counting the damage once per episode.
    private func skipGarbage() throws {
        if !resyncing {
            damage.record("warc_garbage", at: location(buffer.offset), "bytes outside any record; resynchronising")
            resyncing = true
        }
        var from = 1
        while true {
            guard let nl = try buffer.find(0x0A, from: from) else { buffer.consume(buffer.count); return }
            _ = try buffer.ensure(nl + 6)
            let v = buffer.view
            if nl + 6 <= v.count, UnsafeBufferPointer(rebasing: v[(nl + 1)..<(nl + 6)]).elementsEqual("WARC/".utf8) {
                buffer.consume(nl + 1)
                return
            }
            // Keep memory bounded while scanning long garbage.
            if nl > 1 << 16 { buffer.consume(nl); from = 0 } else { from = nl + 1 }
        }
    }

    private func parseRecord<T>(_ body: (WARCRecordView) throws -> T) throws -> T? {
        let recordOffset = buffer.offset
        // Find the blank line ending the header block, line by line.
        var lineStart = 0
        var headerLen: Int?
        while headerLen == nil {
            guard let nl = try buffer.find(0x0A, from: lineStart, limit: Self.maxHeaderBytes) else {
                if buffer.exhausted {
                    damage.record("warc_truncated_record", at: location(recordOffset), "file ends inside a record header")
                    buffer.consume(buffer.count)
                    return nil
                }
                damage.record("warc_header_too_long", at: location(recordOffset), "no blank line within \(Self.maxHeaderBytes) bytes")
                resyncing = true
                buffer.consume(1)
                return nil
            }
            let v = buffer.view
            let lineLen = nl - lineStart
            if lineLen == 0 || (lineLen == 1 && v[lineStart] == 0x0D) { headerLen = nl + 1 }
            lineStart = nl + 1
        }
        let v = buffer.view
        let firstNL = v.firstIndex(of: 0x0A)!
        var version = trimmed(v, 0, firstNL)
        if version.hasSuffix("\r") { version.removeLast() }
        let headers = HeaderFields.parse(UnsafeBufferPointer(rebasing: v[(firstNL + 1)..<headerLen!]))
        guard let lenText = headers["Content-Length"], let contentLength = Int(lenText), contentLength >= 0 else {
            damage.record("warc_bad_content_length", at: location(recordOffset),
                          "Content-Length \(headers["Content-Length"].map { "'\($0)'" } ?? "missing")")
            resyncing = true
            buffer.consume(1)
            return nil
        }
        let total = headerLen! + contentLength
        let complete = try buffer.ensure(total)
        let id = headers["WARC-Record-ID"] ?? "?"
        if let gap = buffer.gap(in: recordOffset...(recordOffset + min(total, buffer.count))) , gap < recordOffset + total {
            damage.record("warc_record_lost_to_corruption", at: location(recordOffset),
                          "record \(id) straddles bytes lost at \(gap)")
            buffer.consume(gap - recordOffset)
            buffer.dropGaps(before: buffer.offset + 1)
            resyncing = false
            return nil
        }
        guard complete else {
            damage.record("warc_truncated_record", at: location(recordOffset),
                          "record \(id) declares \(contentLength) bytes, \(buffer.count - headerLen!) present")
            buffer.consume(buffer.count)
            return nil
        }
        let view = WARCRecordView(version: version, headers: headers,
                                  block: UnsafeBufferPointer(rebasing: buffer.view[headerLen!..<total]), streamOffset: recordOffset)
        defer {
            buffer.consume(total)
            buffer.dropGaps(before: buffer.offset)
        }
        resyncing = false
        recordsRead += 1
        return try body(view)
    }

    /// ARC v1: a `URL IP date mime length` line, then `length` bytes. The `filedesc://` record
    /// becomes a warcinfo record; the others become responses (their bodies are HTTP messages).
    private func nextARC() throws -> WARCRecord? {
        let recordOffset = buffer.offset
        guard let nl = try buffer.find(0x0A, limit: 1 << 16) else {
            if buffer.count > 0 { damage.record("arc_truncated_record", at: location(recordOffset), "file ends inside an ARC header") }
            buffer.consume(buffer.count)
            return nil
        }
        let line = trimmed(buffer.view, 0, nl)
        let fields = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count >= 5, let length = Int(fields[fields.count - 1]), length >= 0 else {
            damage.record("arc_bad_header", at: location(recordOffset), "unparseable ARC header line")
            buffer.consume(nl + 1)
            return nil
        }
        let total = nl + 1 + length
        guard try buffer.ensure(total) else {
            damage.record("arc_truncated_record", at: location(recordOffset), "declares \(length) bytes")
            buffer.consume(buffer.count)
            return nil
        }
        let block = [UInt8](UnsafeBufferPointer(rebasing: buffer.view[(nl + 1)..<total]))
        buffer.consume(total)
        recordsRead += 1
        let url = fields[0]
        var h = HeaderFields()
        let isInfo = url.hasPrefix("filedesc://")
        h.append("WARC-Type", isInfo ? "warcinfo" : "response")
        h.append("WARC-Target-URI", url)
        h.append("WARC-IP-Address", fields[1])
        h.append("WARC-Date", arcDateToISO(fields[2]))
        h.append("Content-Type", isInfo ? fields[3] : "application/http; msgtype=response")
        h.append("Content-Length", String(length))
        h.append("ARC-Content-Type", fields[3])
        return WARCRecord(version: "ARC", headers: h, block: block, streamOffset: recordOffset)
    }
}

/// `20140216050032` → `2014-02-16T05:00:32Z`; anything else is returned unchanged.
func arcDateToISO(_ s: String) -> String {
    let d = Array(s.utf8)
    guard d.count == 14, d.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return s }
    func part(_ a: Int, _ b: Int) -> String { String(decoding: d[a..<b], as: UTF8.self) }
    return "\(part(0, 4))-\(part(4, 6))-\(part(6, 8))T\(part(8, 10)):\(part(10, 12)):\(part(12, 14))Z"
}
