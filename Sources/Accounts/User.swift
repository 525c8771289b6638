import Foundation
import Support

/// What a user may do beyond their own data.
package enum Role: String, Sendable, Codable, CaseIterable {
    case user
    case admin
}

/// An account.
package struct User: Sendable, Equatable, Codable {
    @LowercaseUUID package var id: UUID
    package var email: String
    package var role: Role
    /// Tokens issued at an older version are revoked.
    package var tokenVersion: Int
    package var createdAt: Date

    package init(id: UUID, email: String, role: Role, tokenVersion: Int, createdAt: Date) {
        self.id = id
        self.email = email
        self.role = role
        self.tokenVersion = tokenVersion
        self.createdAt = createdAt
    }
}

/// Who is making a request, and how they proved it.
package struct Identity: Sendable, Equatable {
    package enum Credential: Sendable, Equatable {
        case accessToken
        case apiKey(id: UUID)
    }

    package var user: User
    package var credential: Credential

    package init(user: User, credential: Credential) {
        self.user = user
        self.credential = credential
    }

    package var isAdmin: Bool { user.role == .admin }
}

/// How a question is answered.
package enum AnswerMode: String, Sendable, Codable, CaseIterable {
    /// Run the query and write an answer from its rows.
    case answer
    /// Only generate and run the query.
    case sqlOnly = "sql_only"
}

/// Per-user preferences for answering questions; nil fields take the server's defaults.
package struct UserSettings: Sendable, Codable, Equatable {
    /// One of the models the server offers (`ASKDB_LLM_MODELS`).
    package var llmModel: String?
    /// Tokens of schema context to retrieve for a question, at most the server's
    /// `ASKDB_LLM_CONTEXT_TOKENS`.
    package var contextTokens: Int?
    package var answerMode: AnswerMode?

    package init(llmModel: String? = nil, contextTokens: Int? = nil, answerMode: AnswerMode? = nil) {
        self.llmModel = llmModel
        self.contextTokens = contextTokens
        self.answerMode = answerMode
    }

    enum CodingKeys: String, CodingKey {
        case llmModel = "llm_model"
        case contextTokens = "context_tokens"
        case answerMode = "answer_mode"
    }

    /// Unset fields are written as null, so a client sees every setting.
    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(llmModel, forKey: .llmModel)
        try container.encode(contextTokens, forKey: .contextTokens)
        try container.encode(answerMode, forKey: .answerMode)
    }
}

/// What the server lets users choose, and its defaults.
package struct SettingsPolicy: Sendable, Equatable {
    /// The models offered, the default first; empty when no model is configured.
    package var models: [String]
    /// The default context size, and the most a user may choose.
    package var maxContextTokens: Int

    package init(models: [String], maxContextTokens: Int) {
        self.models = models
        self.maxContextTokens = maxContextTokens
    }

    /// The settings a user's questions run with: theirs where the policy still allows them,
    /// else the defaults.
    package func effective(_ settings: UserSettings) -> EffectiveSettings {
        EffectiveSettings(
            llmModel: settings.llmModel.flatMap { models.contains($0) ? $0 : nil } ?? models.first,
            contextTokens: min(settings.contextTokens ?? maxContextTokens, maxContextTokens),
            answerMode: settings.answerMode ?? .answer
        )
    }

    /// Throws a 422-kind error naming the setting that is outside the policy.
    package func validate(_ settings: UserSettings) throws(AskDBError) {
        if let model = settings.llmModel, !models.contains(model) {
            throw .invalid("invalid_settings", models.isEmpty
                ? "llm_model cannot be set: no language model is configured"
                : "llm_model must be one of: \(models.joined(separator: ", "))")
        }
        let lowest = min(200, maxContextTokens)
        if let tokens = settings.contextTokens, !(lowest...maxContextTokens).contains(tokens) {
            throw .invalid("invalid_settings", "context_tokens must be from \(lowest) to \(maxContextTokens)")
        }
    }
}

/// The settings a user's questions run with.
package struct EffectiveSettings: Sendable, Codable, Equatable {
    /// Nil when no model is configured.
    package var llmModel: String?
    package var contextTokens: Int
    package var answerMode: AnswerMode

    enum CodingKeys: String, CodingKey {
        case llmModel = "llm_model"
        case contextTokens = "context_tokens"
        case answerMode = "answer_mode"
    }
}

/// A user's settings as the settings routes show them: the saved choices, what questions run
/// with, and what may be chosen.
package struct SettingsView: Sendable, Codable, Equatable {
    package var saved: UserSettings
    package var effective: EffectiveSettings
    package var llmModels: [String]
    package var maxContextTokens: Int

    package func encode(to encoder: any Encoder) throws {
        try saved.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(effective, forKey: .effective)
        try container.encode(llmModels, forKey: .llmModels)
        try container.encode(maxContextTokens, forKey: .maxContextTokens)
    }

    package init(from decoder: any Decoder) throws {
        saved = try UserSettings(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        effective = try container.decode(EffectiveSettings.self, forKey: .effective)
        llmModels = try container.decode([String].self, forKey: .llmModels)
        maxContextTokens = try container.decode(Int.self, forKey: .maxContextTokens)
    }

    package init(saved: UserSettings, policy: SettingsPolicy) {
        self.saved = saved
        effective = policy.effective(saved)
        llmModels = policy.models
        maxContextTokens = policy.maxContextTokens
    }

    enum CodingKeys: String, CodingKey {
        case effective
        case llmModels = "llm_models"
        case maxContextTokens = "max_context_tokens"
    }
}
