import Crypto
import Foundation

/// One plain-SQL migration file, `NNN_name.sql`, applied in order of its version.
package struct Migration: Sendable, Equatable {
    /// The number the file name starts with; migrations apply in ascending order.
    package var version: Int
    /// The rest of the file name, for logs.
    package var name: String
    package var sql: String

    /// SHA-256 of the SQL, so an applied migration that was edited afterwards is noticed.
    package var checksum: String {
        SHA256.hash(data: Data(sql.utf8)).hexString
    }

    package init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Reads every `NNN_name.sql` file in `directory`, sorted by version.
    package static func load(from directory: URL) throws -> [Migration] {
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
package struct MigrationError: Error, Sendable, CustomStringConvertible {
    /// The kind of failure.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        package var description: String { name }

        package static let missingDirectory = Code("missingDirectory")
        package static let badFileName = Code("badFileName")
        /// An applied migration's file changed since it was applied.
        package static let checksumMismatch = Code("checksumMismatch")
        /// The database has a migration this build does not know (a newer build ran).
        package static let unknownVersion = Code("unknownVersion")
        /// A statement failed; the migration was rolled back.
        package static let statementFailed = Code("statementFailed")
    }

    package var code: Code
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { "migration \(code): \(message)" }
}
