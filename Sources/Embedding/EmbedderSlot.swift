import ServiceLifecycle
import Support

/// The process's embedder as a member of its `ServiceGroup`: made (and checked) when the group
/// starts, shut down when it stops. A load that fails throws, which stops the group: a process
/// with an unusable embedder does not run.
package actor EmbedderSlot: Service {
    private enum State {
        case loading([CheckedContinuation<any Embedder, any Error>])
        case ready(any Embedder)
        case failed(any Error)
    }

    private let load: (@Sendable () async throws -> any Embedder)?
    private var state: State

    /// A slot whose embedder `load` makes when the group starts.
    package init(loading load: @escaping @Sendable () async throws -> any Embedder) {
        self.load = load
        state = .loading([])
    }

    /// A slot with its embedder already made.
    package init(ready embedder: any Embedder) {
        load = nil
        state = .ready(embedder)
    }

    package nonisolated func run() async throws {
        if let load {
            do {
                await finish(try await load())
            } catch {
                await fail(error)
                throw error
            }
        }
        try? await gracefulShutdown()
        if case .ready(let embedder) = await state { await embedder.shutdown() }
    }

    /// The embedder; while it is still loading, a `not_ready` refusal (for a caller that must
    /// not wait, like a question).
    package func get() throws -> any Embedder {
        switch state {
        case .ready(let embedder): return embedder
        case .failed(let error): throw error
        case .loading: throw AskDBError(.conflict, code: "not_ready", message: "the embedder is still loading; try again")
        }
    }

    /// The embedder, once it is loaded (for a caller that may wait, like an indexing job).
    package func ready() async throws -> any Embedder {
        switch state {
        case .ready(let embedder): return embedder
        case .failed(let error): throw error
        case .loading(let waiting):
            return try await withCheckedThrowingContinuation { continuation in
                state = .loading(waiting + [continuation])
            }
        }
    }

    private func finish(_ embedder: any Embedder) {
        guard case .loading(let waiting) = state else { return }
        state = .ready(embedder)
        waiting.forEach { $0.resume(returning: embedder) }
    }

    private func fail(_ error: any Error) {
        guard case .loading(let waiting) = state else { return }
        state = .failed(error)
        waiting.forEach { $0.resume(throwing: error) }
    }
}
