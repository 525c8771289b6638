import Foundation

/// The smallest environment every AskDB process accepts, for configuration tests.
package enum SampleEnvironment {
    package static let valid: [String: String] = [
        "DATABASE_URL": "postgres://askdb:secret@127.0.0.1:5432/askdb",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "ASKDB_ENCRYPTION_KEY": Data(repeating: 7, count: 32).base64EncodedString(),
        "ASKDB_MODEL_DIR": "/opt/askdb/model",
    ]
}
