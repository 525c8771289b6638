import NIOSSL
import PostgresNIO
import Support

/// TLS to a user's PostgreSQL, by the URL's `sslmode` as libpq reads it with one difference:
/// under `prefer` (the default) a server that offers TLS must present a certificate that
/// verifies, against the connection's own CA certificates or the system's roots, for the host
/// named. Encryption without a check is only by asking for it (`sslmode=require` and no CA).
struct PostgresSourceTLS {
    var mode: PostgresURL.TLSMode
    var caCertificate: String?

    func configuration() throws -> PostgresConnection.Configuration.TLS {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caCertificate { tls.trustRoots = .certificates(try TrustedCertificates.certificates(in: caCertificate)) }
        switch mode {
        case .disable:
            return .disable
        case .allow, .prefer:
            return .prefer(try NIOSSLContext(configuration: tls))
        case .require:
            // As libpq does once a root certificate is given: the chain is checked, the name not.
            tls.certificateVerification = caCertificate == nil ? .none : .noHostnameVerification
        case .verifyCA:
            tls.certificateVerification = .noHostnameVerification
        case .verifyFull:
            break
        }
        return .require(try NIOSSLContext(configuration: tls))
    }

    /// What to do about a certificate that did not verify.
    var advice: String {
        switch mode {
        case .allow, .prefer: "; add the server's CA certificate to the connection, or set sslmode=require to encrypt without checking it"
        case .verifyCA, .verifyFull, .require: caCertificate == nil ? "; add the server's CA certificate to the connection" : ""
        case .disable: ""
        }
    }
}
