@testable import Embedding
import Foundation
import Testing

@Suite struct GELUTests {
    @Test func theApproximationOfErfStaysWithinAFewUlpOfLibm() {
        var worst: Float = 0
        for step in -1000...1000 {
            let x = Float(step) / 100
            worst = max(worst, abs(GELU.erf(x) - erff(x)))
        }
        #expect(worst < 1e-6)
    }

    @Test func theBufferFormIsBERTsExactGELU() {
        var values: [Float] = (-300...300).map { Float($0) / 50 }
        let expected = values.map { $0 * 0.5 * (1 + erff($0 * 0.70710678118654752)) }
        values.withUnsafeMutableBufferPointer { GELU.apply($0.baseAddress!, count: $0.count) }
        for (value, want) in zip(values, expected) { #expect(abs(value - want) < 1e-5) }
    }
}
