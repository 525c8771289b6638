import Accounts
import Connections
import DataSources
import Jobs
import LanguageModel
import Query
import Runtime
import Support

/// The API process's settings: the shared ones plus the HTTP listener and token signing.
struct APIConfig: Sendable {
    var app: AppConfig
    /// Signs access tokens (HS256): `JWT_SECRET`, at least 32 characters.
    var jwtSecret: SecretKey
    /// Listen address: `ASKDB_HOST` (default 127.0.0.1) and `ASKDB_PORT` (default 8080).
    var host: String
    var port: Int
    /// The proxies whose `X-Forwarded-For` names the client: `ASKDB_TRUSTED_PROXIES`, addresses
    /// and CIDRs (default none: the peer is the client).
    var trustedProxies: TrustedProxies
    /// Who may register: `ASKDB_REGISTRATION` = open (default), closed or invite.
    var registration: RegistrationMode
    /// Access-token lifetime: `ASKDB_TOKEN_TTL` seconds, default one day.
    var tokenLifetime: Duration
    /// bcrypt work factor: `ASKDB_BCRYPT_COST`, default 11 (≥ 50 ms a hash).
    var bcryptCost: UInt8
    /// The language model that writes queries and answers.
    var languageModel: LanguageModelConfig
    /// How long whole answers are cached: `ASKDB_ANSWER_CACHE_TTL` seconds, default 60; 0 turns it off.
    var answerCacheTTL: Duration
    /// `ASKDB_QUESTIONS_PER_MINUTE` per user (default 30), `ASKDB_QUESTIONS_AT_ONCE` per user
    /// (default 3) and `ASKDB_QUERIES_PER_SOURCE` running at once against one user database (default 4).
    var questionLimits: QuestionLimits
    /// Job event streams open at once in this process: `ASKDB_MAX_EVENT_STREAMS_PER_USER` per
    /// user (default 5) and `ASKDB_MAX_EVENT_STREAMS` in all (default 200).
    var eventStreams: StreamLimits
    /// Connections a user may have: `ASKDB_MAX_CONNECTIONS_PER_USER`, default 50.
    var maxConnectionsPerUser: Int
    /// Model tokens a user's questions may spend a UTC day: `ASKDB_TOKENS_PER_USER_PER_DAY`;
    /// unset (the default): no limit (they are counted all the same).
    var tokensPerUserPerDay: Int?

    init(environment: EnvironmentVariables) throws(ConfigError) {
        app = try AppConfig(environment: environment)
        let secret = try environment.required("JWT_SECRET")
        guard secret.utf8.count >= 32 else {
            throw ConfigError(variable: "JWT_SECRET", reason: "must be at least 32 characters (e.g. `openssl rand -base64 48`)")
        }
        jwtSecret = SecretKey(bytes: Array(secret.utf8))
        host = environment.optional("ASKDB_HOST") ?? "127.0.0.1"
        port = try environment.integer("ASKDB_PORT", default: 8080, in: 0...65535)
        trustedProxies = try TrustedProxies(list: environment.optional("ASKDB_TRUSTED_PROXIES") ?? "")
        registration = try environment.choice("ASKDB_REGISTRATION", default: RegistrationMode.open)
        tokenLifetime = .seconds(try environment.integer("ASKDB_TOKEN_TTL", default: 86_400, in: 60...2_592_000))
        bcryptCost = UInt8(try environment.integer("ASKDB_BCRYPT_COST", default: Int(PasswordHasher.defaultCost), in: 4...16))
        languageModel = try LanguageModelConfig(environment: environment)
        answerCacheTTL = .seconds(try environment.integer("ASKDB_ANSWER_CACHE_TTL", default: 60, in: 0...86_400))
        questionLimits = QuestionLimits()
        questionLimits.perUserPerMinute = try environment.integer("ASKDB_QUESTIONS_PER_MINUTE", default: 30, in: 1...100_000)
        questionLimits.perUserAtOnce = try environment.integer("ASKDB_QUESTIONS_AT_ONCE", default: 3, in: 1...1000)
        questionLimits.perConnectionAtOnce = try environment.integer("ASKDB_QUERIES_PER_SOURCE", default: 4, in: 1...1000)
        questionLimits.query.maxCost = Double(try environment.integer("ASKDB_MAX_QUERY_COST", default: Int(QueryLimits.defaultMaxCost), in: 1000...1_000_000_000_000))
        questionLimits.query.maxCellBytes = try environment.integer("ASKDB_MAX_CELL_BYTES", default: 64 * 1024, in: 256...(16 << 20))
        questionLimits.query.maxResultBytes = try environment.integer("ASKDB_MAX_RESULT_BYTES", default: 8 << 20, in: 1024...(256 << 20))
        if environment.optional("ASKDB_TOKENS_PER_USER_PER_DAY") != nil {
            tokensPerUserPerDay = try environment.integer("ASKDB_TOKENS_PER_USER_PER_DAY", default: 0, in: 1...1_000_000_000_000)
        } else {
            tokensPerUserPerDay = nil
        }
        // "off": verified examples are worked examples only, never the answer by themselves.
        questionLimits.directMatch = environment.optional("ASKDB_EXAMPLE_MATCH_THRESHOLD")?.lowercased() == "off" ? nil
            : DirectMatch(threshold: try environment.decimal("ASKDB_EXAMPLE_MATCH_THRESHOLD", default: DirectMatch.defaultThreshold, in: 0.5...1))
        maxConnectionsPerUser = try environment.integer("ASKDB_MAX_CONNECTIONS_PER_USER", default: ConnectionService.defaultMaxPerUser, in: 1...100_000)
        eventStreams = StreamLimits(
            perUser: try environment.integer("ASKDB_MAX_EVENT_STREAMS_PER_USER", default: StreamLimits().perUser, in: 1...1000),
            total: try environment.integer("ASKDB_MAX_EVENT_STREAMS", default: StreamLimits().total, in: 1...100_000)
        )
    }
}
