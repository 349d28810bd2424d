import CProcessShim
import WinnowIO
#if canImport(Glibc)
import Glibc
#endif
import WinnowCore

/// A child process started with posix_spawn, its stdout and stderr appended to a log file.
/// Polled with `poll()` (never blocks), so one thread can watch many children.
final class ChildProcess {
    let pid: pid_t
    let arguments: [String]

    enum Exit: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)
        var description: String {
            switch self {
            case .exited(let c): return "exit status \(c)"
            case .signaled(let s): return "killed by signal \(s)\(s == SIGKILL ? " (SIGKILL)" : s == SIGSEGV ? " (SIGSEGV)" : "")"
            }
        }
        var succeeded: Bool { self == .exited(0) }
    }

    /// `environment` entries are added to (or replace those of) this process's environment.
    init(executable: String, arguments: [String], environment: [String: String] = [:], logFile: String) throws {
        self.arguments = arguments
        try makeDirectories(parentOf: logFile)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var env: [String] = []
        if var e = winnow_environ() {
            while let s = e.pointee {
                let entry = String(cString: s)
                let key = String(entry.prefix { $0 != "=" })
                if environment[key] == nil { env.append(entry) }
                e += 1
            }
        }
        for (k, v) in environment.sorted(by: { $0.key < $1.key }) { env.append("\(k)=\(v)") }

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) }; for p in envp { free(p) } }
        var child: pid_t = 0
        let rc = posix_spawn(&child, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw IOError(executable, "cannot start: \(String(cString: strerror(rc)))") }
        pid = child
    }

    /// The exit, once the child has ended; nil while it runs.
    func poll() -> Exit? {
        var status: Int32 = 0
        let r = waitpid(pid, &status, WNOHANG)
        guard r == pid else { return nil }
        return Self.decode(status)
    }

    /// Blocks until the child ends.
    func wait() -> Exit {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return Self.decode(status)
    }

    func signal(_ sig: Int32) { kill(pid, sig) }

    static func decode(_ status: Int32) -> Exit {
        let sig = status & 0x7F
        return sig == 0 ? .exited((status >> 8) & 0xFF) : .signaled(sig)
    }
}

/// The path of the running executable.
public func currentExecutable() -> String {
    var buf = [CChar](repeating: 0, count: 4096)
    let n = readlink("/proc/self/exe", &buf, buf.count - 1)
    return n > 0 ? stringFromCBuffer(buf) : CommandLine.arguments[0]
}
