@testable import MatrixKernels
import Testing

@Suite struct PackedMatrixTests {
    /// The plain product, in doubles, that the kernel must reproduce.
    private func reference(_ x: [Float], rows: Int, _ weights: [Float], inputs: Int, outputs: Int, bias: [Float]) -> [Float] {
        var y = [Float](repeating: 0, count: rows * outputs)
        for row in 0..<rows {
            for output in 0..<outputs {
                var sum = Double(bias[output])
                for input in 0..<inputs { sum += Double(x[row * inputs + input]) * Double(weights[output * inputs + input]) }
                y[row * outputs + output] = Float(sum)
            }
        }
        return y
    }

    @Test(arguments: [1, 3, 4, 5, 9, 13])
    func productsMatchThePlainOneForAnyRowCountAndPanelSplit(rows: Int) {
        let inputs = 40, outputs = 96
        var generator = SystemRandomNumberGenerator()
        let weights = (0..<inputs * outputs).map { _ in Float.random(in: -1...1, using: &generator) }
        let x = (0..<rows * inputs).map { _ in Float.random(in: -1...1, using: &generator) }
        let bias = (0..<outputs).map { _ in Float.random(in: -1...1, using: &generator) }
        let packed = weights.withUnsafeBufferPointer { PackedMatrix(outputsByInputs: $0, inputs: inputs, outputs: outputs) }
        #expect(packed.panelCount == 3)
        let expected = reference(x, rows: rows, weights, inputs: inputs, outputs: outputs, bias: bias)
        // All panels at once, then in two shares as two threads would take them.
        for shares in [[0..<3], [0..<1, 1..<3]] {
            var y = [Float](repeating: .nan, count: rows * outputs)
            y.withUnsafeMutableBufferPointer { out in
                for share in shares { packed.multiply(x, rows: rows, bias: bias, into: out.baseAddress!, panels: share) }
            }
            for (got, want) in zip(y, expected) { #expect(abs(got - want) < 1e-4) }
        }
    }
}
