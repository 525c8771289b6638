/// The kinds of database a user can connect.
package enum ConnectionKind: String, Sendable, Codable, CaseIterable {
    case postgres
    case mongodb
}
