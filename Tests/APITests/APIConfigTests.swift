@testable import API
import Foundation
@testable import Support
import Testing

@Suite struct APIConfigTests {
    static let valid = [
        "DATABASE_URL": "postgres://askdb:secret@127.0.0.1:5432/askdb",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "JWT_SECRET": String(repeating: "j", count: 40),
        "ASKDB_ENCRYPTION_KEY": Data(repeating: 9, count: 32).base64EncodedString(),
        "ASKDB_MODEL_DIR": "/nonexistent",
    ]

    func config(_ changes: [String: String]) throws(ConfigError) -> APIConfig {
        try APIConfig(environment: EnvironmentVariables(Self.valid.merging(changes) { _, new in new }))
    }

    @Test func theLimitsDefaultsAndSetValues() throws {
        let defaults = try config([:])
        #expect(defaults.eventStreams.perUser == 5 && defaults.eventStreams.total == 200)
        #expect(defaults.maxConnectionsPerUser == 50)
        #expect(defaults.trustedProxies.clientAddress(peer: "10.0.0.1", forwardedFor: ["203.0.113.5"]) == "10.0.0.1")
        let set = try config(["ASKDB_MAX_EVENT_STREAMS_PER_USER": "2", "ASKDB_MAX_EVENT_STREAMS": "9", "ASKDB_MAX_CONNECTIONS_PER_USER": "7",
                              "ASKDB_TRUSTED_PROXIES": "10.0.0.0/8"])
        #expect(set.eventStreams.perUser == 2 && set.eventStreams.total == 9 && set.maxConnectionsPerUser == 7)
        #expect(set.trustedProxies.clientAddress(peer: "10.0.0.1", forwardedFor: ["203.0.113.5"]) == "203.0.113.5")
    }

    @Test(arguments: [("ASKDB_MAX_EVENT_STREAMS_PER_USER", "0"), ("ASKDB_MAX_EVENT_STREAMS", "many"),
                      ("ASKDB_MAX_CONNECTIONS_PER_USER", "-1"), ("ASKDB_TRUSTED_PROXIES", "proxy.internal")])
    func aMalformedValueNamesItsVariable(variable: String, value: String) {
        #expect {
            _ = try config([variable: value])
        } throws: { error in
            (error as? ConfigError)?.variable == variable
        }
    }
}
