import Foundation
@testable import Support
import Testing

@Suite struct HostPolicyTests {
    @Test func policyRefusesMetadataAlwaysAndOthersOutsideTheList() async throws {
        let open = HostPolicy()
        #expect(try await open.resolve("93.184.215.14") == IPAddress("93.184.215.14"))
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

    /// With no allow list, the operator's own network is refused: loopback, private, shared
    /// and unique-local addresses, literal or by a name that resolves to one.
    @Test(arguments: ["10.0.0.1", "172.16.0.1", "192.168.1.1", "100.64.0.1", "169.254.169.254", "[fd00::1]", "[::1]", "127.0.0.2",
                      "::ffff:10.0.0.1", "localhost"])
    func internalAddressesAreRefusedUnlessNamed(host: String) async throws {
        let refused = await #expect(throws: AskDBError.self, "\(host)") { try await HostPolicy().resolve(host) }
        #expect(refused?.code == "host_not_allowed")
        #expect(refused?.message.contains("ASKDB_ALLOWED_HOSTS") == true || refused?.message.contains("never allowed") == true)
    }

    @Test func anAllowListNamesInternalHostsItTrusts() async throws {
        let named = try HostPolicy(list: "127.0.0.1, 10.0.0.0/8")
        #expect(try await named.resolve("127.0.0.1") == IPAddress("127.0.0.1"))
        #expect(try await named.resolve("10.2.3.4") == IPAddress("10.2.3.4"))
        await #expect(throws: AskDBError.self) { try await named.resolve("192.168.1.1") }
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
