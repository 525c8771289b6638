import Core
import Logging
import PostgresNIO

/// The long-lived clients the API's routes share; made once at start.
struct APIServices: Sendable {
    let postgres: PostgresClient
    let redis: RedisClient
    let logger: Logger

    var readiness: ReadinessProbe {
        ReadinessProbe(postgres: postgres, redis: redis, logger: logger)
    }
}
