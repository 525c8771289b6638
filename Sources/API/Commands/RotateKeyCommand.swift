import ArgumentParser
import Core
import Foundation
import Logging
import PostgresNIO

/// `askdb-api rotate-key`: re-seals every stored connection URL under `ASKDB_ENCRYPTION_KEY`.
///
/// Rotation: put the old key in `ASKDB_ENCRYPTION_PREVIOUS_KEYS`, the new one in
/// `ASKDB_ENCRYPTION_KEY`, restart the processes, run this, then drop the old key.
struct RotateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key",
        abstract: "Re-encrypt stored connection URLs under the current ASKDB_ENCRYPTION_KEY."
    )

    func run() async throws {
        let config = EnvironmentVariables.parseOrExit { try APIConfig(environment: $0) }
        config.app.logging.bootstrap()
        var logger = Logger(label: "askdb.rotate-key")
        logger.logLevel = .error
        let postgres = PostgresClient(configuration: config.app.database.clientConfiguration(), backgroundLogger: logger)
        let redis = RedisClient(configuration: .init(url: config.app.redis))
        let services = await APIServices.make(config: config, postgres: postgres, redis: redis, logger: logger)
        defer { Task { await services.shutdown() } }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await postgres.run() }
            defer { group.cancelAll() }
            do {
                let count = try await services.connections.rotateKeys()
                print("re-encrypted \(count) connection URL(s) under key \(config.app.keyRing.current.id)")
            } catch let error as KeyRingError {
                FileHandle.standardError.write(Data("rotate-key: \(error.message)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
