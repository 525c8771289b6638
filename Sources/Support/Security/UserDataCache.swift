import Foundation

/// Copies of a user's data kept outside their rows (the answer and query caches in Redis): when
/// the data is deleted, they are forgotten with it, so nothing of it outlives the delete.
package protocol UserDataCache: Sendable {
    /// Forgets what is kept of the user's connection `connectionID`, or of all their
    /// connections when it is nil.
    func forget(ownerID: UUID, connectionID: UUID?) async throws
}
