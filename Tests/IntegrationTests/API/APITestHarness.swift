@testable import API
@testable import AppDatabase
@testable import Embedding
import Foundation
import Hummingbird
import HummingbirdTesting
import PostgresNIO
@testable import Redis
@testable import Support
import TestSupport

/// Builds the real application against the test servers, for route tests.
enum APITestHarness {
    static func environment(database: PostgresURL, redis: RedisURL) -> [String: String] {
        [
            "ASKDB_BCRYPT_COST": "4",
            "DATABASE_URL": "postgres://\(database.username):\(database.password ?? "")@\(database.host):\(database.port)/\(database.database)",
            "REDIS_URL": "redis://\(redis.host):\(redis.port)/\(redis.database)",
            "JWT_SECRET": String(repeating: "j", count: 40),
            "ASKDB_ENCRYPTION_KEY": Data(repeating: 9, count: 32).base64EncodedString(),
            "ASKDB_HOST": "127.0.0.1",
            "ASKDB_PORT": "0",
            // Tests share one Redis: rate-limit counters and queues stay apart per application.
            "ASKDB_REDIS_PREFIX": "test-\(UUID().uuidString.prefix(8))",
            "ASKDB_MODEL_DIR": (try? TestServers.modelFolder.path) ?? "",
            // The test servers are on loopback, which a server refuses unless it is named.
            "ASKDB_ALLOWED_HOSTS": "127.0.0.1",
        ]
    }

    /// Runs `body` against the application wired to `database` and `redis` (defaults: the test servers).
    static func withApplication<T: Sendable>(
        database: PostgresURL? = nil,
        redis: RedisURL? = nil,
        mode: TestingSetup = .router,
        settings: [String: String] = [:],
        _ body: @Sendable (any TestClientProtocol, APIServices) async throws -> T
    ) async throws -> T {
        let values = environment(database: try database ?? TestServers.postgresAdminURL, redis: try redis ?? TestServers.redisURL)
        let config = try APIConfig(environment: EnvironmentVariables(values.merging(settings) { _, new in new }))
        var postgresConfiguration = config.app.database.clientConfiguration(connectTimeout: .seconds(1))
        postgresConfiguration.options.keepAliveBehavior = nil
        let services = await APIServices.make(
            config: config,
            postgres: PostgresClient(configuration: postgresConfiguration, backgroundLogger: TestServers.logger),
            redis: RedisClient(configuration: .init(url: config.app.redis, connectTimeout: .seconds(1))),
            embedder: EmbedderSlot(ready: HashEmbedder()),
            logger: TestServers.logger
        )
        // The application runs the resources, and shuts them down when the test ends.
        let application = buildApplication(config: config, services: services, resources: services.resources)
        return try await application.test(mode) { client in try await body(client, services) }
    }

    /// Runs `body` against an application on a fresh, migrated database of its own.
    static func withFreshApplication<T: Sendable>(
        mode: TestingSetup = .router,
        settings: [String: String] = [:],
        _ body: @Sendable (any TestClientProtocol, APIServices) async throws -> T
    ) async throws -> T {
        try await TestDatabase.with(migrated: true) { database, _ in
            try await withApplication(database: database.url, mode: mode, settings: settings, body)
        }
    }

    /// Decodes a JSON response body.
    static func json(_ response: TestResponse) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: response.body))
        guard let dictionary = object as? [String: Any] else { throw TestSetupError("body is not a JSON object") }
        return dictionary
    }
}
