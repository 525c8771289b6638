/// The kinds of database a user can connect, named as the API and the stored rows name them.
///
/// Everything that differs between kinds lives in that kind's dialect (DataSources'
/// `SourceDialects` registers one for each case).
package enum ConnectionKind: String, Sendable, Codable, CaseIterable {
    case postgres
    case mongodb
}
