@testable import API
import Foundation
import Hummingbird
import Logging
import PostgresNIO
@testable import Redis
@testable import Support

/// The application's real router over clients that are never started: building the routes and
/// answering requests that fail before any service is asked connects to nothing.
enum APITestRouter {
    static func with<T: Sendable>(_ body: @Sendable (Router<AppRequestContext>) async throws -> T) async throws -> T {
        let config = try APIConfig(environment: EnvironmentVariables([
            "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
            "REDIS_URL": "redis://127.0.0.1:1/0",
            "JWT_SECRET": String(repeating: "j", count: 40),
            "ASKDB_ENCRYPTION_KEY": Data(repeating: 9, count: 32).base64EncodedString(),
            // Read only when the embedder is made, which the router never does.
            "ASKDB_MODEL_DIR": "/nonexistent",
        ]))
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let postgres = PostgresClient(
            configuration: .init(host: "127.0.0.1", port: 1, username: "nobody", password: nil, database: nil, tls: .disable),
            backgroundLogger: logger
        )
        // Nothing to stop after: resources start their threads on first use, which this never makes.
        let services = await APIServices.make(config: config, postgres: postgres, redis: RedisClient(configuration: .init(url: config.app.redis)), logger: logger)
        return try await body(buildRouter(services: services))
    }
}
