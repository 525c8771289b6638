/// Group commit: items that arrive while a batch is being written wait and go together in the
/// next one, so a busy server writes a few statements instead of one round trip per item, and a
/// lone item is written at once.
package actor GroupCommit<Item: Sendable, Outcome: Sendable> {
    /// Writes a batch; returns one outcome per item, in order.
    package typealias Write = @Sendable ([Item]) async -> [Outcome]

    private let write: Write
    private var pending: [(Item, CheckedContinuation<Outcome, Never>)] = []
    private var flushing = false

    package init(write: @escaping Write) {
        self.write = write
    }

    /// Writes `item` in the next batch and returns its outcome.
    package func submit(_ item: Item) async -> Outcome {
        await withCheckedContinuation { continuation in
            pending.append((item, continuation))
            if !flushing {
                flushing = true
                Task { await self.flush() }
            }
        }
    }

    private func flush() async {
        while !pending.isEmpty {
            let batch = pending
            pending = []
            let outcomes = await write(batch.map(\.0))
            precondition(outcomes.count == batch.count, "a group commit's write returns one outcome per item")
            for ((_, continuation), outcome) in zip(batch, outcomes) {
                continuation.resume(returning: outcome)
            }
        }
        flushing = false
    }
}
