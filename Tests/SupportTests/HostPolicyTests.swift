import Foundation
@testable import Support
import Testing

@Suite struct HostPolicyTests {
    @Test func policyRefusesMetadataAlwaysAndOthersOutsideTheList() async throws {
        let open = HostPolicy()
        #expect(try await open.resolve("127.0.0.1") == IPAddress("127.0.0.1"))
        for address in ["169.254.169.254", "[fd00:ec2::254]", "::ffff:169.254.169.254", "fe80::1", "0.0.0.0"] {
            await #expect(throws: AskDBError.self, "\(address)") { try await open.resolve(address) }
        }
        let listed = try HostPolicy(list: "db.internal, *.corp.example, 10.1.0.0/16")
        #expect(listed.allowsName("db.internal"))
        #expect(listed.allowsName("eu.corp.example"))
        #expect(!listed.allowsName("corp.example.evil"))
        #expect(try await listed.resolve("10.1.2.3") == IPAddress("10.1.2.3"))
        do {
            _ = try await listed.resolve("127.0.0.1")
            Issue.record("127.0.0.1 passed an allow list without it")
        } catch let error as AskDBError {
            #expect(error.code == "host_not_allowed")
        }
        // localhost resolves to 127.0.0.1, which no rule names.
        await #expect(throws: AskDBError.self) { try await listed.resolve("localhost") }
        #expect(throws: ConfigError.self) { try HostPolicy(list: "ok.example, bad host!") }
    }

    @Test func unknownNamesAreNotFound() async throws {
        do {
            _ = try await HostPolicy().resolve("no-such-host.invalid")
            Issue.record("an unresolvable name resolved")
        } catch let error as ConnectionFailure {
            #expect(error.code == .hostNotFound && error.clientCode == "host_not_found" && error.code.isPermanent)
        }
    }
}
