import HummingbirdBcrypt
import Support
import Synchronization

/// bcrypt on threads of its own: a hash takes tens of milliseconds of CPU by design, which must
/// not hold one of the cooperative pool's two threads.
package final class PasswordHasher: ResourceService {
    /// The work factor; 2^cost rounds. The default takes ≥ 50 ms here (docs/benchmarks.md).
    package let cost: UInt8
    private let threads: DedicatedThreads
    private let decoy = Mutex<String?>(nil)

    /// 11: about 114 ms a hash here, over the 50 ms floor (docs/benchmarks.md).
    package static let defaultCost: UInt8 = 11

    package init(cost: UInt8 = PasswordHasher.defaultCost, threads: Int = 2) {
        self.cost = cost
        self.threads = DedicatedThreads(count: threads)
    }

    package func hash(_ password: String) async throws -> String {
        let cost = self.cost
        return try await threads.run { Bcrypt.hash(password, cost: cost) }
    }

    package func verify(_ password: String, hash: String) async throws -> Bool {
        try await threads.run { Bcrypt.verify(password, hash: hash) }
    }

    /// A hash to verify against when the account does not exist, so a login for an unknown
    /// email takes as long as one for a known email.
    package func decoyHash() async throws -> String {
        if let hash = decoy.withLock({ $0 }) { return hash }
        let hash = try await hash("decoy password that matches nothing")
        decoy.withLock { $0 = hash }
        return hash
    }

    package func shutdown() async {
        await threads.shutdown()
    }
}
