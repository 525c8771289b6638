import NIOSSL
import PostgresNIO
import Support

extension PostgresURL {
    /// A postgres-nio pool configuration for this URL, honouring `sslmode` the way libpq does.
    package func clientConfiguration(connectTimeout: Duration = .seconds(10)) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS = switch tlsPolicy {
        case nil: .disable
        case (let configuration, false)?: .prefer(configuration)
        case (let configuration, true)?: .require(configuration)
        }
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

    /// The TLS configuration `sslmode` asks for, and whether TLS is required; nil for `disable`.
    /// `verify-ca` checks the chain, `verify-full` the host name too; the others encrypt without
    /// verifying, as libpq does.
    package var tlsPolicy: (configuration: TLSConfiguration, required: Bool)? {
        var configuration = TLSConfiguration.makeClientConfiguration()
        switch tlsMode {
        case .disable:
            return nil
        case .allow, .prefer:
            configuration.certificateVerification = .none
            return (configuration, false)
        case .require:
            configuration.certificateVerification = .none
            return (configuration, true)
        case .verifyCA:
            configuration.certificateVerification = .noHostnameVerification
            return (configuration, true)
        case .verifyFull:
            return (configuration, true)
        }
    }
}
