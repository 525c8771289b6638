import Foundation
@testable import Indexer
@testable import Support
import TestSupport
import Testing

@Suite struct IndexerConfigTests {
    static let valid = SampleEnvironment.valid

    func config(_ changes: [String: String]) throws(ConfigError) -> IndexerConfig {
        try IndexerConfig(environment: EnvironmentVariables(Self.valid.merging(changes) { _, new in new }))
    }

    @Test func defaultsAndSetValues() throws {
        let defaults = try config([:])
        #expect(defaults.jobLease == .seconds(30) && defaults.phaseDelay == .zero && defaults.healthHost == "127.0.0.1")
        let set = try config(["ASKDB_JOB_LEASE_SECONDS": "12", "ASKDB_DEBUG_PHASE_DELAY_MS": "250", "ASKDB_INDEXER_HOST": "0.0.0.0"])
        #expect(set.jobLease == .seconds(12) && set.phaseDelay == .milliseconds(250) && set.healthHost == "0.0.0.0")
    }

    @Test func historyIsKeptNinetyDaysUnlessToldOtherwise() throws {
        #expect(try config([:]).historyRetention == .seconds(90 * 86_400))
        #expect(try config(["ASKDB_HISTORY_RETENTION_DAYS": "7"]).historyRetention == .seconds(7 * 86_400))
        #expect(try config(["ASKDB_HISTORY_RETENTION_DAYS": "0"]).historyRetention == nil, "0 keeps it for ever")
    }

    @Test func objectsPerIndexAreCapped() throws {
        #expect(try config([:]).maxObjectsPerIndex == 5000)
        #expect(try config(["ASKDB_MAX_OBJECTS_PER_INDEX": "20"]).maxObjectsPerIndex == 20)
    }

    /// A malformed value stops the process naming the variable; it used to become 30 silently.
    @Test(arguments: [("ASKDB_JOB_LEASE_SECONDS", "thirty"), ("ASKDB_JOB_LEASE_SECONDS", "0"), ("ASKDB_DEBUG_PHASE_DELAY_MS", "-5"),
                     ("ASKDB_HISTORY_RETENTION_DAYS", "-1"), ("ASKDB_HISTORY_RETENTION_DAYS", "ninety"),
                     ("ASKDB_MAX_OBJECTS_PER_INDEX", "0")])
    func aMalformedValueNamesItsVariable(variable: String, value: String) {
        #expect {
            _ = try config([variable: value])
        } throws: { error in
            (error as? ConfigError)?.variable == variable
        }
    }
}
