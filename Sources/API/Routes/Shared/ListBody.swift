import Hummingbird

/// A list answer; `next_cursor` is null when there is no further page.
struct ListBody<Item: Encodable & Sendable>: ResponseEncodable {
    var items: [Item]
    var nextCursor: String? = nil

    enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
