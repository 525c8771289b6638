import AppDatabase
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import SchemaModel
import Support

/// A user's PostgreSQL database, reached at the address the host policy approved.
package struct PostgresSourceConnector: SourceConnector {
    private let url: PostgresURL
    private let tls: PostgresSourceTLS
    private let address: IPAddress
    private let timeout: Duration
    /// Longest a sampling statement may run before the server stops it.
    private let statementTimeout: Duration
    private let logger: Logger

    /// - Parameter address: where to connect; the URL's host name is still used for TLS (SNI and
    ///   `verify-full`).
    /// - Parameter caCertificate: PEM certificates the server's must chain to (else the system's roots).
    package init(url: PostgresURL, caCertificate: String? = nil, address: IPAddress, timeout: Duration = .seconds(5),
                 statementTimeout: Duration = .seconds(10), logger: Logger) {
        self.url = url
        self.tls = PostgresSourceTLS(mode: url.tlsMode, caCertificate: caCertificate)
        self.address = address
        self.timeout = timeout
        self.statementTimeout = statementTimeout
        self.logger = logger
    }

    package func test() async throws -> SourceProbe {
        try await withConnection { connection in try await probe(connection) }
    }

    private func probe(_ connection: PostgresConnection) async throws -> SourceProbe {
        let rows = try await connection.query(
            """
            SELECT version(), current_database(), current_user,
                   coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = current_user), false),
                   (SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid())
            """,
            logger: logger
        )
        for try await (version, database, user, superuser, encrypted) in rows.decode((String, String, String, Bool, Bool?).self) {
            var warnings: [String] = []
            if superuser {
                warnings.append(
                    "\(user) is a superuser: read-only transactions do not stop a superuser (COPY … TO PROGRAM runs shell commands). Connect AskDB with a read-only role."
                )
            }
            return SourceProbe(serverVersion: version, database: database, user: user, encrypted: encrypted, warnings: warnings)
        }
        throw ConnectionFailure(.connectionFailed, "the server answered no version")
    }

    package func sampleSchema(options: SamplingOptions, maxObjects: Int, progress: SamplingProgress) async throws -> SchemaSnapshot {
        try await withConnection { connection in
            try await PostgresSchemaSampler(connection: connection, options: options, maxObjects: maxObjects, statementTimeout: statementTimeout, logger: logger)
                .sample(progress: progress)
        }
    }

    package func run(_ query: GuardedQuery, limits: QueryLimits) async throws -> QueryResult {
        try await withConnection { connection in
            try await PostgresQueryRunner(connection: connection, logger: logger).run(query.text, limits: limits)
        }
    }

    /// Runs `body` on a connection of its own, closed after.
    private func withConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await connect()
        do {
            let value = try await body(connection)
            try? await connection.close()
            return value
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// A single connection, made within the time limit, with failures classified.
    func connect() async throws -> PostgresConnection {
        var configuration = PostgresConnection.Configuration(
            host: address.description,
            port: url.port,
            username: url.username,
            password: url.password,
            database: url.database,
            tls: try tls.configuration()
        )
        // Our own limit below covers the whole handshake; the driver's is only a backstop.
        configuration.options.connectTimeout = .seconds(Int64(timeout.components.seconds) + 5)
        if IPAddress(url.host) == nil {
            configuration.options.tlsServerName = url.host
        }
        let logger = self.logger
        do {
            return try await withTimeout(timeout) { [configuration] in
                try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            }
        } catch {
            throw classify(error)
        }
    }

    private func classify(_ error: any Error) -> ConnectionFailure {
        let endpoint = "\(url.host):\(url.port)"
        if error is TimeoutError {
            return ConnectionFailure(.connectionTimeout, "no answer from \(endpoint) within \(timeout)")
        }
        guard let psql = error as? PSQLError else {
            return ConnectionFailure(.connectionFailed, "\(endpoint): \(error)")
        }
        if let sqlState = psql.serverInfo?[.sqlState] {
            let message = psql.serverInfo?[.message] ?? "error \(sqlState)"
            switch sqlState {
            case "28P01", "28000": return ConnectionFailure(.authenticationFailed, "authentication failed: \(message)")
            case "3D000": return ConnectionFailure(.databaseNotFound, "database does not exist: \(message)")
            default: return ConnectionFailure(.connectionFailed, "\(endpoint): \(message) (SQLSTATE \(sqlState))")
            }
        }
        switch psql.code {
        case .sslUnsupported:
            return ConnectionFailure(.tlsFailed, "\(endpoint) does not support TLS, which sslmode=\(url.tlsMode.rawValue) requires")
        case .failedToAddSSLHandler:
            return ConnectionFailure(.tlsFailed, "TLS setup failed for \(endpoint)")
        case .unsupportedAuthMechanism, .authMechanismRequiresPassword, .saslError:
            return ConnectionFailure(.authenticationFailed, "authentication failed: \(psql.code)")
        default:
            break
        }
        let underlying = psql.underlying
        if underlying is NIOSSLError || underlying is BoringSSLError || "\(String(describing: underlying))".contains("SSL") {
            return ConnectionFailure(.tlsFailed, "TLS handshake with \(endpoint) failed: \(String(describing: underlying!))" + tls.advice)
        }
        if let connectError = underlying as? NIOConnectionError {
            let causes = connectError.connectionErrors.map { "\($0.error)" }.joined(separator: "; ")
            if causes.contains("refused") || causes.contains("ECONNREFUSED") || causes.contains("errno: 111") {
                return ConnectionFailure(.connectionRefused, "connection refused by \(endpoint)")
            }
            return ConnectionFailure(.connectionFailed, "\(endpoint): \(causes)")
        }
        if let io = underlying as? IOError, io.errnoCode == ECONNREFUSED {
            return ConnectionFailure(.connectionRefused, "connection refused by \(endpoint)")
        }
        if underlying is ChannelError, "\(underlying!)".contains("connectTimeout") {
            return ConnectionFailure(.connectionTimeout, "no answer from \(endpoint) within \(timeout)")
        }
        return ConnectionFailure(.connectionFailed, "\(endpoint): \(underlying.map { "\($0)" } ?? "\(psql.code)")")
    }
}
