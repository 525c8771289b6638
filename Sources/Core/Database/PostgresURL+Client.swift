import NIOSSL
import PostgresNIO

extension PostgresURL {
    /// A postgres-nio client configuration for this URL, honouring `sslmode` the way libpq does.
    public func clientConfiguration(connectTimeout: Duration = .seconds(10)) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host,
            port: port,
            username: username,
            password: password,
            database: database,
            tls: tls
        )
        configuration.options.connectTimeout = connectTimeout
        return configuration
    }

    private var tls: PostgresClient.Configuration.TLS {
        var unverified = TLSConfiguration.makeClientConfiguration()
        unverified.certificateVerification = .none
        switch tlsMode {
        case .disable:
            return .disable
        case .allow, .prefer:
            return .prefer(unverified)
        case .require:
            return .require(unverified)
        case .verifyCA:
            var verified = TLSConfiguration.makeClientConfiguration()
            verified.certificateVerification = .noHostnameVerification
            return .require(verified)
        case .verifyFull:
            return .require(TLSConfiguration.makeClientConfiguration())
        }
    }
}
