import Crypto
import Foundation

/// One plain-SQL migration file, `NNN_name.sql`, applied in order of its version.
public struct Migration: Sendable, Equatable {
    /// The number the file name starts with; migrations apply in ascending order.
    public var version: Int
    /// The rest of the file name, for logs.
    public var name: String
    public var sql: String

    /// SHA-256 of the SQL, so an applied migration that was edited afterwards is noticed.
    public var checksum: String {
        SHA256.hash(data: Data(sql.utf8)).hexString
    }

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Reads every `NNN_name.sql` file in `directory`, sorted by version.
    public static func load(from directory: URL) throws -> [Migration] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw MigrationError(.missingDirectory, "cannot read migrations folder \(directory.path)")
        }
        var migrations: [Migration] = []
        for file in files.sorted() where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            guard let underscore = stem.firstIndex(of: "_"), let version = Int(stem[..<underscore]) else {
                throw MigrationError(.badFileName, "\(file) must be named NNN_description.sql")
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
            migrations.append(Migration(version: version, name: String(stem[stem.index(after: underscore)...]), sql: sql))
        }
        let versions = migrations.map(\.version)
        if let duplicate = versions.first(where: { version in versions.filter { $0 == version }.count > 1 }) {
            throw MigrationError(.badFileName, "two migrations have version \(duplicate)")
        }
        guard !migrations.isEmpty else {
            throw MigrationError(.missingDirectory, "no .sql migrations in \(directory.path)")
        }
        return migrations.sorted { $0.version < $1.version }
    }
}

/// A migration that could not be read or applied.
public struct MigrationError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        public static let missingDirectory = Code("missingDirectory")
        public static let badFileName = Code("badFileName")
        /// An applied migration's file changed since it was applied.
        public static let checksumMismatch = Code("checksumMismatch")
        /// The database has a migration this build does not know (a newer build ran).
        public static let unknownVersion = Code("unknownVersion")
        /// A statement failed; the migration was rolled back.
        public static let statementFailed = Code("statementFailed")
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "migration \(code): \(message)" }
}
