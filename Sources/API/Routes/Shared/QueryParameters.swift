import Foundation
import Hummingbird
import Support

/// `limit` from the query string, 1–200, default 50.
enum Pagination {
    static func limit(_ request: Request) throws -> Int {
        guard let raw = request.uri.queryParameters.get("limit") else { return 50 }
        guard let limit = Int(raw), (1...200).contains(limit) else {
            throw AskDBError.invalid("invalid_parameter", "limit must be an integer from 1 to 200")
        }
        return limit
    }
}

extension Request {
    /// The query-string parameter `name` as a UUID, nil when absent; anything else is a 422.
    func uuidParameter(_ name: String) throws -> UUID? {
        guard let raw = uri.queryParameters.get(name) else { return nil }
        guard let id = UUID(uuidString: raw) else { throw AskDBError.invalid("invalid_parameter", "\(name) must be a UUID") }
        return id
    }
}
