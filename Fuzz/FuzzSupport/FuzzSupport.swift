#if canImport(Glibc)
import Glibc
#endif
import CFuzzDriver
import WinnowCore
import WinnowIO

/// The body of the running target (one per process).
nonisolated(unsafe) private var target: ((UnsafeBufferPointer<UInt8>) -> Void)?

/// libFuzzer's callback.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    target?(UnsafeBufferPointer(start: data, count: size))
    return 0
}

/// Helpers shared by the libFuzzer targets. Built normally (`swift build`), each target is a
/// replay tool: `FuzzX FILE...` runs the target's body on each file (to reproduce a crash in a
/// debug build). Built by `bench/fuzz.sh` with `-sanitize=fuzzer,address -DFUZZING`, `main`
/// hands the command line to libFuzzer's driver instead.
public enum Fuzz {
    public static func main(_ body: @escaping (UnsafeBufferPointer<UInt8>) -> Void) -> Never {
        target = body
        #if FUZZING
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv) { fuzzTestOneInput($0, $1) })
        #else
        replay(body)
        exit(0)
        #endif
    }

    /// Runs `body` on every file named on the command line (the replay mode).
    public static func replay(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        let files = CommandLine.arguments.dropFirst()
        if files.isEmpty {
            print("usage: \(CommandLine.arguments[0]) FILE... (replays fuzz inputs; build with bench/fuzz.sh to fuzz)")
            return
        }
        for f in files {
            guard let bytes = readFileBytes(f) else { print("\(f): cannot read"); exit(2) }
            bytes.withUnsafeBufferPointer(body)
            print("\(f): ok (\(bytes.count) bytes)")
        }
    }

    /// Writes the input to a per-process file in /dev/shm (or /tmp) and returns its path, for
    /// APIs that read files. The same file is overwritten on every call.
    public static func file(_ data: UnsafeBufferPointer<UInt8>, name: String) -> String {
        let dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
        let path = "\(dir)/winnow-fuzz-\(getpid())-\(name)"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(fd >= 0, "cannot write \(path)")
        var done = 0
        while done < data.count {
            let n = write(fd, data.baseAddress! + done, data.count - done)
            precondition(n > 0, "write failed")
            done += n
        }
        close(fd)
        return path
    }
}

/// Bytes in memory as a `ByteSource`, handed out in chunks of `chunkSize` (to exercise
/// buffer boundaries), with a gap flagged before every `gapEvery`-th chunk (0: never).
public final class MemorySource: ByteSource {
    private let storage: UnsafeMutableRawBufferPointer
    private var pos = 0
    private var chunks = 0
    private let chunkSize: Int
    private let gapEvery: Int
    public private(set) var damage = DamageReport()
    public var path: String { "fuzz-input" }
    public var inputBytesRead: Int { pos }

    public init(_ data: UnsafeBufferPointer<UInt8>, chunkSize: Int, gapEvery: Int = 0) {
        storage = .allocate(byteCount: max(data.count, 1), alignment: 16)
        if data.count > 0 { storage.baseAddress!.copyMemory(from: data.baseAddress!, byteCount: data.count) }
        count = data.count
        self.chunkSize = max(chunkSize, 1)
        self.gapEvery = gapEvery
    }

    private let count: Int
    deinit { storage.deallocate() }

    public func next() throws -> SourceChunk? {
        guard pos < count else { return nil }
        let n = min(chunkSize, count - pos)
        defer { pos += n; chunks += 1 }
        let gap = gapEvery > 0 && chunks > 0 && chunks % gapEvery == 0
        return SourceChunk(bytes: UnsafeRawBufferPointer(rebasing: storage[pos..<(pos + n)]), gapBefore: gap)
    }
}
