/// The kinds of database a user can connect.
public enum ConnectionKind: String, Sendable, Codable, CaseIterable {
    case postgres
    case mongodb
}
