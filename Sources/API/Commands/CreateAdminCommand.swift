import ArgumentParser
import Core
import Foundation
import Logging
import PostgresNIO

/// `askdb-api create-admin --email …`: makes the first admin (or promotes an existing user).
///
/// The password comes from `ASKDB_ADMIN_PASSWORD` or standard input, never from the command
/// line, where other users of the machine could read it.
struct CreateAdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin",
        abstract: "Create an admin account, or make an existing user an admin."
    )

    @Option(help: "The admin's email address.")
    var email: String

    @Flag(help: "Read the password from standard input (one line) instead of ASKDB_ADMIN_PASSWORD.")
    var passwordStdin = false

    func run() async throws {
        let config = EnvironmentVariables.parseOrExit { try APIConfig(environment: $0) }
        config.app.logging.bootstrap()
        var logger = Logger(label: "askdb.create-admin")
        logger.logLevel = .error
        let password: String? = if passwordStdin {
            readLine(strippingNewline: true)
        } else {
            ProcessInfo.processInfo.environment["ASKDB_ADMIN_PASSWORD"]
        }

        let postgres = PostgresClient(configuration: config.app.database.clientConfiguration(), backgroundLogger: logger)
        let redis = RedisClient(configuration: .init(url: config.app.redis))
        let services = await APIServices.make(config: config, postgres: postgres, redis: redis, logger: logger)
        defer { Task { await services.shutdown() } }
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await postgres.run() }
            defer { group.cancelAll() }
            do {
                let result = try await services.accounts.createAdmin(email: email, password: password)
                print(result.created ? "created admin \(result.user.email) (\(result.user.id.uuidString.lowercased()))"
                                     : "\(result.user.email) is now an admin")
            } catch let error as AskDBError {
                FileHandle.standardError.write(Data("create-admin: \(error.message)\n".utf8))
                throw ExitCode(1)
            }
        }
    }
}
