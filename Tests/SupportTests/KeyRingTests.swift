import Foundation
@testable import Support
import Testing

@Suite struct KeyRingTests {
    @Test func keyRingSealsBindsAndRotates() throws {
        let old = SecretKey(bytes: Array(repeating: 1, count: 32))
        let new = SecretKey(bytes: Array(repeating: 2, count: 32))
        let ring = KeyRing(current: old)
        let sealed = try ring.seal("postgres://u:hunter2@h/db", context: "row-1")
        #expect(sealed.ciphertext.range(of: Data("hunter2".utf8)) == nil)
        #expect(try ring.open(sealed.ciphertext, keyID: sealed.keyID, context: "row-1") == "postgres://u:hunter2@h/db")
        #expect(throws: KeyRingError.self) { try ring.open(sealed.ciphertext, keyID: sealed.keyID, context: "row-2") }
        var tampered = sealed.ciphertext
        tampered[tampered.startIndex + 14] ^= 1
        #expect(throws: KeyRingError.self) { try ring.open(tampered, keyID: sealed.keyID, context: "row-1") }
        let rotated = KeyRing(current: new, previous: [old])
        #expect(rotated.current.id != ring.current.id)
        #expect(try rotated.open(sealed.ciphertext, keyID: sealed.keyID, context: "row-1") == "postgres://u:hunter2@h/db")
        #expect(throws: KeyRingError.self) { try KeyRing(current: new).open(sealed.ciphertext, keyID: sealed.keyID, context: "row-1") }
    }
}
