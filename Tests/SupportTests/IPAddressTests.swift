import Foundation
@testable import Support
import Testing

@Suite struct IPAddressTests {
    @Test func rangesContainWhatTheyShould() throws {
        let range = try #require(IPRange("10.0.0.0/8"))
        #expect(range.contains(try #require(IPAddress("10.200.3.4"))))
        #expect(!range.contains(try #require(IPAddress("11.0.0.1"))))
        #expect(range.contains(try #require(IPAddress("::ffff:10.1.2.3"))), "IPv4-mapped IPv6 must not slip through")
        let v6 = try #require(IPRange("fd00:ec2::254/128"))
        #expect(v6.contains(try #require(IPAddress("fd00:ec2:0::254"))))
        #expect(!v6.contains(try #require(IPAddress("fd00:ec2::255"))))
        #expect(IPRange("10.0.0.0/33") == nil)
        #expect(IPRange("not-an-ip/8") == nil)
        #expect(try #require(IPRange("192.168.1.7")).prefixLength == 32)
    }
}
