@testable import API
import Foundation
@testable import Jobs
import Testing

@Suite struct AdminQueueRoutesTests {
    @Test func aWorkerIsSpelledInSnakeCaseLikeEveryOtherBody() throws {
        let info = WorkerInfo.current(concurrency: 2, now: Date(timeIntervalSince1970: 1_800_000_000))
        let json = try #require(try JSONSerialization.jsonObject(with: APIJSON.encoder.encode(AdminQueueRoutes.WorkerBody(info: info))) as? [String: Any])
        #expect(Set(json.keys) == ["id", "hostname", "pid", "concurrency", "started_at", "last_heartbeat"])
        #expect(json["started_at"] as? String == "2027-01-15T08:00:00Z" && json["concurrency"] as? Int == 2)
    }
}
