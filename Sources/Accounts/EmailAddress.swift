import Foundation
import Support

/// An email address, normalised (trimmed, lower-cased) so one person has one account.
package struct EmailAddress: Sendable, Hashable, CustomStringConvertible {
    package let value: String

    /// Normalises and checks `raw`; the error says what is wrong.
    package init(_ raw: String) throws(AskDBError) {
        let email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !email.isEmpty else { throw .invalid("invalid_email", "email is required") }
        guard email.utf8.count <= 320 else { throw .invalid("invalid_email", "email is longer than 320 characters") }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw .invalid("invalid_email", "email must look like name@example.com")
        }
        let domain = parts[1]
        guard domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."),
              !email.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw .invalid("invalid_email", "email must look like name@example.com")
        }
        value = email
    }

    package var description: String { value }
}
