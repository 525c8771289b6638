import ArgumentParser
import Foundation

/// `askdb-api rotate-key`: re-seals every stored connection URL under `ASKDB_ENCRYPTION_KEY`.
///
/// Rotation: put the old key in `ASKDB_ENCRYPTION_PREVIOUS_KEYS`, the new one in
/// `ASKDB_ENCRYPTION_KEY`, restart the processes, run this, then drop the old key.
struct RotateKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key",
        abstract: "Re-encrypt stored connection URLs under the current ASKDB_ENCRYPTION_KEY."
    )

    func run() async throws {
        try await runOperatorTask("rotate-key") { services, config in
            let count = try await services.connections.rotateKeys()
            print("re-encrypted \(count) connection URL(s) under key \(config.app.keyRing.current.id)")
        }
    }
}
