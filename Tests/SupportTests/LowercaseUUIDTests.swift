import Foundation
@testable import Support
import Testing

@Test func uuidsPrintInLowerCase() {
    let id = UUID()
    #expect(id.lowercasedString == id.uuidString.lowercased())
    #expect(UUID(uuidString: "0F1E2D3C-4B5A-6978-8796-A5B4C3D2E1F0")!.lowercasedString == "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0")
}
