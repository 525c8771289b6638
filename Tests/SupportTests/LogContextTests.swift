import Foundation
import Logging
@testable import Support
import Testing

struct LogContextTests {
    private static func event(_ message: Logger.Message, metadata: Logger.Metadata? = nil) -> LogEvent {
        LogEvent(level: .info, message: message, metadata: metadata, source: "test", file: #fileID, function: #function, line: #line)
    }

    private static func object(_ line: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
    }

    @Test func aLineLoggedInsideARequestOrAJobNamesItWhicheverLoggerWritesIt() throws {
        let handler = JSONLogHandler(label: "askdb.query", level: .info, metadataProvider: LogContext.metadataProvider)
        let inRequest = try LogContext.$requestID.withValue("req-42") { try Self.object(handler.rendered(Self.event("retrieving"))) }
        #expect(inRequest["hb.request.id"] as? String == "req-42")
        #expect(inRequest["job"] == nil)
        let inJob = try LogContext.$jobID.withValue("5f0c9d4e-1b2a-4c3d-8e9f-0a1b2c3d4e5f") { try Self.object(handler.rendered(Self.event("embedding"))) }
        #expect(inJob["job"] as? String == "5f0c9d4e-1b2a-4c3d-8e9f-0a1b2c3d4e5f")
        let outside = try Self.object(handler.rendered(Self.event("starting")))
        #expect(outside["hb.request.id"] == nil && outside["job"] == nil)
    }

    @Test func idsInMessagesAndMetadataAreWrittenAsTheAPIWritesThem() throws {
        let id = UUID(uuidString: "5F0C9D4E-1B2A-4C3D-8E9F-0A1B2C3D4E5F")!
        let handler = JSONLogHandler(label: "t", level: .info)
        let line = try Self.object(handler.rendered(Self.event("connection \(id) indexed", metadata: ["connection": "\(id)"])))
        #expect(line["message"] as? String == "connection 5f0c9d4e-1b2a-4c3d-8e9f-0a1b2c3d4e5f indexed")
        #expect(line["connection"] as? String == id.lowercasedString)
    }
}
