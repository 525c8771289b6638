extension PackedMatrix {
    /// y = x W + bias for the output columns of `panels`; x is [rows, inputs] and y [rows, outputs],
    /// both row major. Threads that take disjoint panel ranges can share one product.
    public func multiply(_ x: UnsafePointer<Float>, rows: Int, bias: UnsafePointer<Float>,
                         into y: UnsafeMutablePointer<Float>, panels: Range<Int>) {
        for panel in panels {
            let weights = UnsafePointer(storage + panel * inputs)
            let column = panel * Self.panelWidth
            let panelBias = UnsafeRawPointer(bias + column).loadUnaligned(as: SIMD16<Float>.self)
            for row in stride(from: 0, to: rows, by: 8) {
                eightRows(x + row * inputs, count: min(8, rows - row), weights, panelBias, y + row * outputs + column)
            }
        }
    }

    // Eight accumulators are enough independent chains for two FMA units, and with the weight
    // vector and a broadcast they leave most of the 32 registers free. Fewer than eight rows
    // repeat the last one and store only the real ones: a one-row loop would wait on every FMA.
    @inline(__always)
    private func eightRows(_ x: UnsafePointer<Float>, count: Int, _ w: UnsafePointer<SIMD16<Float>>,
                           _ bias: SIMD16<Float>, _ y: UnsafeMutablePointer<Float>) {
        let n = inputs, last = count - 1
        let x0 = x, x1 = x + min(1, last) * n, x2 = x + min(2, last) * n, x3 = x + min(3, last) * n
        let x4 = x + min(4, last) * n, x5 = x + min(5, last) * n, x6 = x + min(6, last) * n, x7 = x + min(7, last) * n
        var a0 = bias, a1 = bias, a2 = bias, a3 = bias, a4 = bias, a5 = bias, a6 = bias, a7 = bias
        for i in 0..<n {
            let v = w[i]
            a0 = a0.addingProduct(SIMD16(repeating: x0[i]), v)
            a1 = a1.addingProduct(SIMD16(repeating: x1[i]), v)
            a2 = a2.addingProduct(SIMD16(repeating: x2[i]), v)
            a3 = a3.addingProduct(SIMD16(repeating: x3[i]), v)
            a4 = a4.addingProduct(SIMD16(repeating: x4[i]), v)
            a5 = a5.addingProduct(SIMD16(repeating: x5[i]), v)
            a6 = a6.addingProduct(SIMD16(repeating: x6[i]), v)
            a7 = a7.addingProduct(SIMD16(repeating: x7[i]), v)
        }
        let results = (a0, a1, a2, a3, a4, a5, a6, a7)
        withUnsafeBytes(of: results) { raw in
            for row in 0..<count {
                UnsafeMutableRawPointer(y + row * outputs).storeBytes(of: raw.load(fromByteOffset: row * 64, as: SIMD16<Float>.self), as: SIMD16<Float>.self)
            }
        }
    }
}
