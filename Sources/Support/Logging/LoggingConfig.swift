import Logging

/// How a process logs: `ASKDB_LOG_FORMAT` (text or json) and `ASKDB_LOG_LEVEL`.
package struct LoggingConfig: Sendable {
    /// The line format.
    package enum Format: String, Sendable, CaseIterable {
        /// Human-readable lines.
        case text
        /// One JSON object a line, for log collectors.
        case json
    }

    package var format: Format
    package var level: Logger.Level

    /// Creates a logging configuration directly.
    package init(format: Format = .text, level: Logger.Level = .info) {
        self.format = format
        self.level = level
    }

    /// Parses `ASKDB_LOG_FORMAT` and `ASKDB_LOG_LEVEL`.
    package init(environment: EnvironmentVariables) throws(ConfigError) {
        format = try environment.choice("ASKDB_LOG_FORMAT", default: Format.text)
        level = try environment.choice("ASKDB_LOG_LEVEL", default: Logger.Level.info)
    }
}
