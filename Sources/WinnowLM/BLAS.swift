#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS, opened on first use (`dlopen`) rather than linked. Its load-time constructor
/// starts a thread per extra core that spins on `sched_yield` for about a tenth of a second:
/// linked into `winnow`, every process paid that (4-6 % of an extraction run's samples, and a
/// spinner beside a one-core benchmark), though most never multiply a matrix.
enum OpenBLAS {
    typealias SGEMM = @convention(c) (Int32, Int32, Int32, Int32, Int32, Int32, Float, UnsafePointer<Float>?, Int32,
                                      UnsafePointer<Float>?, Int32, Float, UnsafeMutablePointer<Float>?, Int32) -> Void
    typealias SetThreads = @convention(c) (Int32) -> Void
    typealias GetThreads = @convention(c) () -> Int32

    struct Functions {
        let sgemm: SGEMM
        let setThreads: SetThreads
        let getThreads: GetThreads
    }

    /// The sonames tried, in order (Debian/Ubuntu's libopenblas0-pthread gives the first).
    static let libraries = ["libopenblas.so.0", "libopenblas.so", "libopenblasp.so.0"]
    // CBLAS's enum values.
    static let rowMajor: Int32 = 101, noTrans: Int32 = 111, trans: Int32 = 112

    static let functions: Functions = {
        for name in libraries {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else { continue }
            if let sgemm = dlsym(handle, "cblas_sgemm"), let set = dlsym(handle, "openblas_set_num_threads"),
               let get = dlsym(handle, "openblas_get_num_threads") {
                return Functions(sgemm: unsafeBitCast(sgemm, to: SGEMM.self), setThreads: unsafeBitCast(set, to: SetThreads.self),
                                 getThreads: unsafeBitCast(get, to: GetThreads.self))
            }
            dlclose(handle)
        }
        // A missing system library is a set-up error, not bad input: say what to install and stop.
        let message = "winnow: the transformer needs OpenBLAS at run time and found none (tried \(libraries.joined(separator: ", "))); "
            + "install libopenblas-dev (scripts/setup.sh does)\n"
        _ = message.withCString { write(2, $0, strlen($0)) }
        exit(70)
    }()
}

/// Row-major SGEMM: C = alpha · op(A) · op(B) + beta · C, with op(A) m×k and op(B) k×n.
@inline(__always)
func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
           a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
           beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
    OpenBLAS.functions.sgemm(OpenBLAS.rowMajor, transA ? OpenBLAS.trans : OpenBLAS.noTrans, transB ? OpenBLAS.trans : OpenBLAS.noTrans,
                             Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// OpenBLAS's thread count (process-wide). Results are deterministic for a fixed count.
public enum BLASThreads {
    public static func set(_ n: Int) { OpenBLAS.functions.setThreads(Int32(n)) }
    public static var current: Int { Int(OpenBLAS.functions.getThreads()) }
}
