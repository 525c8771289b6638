import Core

/// The API process's settings: the shared ones plus the HTTP listener and token signing.
struct APIConfig: Sendable {
    var app: AppConfig
    /// Signs access tokens (HS256): `JWT_SECRET`, at least 32 characters.
    var jwtSecret: SecretKey
    /// Listen address: `ASKDB_HOST` (default 127.0.0.1) and `ASKDB_PORT` (default 8080).
    var host: String
    var port: Int

    init(environment: EnvironmentVariables) throws(ConfigError) {
        app = try AppConfig(environment: environment)
        let secret = try environment.required("JWT_SECRET")
        guard secret.utf8.count >= 32 else {
            throw ConfigError(variable: "JWT_SECRET", reason: "must be at least 32 characters (e.g. `openssl rand -base64 48`)")
        }
        jwtSecret = SecretKey(bytes: Array(secret.utf8))
        host = environment.optional("ASKDB_HOST") ?? "127.0.0.1"
        port = try environment.integer("ASKDB_PORT", default: 8080, in: 0...65535)
    }
}
