import Foundation
@testable import Redis
import Testing

@Suite struct RedisURLTests {
    @Test func redisURLParts() throws {
        let url = try RedisURL("redis://worker:s3cret@cache:6380/3")
        #expect(url == RedisURL(host: "cache", port: 6380, username: "worker", password: "s3cret", database: 3))
        #expect(try RedisURL("redis://:pw@localhost").username == nil)
        #expect(try RedisURL("redis://:pw@localhost").password == "pw")
    }
}
