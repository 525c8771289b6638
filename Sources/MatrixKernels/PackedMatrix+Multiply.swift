extension PackedMatrix {
    /// y = x W + bias for the output columns of `panels`; x is [rows, inputs] and y [rows, outputs],
    /// both row major. Threads that take disjoint panel ranges can share one product.
    package func multiply(_ x: UnsafePointer<Float>, rows: Int, bias: UnsafePointer<Float>,
                         into y: UnsafeMutablePointer<Float>, panels: Range<Int>) {
        for panel in panels {
            let weights = UnsafePointer(storage + panel * inputs * 2)
            let column = panel * Self.panelWidth
            let biasLow = UnsafeRawPointer(bias + column).loadUnaligned(as: SIMD16<Float>.self)
            let biasHigh = UnsafeRawPointer(bias + column + 16).loadUnaligned(as: SIMD16<Float>.self)
            for row in stride(from: 0, to: rows, by: 8) {
                eightRows(x + row * inputs, count: min(8, rows - row), weights, biasLow, biasHigh, y + row * outputs + column)
            }
        }
    }

    // Sixteen accumulators keep both FMA units busy, and each step loads two weight vectors and
    // eight broadcasts for sixteen FMAs, so loads are not the limit; with the weights and a
    // broadcast they use 19 of the 32 registers. Fewer than eight rows repeat the last one and
    // store only the real ones: a one-row loop would wait on every FMA.
    @inline(__always)
    private func eightRows(_ x: UnsafePointer<Float>, count: Int, _ w: UnsafePointer<SIMD16<Float>>,
                           _ biasLow: SIMD16<Float>, _ biasHigh: SIMD16<Float>, _ y: UnsafeMutablePointer<Float>) {
        let n = inputs, last = count - 1
        let x0 = x, x1 = x + min(1, last) * n, x2 = x + min(2, last) * n, x3 = x + min(3, last) * n
        let x4 = x + min(4, last) * n, x5 = x + min(5, last) * n, x6 = x + min(6, last) * n, x7 = x + min(7, last) * n
        var a0 = biasLow, a1 = biasLow, a2 = biasLow, a3 = biasLow, a4 = biasLow, a5 = biasLow, a6 = biasLow, a7 = biasLow
        var b0 = biasHigh, b1 = biasHigh, b2 = biasHigh, b3 = biasHigh, b4 = biasHigh, b5 = biasHigh, b6 = biasHigh, b7 = biasHigh
        for i in 0..<n {
            let low = w[2 * i], high = w[2 * i + 1]
            var s = SIMD16<Float>(repeating: x0[i])
            a0 = a0.addingProduct(s, low); b0 = b0.addingProduct(s, high)
            s = SIMD16(repeating: x1[i])
            a1 = a1.addingProduct(s, low); b1 = b1.addingProduct(s, high)
            s = SIMD16(repeating: x2[i])
            a2 = a2.addingProduct(s, low); b2 = b2.addingProduct(s, high)
            s = SIMD16(repeating: x3[i])
            a3 = a3.addingProduct(s, low); b3 = b3.addingProduct(s, high)
            s = SIMD16(repeating: x4[i])
            a4 = a4.addingProduct(s, low); b4 = b4.addingProduct(s, high)
            s = SIMD16(repeating: x5[i])
            a5 = a5.addingProduct(s, low); b5 = b5.addingProduct(s, high)
            s = SIMD16(repeating: x6[i])
            a6 = a6.addingProduct(s, low); b6 = b6.addingProduct(s, high)
            s = SIMD16(repeating: x7[i])
            a7 = a7.addingProduct(s, low); b7 = b7.addingProduct(s, high)
        }
        let results = (a0, b0, a1, b1, a2, b2, a3, b3, a4, b4, a5, b5, a6, b6, a7, b7)
        withUnsafeBytes(of: results) { raw in
            for row in 0..<count {
                let target = UnsafeMutableRawPointer(y + row * outputs)
                target.storeBytes(of: raw.load(fromByteOffset: row * 128, as: SIMD16<Float>.self), as: SIMD16<Float>.self)
                target.storeBytes(of: raw.load(fromByteOffset: row * 128 + 64, as: SIMD16<Float>.self), toByteOffset: 64, as: SIMD16<Float>.self)
            }
        }
    }
}
