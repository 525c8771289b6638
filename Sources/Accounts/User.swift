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

/// Per-user preferences for answering questions.
package struct UserSettings: Sendable, Codable, Equatable {
    /// How a question is answered.
    package enum AnswerMode: String, Sendable, Codable, CaseIterable {
        /// Run the query and write an answer from its rows.
        case answer
        /// Only generate and check the query.
        case sqlOnly = "sql_only"
    }

    /// LLM model name; nil uses the server's default.
    package var llmModel: String?
    /// Tokens of schema context to retrieve for a question; nil uses the server's default.
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

    /// Throws a 422-kind error naming the setting that is out of range.
    package func validate() throws(AskDBError) {
        if let llmModel, llmModel.isEmpty || llmModel.count > 200 {
            throw .invalid("invalid_settings", "llm_model must be 1 to 200 characters")
        }
        if let contextTokens, !(256...131_072).contains(contextTokens) {
            throw .invalid("invalid_settings", "context_tokens must be from 256 to 131072")
        }
    }
}
