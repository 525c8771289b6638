import Foundation

/// Typed reads of environment variables, each failing with a ``ConfigError`` that names the variable.
package struct EnvironmentVariables: Sendable {
    /// The raw variables, usually `ProcessInfo.processInfo.environment`.
    package var values: [String: String]

    /// Wraps a dictionary of variables.
    package init(_ values: [String: String]) {
        self.values = values
    }

    /// The trimmed value of `name`, or nil when it is unset or blank.
    package func optional(_ name: String) -> String? {
        guard let raw = values[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else {
            return nil
        }
        return raw
    }

    /// The value of `name`; throws when it is unset or blank.
    package func required(_ name: String) throws(ConfigError) -> String {
        guard let value = optional(name) else {
            throw ConfigError(variable: name, reason: "is required but not set")
        }
        return value
    }

    /// The value of `name` parsed as an integer within `range`, or `defaultValue` when unset.
    package func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard let raw = optional(name) else { return defaultValue }
        guard let value = Int(raw), range.contains(value) else {
            throw ConfigError(variable: name, reason: "must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// The value of `name` parsed as a decimal number within `range`, or `defaultValue` when unset.
    package func decimal(_ name: String, default defaultValue: Double, in range: ClosedRange<Double>) throws(ConfigError) -> Double {
        guard let raw = optional(name) else { return defaultValue }
        guard let value = Double(raw), range.contains(value) else {
            throw ConfigError(variable: name, reason: "must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// The value of `name` as one of `choices`, or `defaultValue` when unset.
    package func choice<T: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: T) throws(ConfigError) -> T
    where T.RawValue == String {
        guard let raw = optional(name) else { return defaultValue }
        guard let value = T(rawValue: raw.lowercased()) else {
            let names = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigError(variable: name, reason: "must be one of: \(names)")
        }
        return value
    }
}

extension EnvironmentVariables {
    /// Parses configuration from this process's environment, or prints the one line that names
    /// the bad variable to standard error and exits with status 2. For use at start only.
    package static func parseOrExit<T>(_ parse: (EnvironmentVariables) throws -> T) -> T {
        do {
            return try parse(EnvironmentVariables(ProcessInfo.processInfo.environment))
        } catch {
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            exit(2)
        }
    }
}
