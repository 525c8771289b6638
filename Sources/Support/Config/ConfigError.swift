/// A configuration value that is missing or malformed, named by its environment variable.
///
/// Its description is the one line a process prints before it exits, so it never includes the
/// offending value: the value may be a secret.
package struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The environment variable at fault.
    package var variable: String
    /// What is wrong with it, in words an operator can act on.
    package var reason: String

    /// Creates an error for `variable`.
    package init(variable: String, reason: String) {
        self.variable = variable
        self.reason = reason
    }

    package var description: String { "configuration error: \(variable) \(reason)" }
}
