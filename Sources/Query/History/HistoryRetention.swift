import Foundation
import Logging
import ServiceLifecycle
import Support

/// Keeps question history for `ASKDB_HISTORY_RETENTION_DAYS` and no longer: every `interval`
/// it deletes what was asked before then.
///
/// The indexer runs it (the background process: the API serves requests, and any number of
/// indexers may prune at once without waiting on each other). History deleted this way goes
/// like history a user deletes; the audit log keeps its rows.
package struct HistoryRetention: Service {
    private let history: HistoryService
    private let keep: Duration
    private let interval: Duration
    private let logger: Logger

    package init(history: HistoryService, keep: Duration, interval: Duration = .seconds(3600), logger: Logger) {
        self.history = history
        self.keep = keep
        self.interval = interval
        self.logger = logger
    }

    package func run() async throws {
        await Periodically.run(every: interval) {
            do {
                let cutoff = Date().addingTimeInterval(-Double(keep.components.seconds))
                let deleted = try await history.prune(askedBefore: cutoff)
                if deleted > 0 { logger.info("history pruned", metadata: ["entries": "\(deleted)", "before": "\(cutoff)"]) }
            } catch {
                logger.warning("pruning history failed; trying again later", metadata: ["error": "\(error)"])
            }
        }
    }
}
