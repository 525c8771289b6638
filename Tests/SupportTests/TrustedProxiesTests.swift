@testable import Support
import Testing

@Suite struct TrustedProxiesTests {
    let proxies = try! TrustedProxies(list: "10.0.0.0/8, 192.168.1.1 ,fd00::/8")

    @Test func withoutProxiesThePeerIsTheClient() {
        #expect(TrustedProxies().clientAddress(peer: "10.1.2.3", forwardedFor: ["203.0.113.5"]) == "10.1.2.3")
    }

    @Test func anUntrustedPeersHeaderIsIgnored() {
        #expect(proxies.clientAddress(peer: "198.51.100.1", forwardedFor: ["203.0.113.5"]) == "198.51.100.1")
    }

    @Test func theNearestHopNoProxyVouchesForIsTheClient() {
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["203.0.113.5"]) == "203.0.113.5")
        // Read from the right, past trusted proxies: what the client wrote in front is not believed.
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["1.2.3.4, 203.0.113.5, 192.168.1.1"]) == "203.0.113.5")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["1.2.3.4", "203.0.113.5,10.9.9.9"]) == "203.0.113.5")
        #expect(proxies.clientAddress(peer: "fd00::1", forwardedFor: ["2001:db8::7"]) == "2001:db8::7")
    }

    @Test func onlyProxiesOrNoHeaderLeaveTheLastTrustedHop() {
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: []) == "10.1.2.3")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["192.168.1.1, 10.0.0.2"]) == "192.168.1.1")
    }

    @Test func aHopThatIsNoAddressStopsAtTheProxyThatWroteIt() {
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["203.0.113.5, unknown"]) == "10.1.2.3")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: ["nonsense, 10.0.0.9"]) == "10.0.0.9")
    }

    @Test func aMalformedEntryNamesTheVariable() throws {
        #expect(throws: ConfigError.self) { try TrustedProxies(list: "10.0.0.0/8, proxy.example.com") }
        #expect(throws: ConfigError.self) { try TrustedProxies(list: "10.0.0.0/33") }
        #expect(try TrustedProxies(list: " , ").clientAddress(peer: "10.0.0.1", forwardedFor: ["1.1.1.1"]) == "10.0.0.1")
    }

    @Test func clientsAreCountedByAddressOrIPv6Network() {
        #expect(IPAddress("203.0.113.5")?.limitGroup == "203.0.113.5")
        #expect(IPAddress("::ffff:203.0.113.5")?.limitGroup == "203.0.113.5")
        #expect(IPAddress("2001:db8:1:2::1")?.limitGroup == "2001:db8:1:2::/64")
        #expect(IPAddress("2001:db8:1:2:ffff:ffff:ffff:ffff")?.limitGroup == "2001:db8:1:2::/64")
    }
}
