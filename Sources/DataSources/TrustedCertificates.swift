import NIOSSL
import Support

/// A connection's own CA certificates (PEM), which a server's TLS certificate may chain to
/// instead of the system's roots.
enum TrustedCertificates {
    /// Bounds a pasted bundle: a chain or two, not a whole trust store.
    static let maximumBytes = 64 * 1024
    static let maximumCertificates = 10

    /// `pem`, trimmed, if it holds 1 to 10 certificates and nothing else that matters.
    static func validated(_ pem: String) throws(ConnectionFailure) -> String {
        let pem = pem.trimmed()
        guard pem.utf8.count <= maximumBytes else {
            throw ConnectionFailure(.invalidCACertificate, "the CA certificate is over \(maximumBytes / 1024) KiB")
        }
        let count = (try? certificates(in: pem).count) ?? 0
        guard (1...maximumCertificates).contains(count) else {
            throw ConnectionFailure(.invalidCACertificate, "the CA certificate must be 1 to \(maximumCertificates) PEM certificates (-----BEGIN CERTIFICATE-----)")
        }
        return pem
    }

    static func certificates(in pem: String) throws -> [NIOSSLCertificate] {
        try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8))
    }
}
