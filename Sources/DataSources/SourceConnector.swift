import SchemaModel
import Support

/// What a successful connection test learned about a user's database.
package struct SourceProbe: Sendable, Equatable, Codable {
    /// The server's own version string.
    package var serverVersion: String
    /// The database connected to (for MongoDB, the URL's database, if any).
    package var database: String?
    /// The user AskDB connects as.
    package var user: String?
    /// Whether the connection is encrypted, when the server says.
    package var encrypted: Bool?
    /// Things the owner should know, e.g. that the user is a superuser.
    package var warnings: [String]

    package init(serverVersion: String, database: String?, user: String?, encrypted: Bool?, warnings: [String]) {
        self.serverVersion = serverVersion
        self.database = database
        self.user = user
        self.encrypted = encrypted
        self.warnings = warnings
    }

    enum CodingKeys: String, CodingKey {
        case database, user, warnings, encrypted
        case serverVersion = "server_version"
    }
}

/// Reports sampling progress: objects done, objects in all, the object being read.
package typealias SamplingProgress = @Sendable (_ done: Int, _ total: Int, _ object: String) async throws -> Void

/// A user's database, seen through one driver.
package protocol SourceConnector: Sendable {
    /// Connects within the time limit and describes the server; a failure is an ``AskDBError``
    /// whose code classifies it (`host_not_found`, `connection_refused`, `tls_failed`,
    /// `authentication_failed`, `database_not_found`, `connection_timeout`, `connection_failed`)
    /// and whose message carries the server's own words.
    func test() async throws -> SourceProbe

    /// Reads the database's structure and a bounded sample of its values, as `options` allow,
    /// without writing anything and without a full scan of any big table: of at most
    /// `maxObjects` tables or collections, chosen by ``ObjectCap``'s rule and noted.
    func sampleSchema(options: SamplingOptions, maxObjects: Int, progress: SamplingProgress) async throws -> SchemaSnapshot

    /// Runs a query the guard passed, read-only, within `limits`, and returns its rows; a query
    /// the database rejects throws ``QueryExecutionError`` with the server's message.
    func run(_ query: GuardedQuery, limits: QueryLimits) async throws -> QueryResult
}
