import CSQLite

public struct SQLiteError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}

/// Thin SQLite connection: prepared statements with positional bindings, rows as arrays.
/// Several processes share the run database, so every connection waits on locks
/// (busy timeout) and writes go through `BEGIN IMMEDIATE` transactions.
final class SQLiteDB {
    private var db: OpaquePointer?
    let path: String

    enum Value: Equatable {
        case int(Int), double(Double), text(String), null
        var int: Int? { if case .int(let v) = self { return v }; if case .double(let d) = self { return Int(d) }; return nil }
        var double: Double? { if case .double(let v) = self { return v }; if case .int(let i) = self { return Double(i) }; return nil }
        var text: String? { if case .text(let v) = self { return v }; return nil }
    }

    init(path: String) throws {
        self.path = path
        let rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nil)
        guard rc == SQLITE_OK else {
            let msg = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(db)
            throw SQLiteError(message: "\(path): cannot open database: \(msg)")
        }
        sqlite3_busy_timeout(db, 60_000)
    }

    /// WAL (fewer fsyncs; readers never block the writer) suits a run on one machine; DELETE
    /// suits a database that other hosts open over a shared file system, where WAL's shared
    /// memory index does not work. Either survives a killed process.
    func setJournal(wal: Bool) throws {
        try execute(wal ? "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" : "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;")
    }

    deinit { sqlite3_close(db) }

    func execute(_ sql: String) throws {
        var err: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(db, sql, nil, nil, &err) != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? "error"
            sqlite3_free(err)
            throw SQLiteError(message: "\(path): \(msg) in: \(sql.prefix(120))")
        }
    }

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Runs one statement; returns its rows.
    @discardableResult
    func query(_ sql: String, _ args: [Value] = []) throws -> [[Value]] {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK else {
            throw SQLiteError(message: "\(path): \(String(cString: sqlite3_errmsg(db))) in: \(sql.prefix(120))")
        }
        defer { sqlite3_finalize(stmt) }
        for (i, a) in args.enumerated() {
            let idx = Int32(i + 1)
            switch a {
            case .int(let v): sqlite3_bind_int64(stmt, idx, Int64(v))
            case .double(let v): sqlite3_bind_double(stmt, idx, v)
            case .text(let v): sqlite3_bind_text(stmt, idx, v, -1, Self.transient)
            case .null: sqlite3_bind_null(stmt, idx)
            }
        }
        var rows: [[Value]] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else {
                throw SQLiteError(message: "\(path): \(String(cString: sqlite3_errmsg(db))) in: \(sql.prefix(120))")
            }
            var row: [Value] = []
            for c in 0..<sqlite3_column_count(stmt) {
                switch sqlite3_column_type(stmt, c) {
                case SQLITE_INTEGER: row.append(.int(Int(sqlite3_column_int64(stmt, c))))
                case SQLITE_FLOAT: row.append(.double(sqlite3_column_double(stmt, c)))
                case SQLITE_NULL: row.append(.null)
                default: row.append(.text(String(cString: sqlite3_column_text(stmt, c))))
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// Runs `body` in a write transaction (taken up front, so two processes never deadlock
    /// upgrading read locks); rolls back if it throws.
    func transaction<T>(_ body: () throws -> T) throws -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let r = try body()
            try execute("COMMIT")
            return r
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }
}
