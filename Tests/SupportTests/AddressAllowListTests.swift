@testable import Support
import Testing

struct AddressAllowListTests {
    @Test func loopbackIsTheDefault() {
        #expect(AddressAllowList.loopback.allows("127.0.0.1") && AddressAllowList.loopback.allows("127.8.9.10"))
        #expect(AddressAllowList.loopback.allows("::1") && AddressAllowList.loopback.allows("::ffff:127.0.0.1"))
        #expect(!AddressAllowList.loopback.allows("10.0.0.5") && !AddressAllowList.loopback.allows("unknown"))
    }

    @Test func aListOfCIDRsAndAddresses() throws {
        let list = try AddressAllowList(list: "10.1.0.0/16, 192.168.5.7,fd00::/8", variable: "ASKDB_METRICS_ALLOW")
        #expect(list.allows("10.1.200.3") && list.allows("192.168.5.7") && list.allows("fd12::1"))
        #expect(!list.allows("10.2.0.1") && !list.allows("127.0.0.1"))
    }

    @Test func aBadEntryOrAnEmptyListNamesTheVariable() {
        for list in ["10.0.0.0/33", "prometheus.internal", " , "] {
            #expect(throws: ConfigError.self) { try AddressAllowList(list: list, variable: "ASKDB_METRICS_ALLOW") }
        }
    }
}
