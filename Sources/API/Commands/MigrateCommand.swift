import AppDatabase
import ArgumentParser
import Foundation
import Logging
import PostgresNIO
import Runtime
import Support

/// `askdb-api migrate`: applies pending migrations to the app database, then exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending app-database migrations.")

    @Option(help: "Folder of NNN_name.sql files (default: $ASKDB_MIGRATIONS_DIR, ./migrations, or beside the executable).")
    var migrations: String?

    func run() async throws {
        // Only the database is needed to migrate.
        let database = EnvironmentVariables.parseOrExit { environment throws(ConfigError) in
            let raw = try environment.required("DATABASE_URL")
            do {
                return try PostgresURL(raw)
            } catch {
                throw ConfigError(variable: "DATABASE_URL", reason: "is malformed: \(error)")
            }
        }
        let logging = EnvironmentVariables.parseOrExit { try LoggingConfig(environment: $0) }
        logging.bootstrap()
        let logger = Logger(label: "askdb.migrate")

        let folder = try MigrationsFolder.locate(explicit: migrations)
        let files = try Migration.load(from: folder)
        // The pool's own chatter (it warns when the first lease races its start) stays out of
        // an operator's way; the runner logs what matters.
        var poolLogger = logger
        poolLogger.logLevel = .error
        let client = PostgresClient(configuration: database.clientConfiguration(), backgroundLogger: poolLogger)
        try await ProcessServices.withRunning([client], logger: poolLogger) {
            do {
                let applied = try await MigrationRunner(client: client, logger: logger).migrate(files)
                logger.info("migrations done", metadata: ["applied": "\(applied.count)", "latest": "\(files.last?.version ?? 0)"])
            } catch let error as MigrationError {
                logger.error("\(error)")
                throw ExitCode(1)
            }
        }
    }
}

/// Finds the migrations folder: an explicit path, `ASKDB_MIGRATIONS_DIR`, `./migrations`, or
/// a `migrations` folder above the executable (a build inside the source tree).
enum MigrationsFolder {
    static func locate(explicit: String?) throws -> URL {
        let fileManager = FileManager.default
        if let path = explicit ?? ProcessInfo.processInfo.environment["ASKDB_MIGRATIONS_DIR"] {
            return URL(fileURLWithPath: path)
        }
        var candidates = [URL(fileURLWithPath: fileManager.currentDirectoryPath).appendingPathComponent("migrations")]
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<5 {
            candidates.append(folder.appendingPathComponent("migrations"))
            folder.deleteLastPathComponent()
        }
        guard let found = candidates.first(where: { fileManager.fileExists(atPath: $0.path) }) else {
            throw ValidationError("no migrations folder found: pass --migrations or set ASKDB_MIGRATIONS_DIR")
        }
        return found
    }
}
