@testable import Accounts
import Foundation
@testable import Support
import Testing

struct AccessTokensTests {
    @Test func aTokenVerifiedOnceIsStillRefusedOnceItExpires() async throws {
        let tokens = await AccessTokens(secret: SecretKey(bytes: Array(repeating: 7, count: 40)), lifetime: .seconds(1))
        let user = User(id: UUID(), email: "hana@example.com", role: .user, tokenVersion: 3, createdAt: Date())
        let (token, _) = try await tokens.issue(for: user)
        #expect(try await tokens.verify(token).ver == 3)
        #expect(try await tokens.verify(token).userID == user.id)
        try await Task.sleep(for: .milliseconds(2100))
        await #expect { try await tokens.verify(token) } throws: { ($0 as? AskDBError)?.code == "token_expired" }
        // A tampered copy of a remembered token is checked, not looked up.
        // The signature's first character: its last one may only hold padding bits.
        let signature = try #require(token.lastIndex(of: ".")).utf16Offset(in: token) + 1
        var characters = Array(token)
        characters[signature] = characters[signature] == "A" ? "B" : "A"
        let tampered = String(characters)
        await #expect { try await tokens.verify(tampered) } throws: { ($0 as? AskDBError)?.code == "invalid_token" }
    }
}
