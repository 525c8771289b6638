import Support

/// What a password must be: long enough, not trivially guessable, not the email.
package enum PasswordPolicy {
    package static let minimumLength = 10
    package static let maximumLength = 72  // bcrypt reads no further

    /// Throws a 422-kind error naming the first rule `password` breaks.
    package static func check(_ password: String, email: EmailAddress?) throws(AskDBError) {
        guard !password.isEmpty else {
            throw .invalid("weak_password", "password is required")
        }
        guard password.count >= minimumLength else {
            throw .invalid("weak_password", "password must be at least \(minimumLength) characters")
        }
        guard password.utf8.count <= maximumLength else {
            throw .invalid("weak_password", "password must be at most \(maximumLength) bytes")
        }
        guard Set(password).count >= 4 else {
            throw .invalid("weak_password", "password must use at least 4 different characters")
        }
        let lowered = password.lowercased()
        // "Password1!" is "password" with decorations: judge the letters alone.
        let letters = String(lowered.filter(\.isLetter))
        if commonPasswords.contains(lowered) || (!letters.isEmpty && commonPasswords.contains(letters)) {
            throw .invalid("weak_password", "password is too common")
        }
        if let email, let local = email.value.split(separator: "@").first, local.count >= 4, lowered.contains(local) {
            throw .invalid("weak_password", "password must not contain the email address")
        }
    }

    private static let commonPasswords: Set<String> = [
        "password", "passwort", "qwerty", "qwertyuiop", "azerty", "letmein", "welcome", "iloveyou",
        "admin", "administrator", "monkey", "dragon", "football", "baseball", "abc", "sunshine",
        "changeme", "secret", "login", "master", "princess", "trustno", "whatever", "passw", "pass",
        "mypassword", "qwertyasdf", "asdfghjkl", "zxcvbnm", "abcdefghij", "123456789", "1234567890",
    ]
}
