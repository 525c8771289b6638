extension PackedMatrix {
    /// y = x W + bias for the output columns of `panels`; x is [rows, inputs] and y [rows, outputs],
    /// both row major. Threads that take disjoint panel ranges can share one product.
    public func multiply(_ x: UnsafePointer<Float>, rows: Int, bias: UnsafePointer<Float>,
                         into y: UnsafeMutablePointer<Float>, panels: Range<Int>) {
        for panel in panels {
            let weights = UnsafePointer(storage + panel * inputs * 2)
            let column = panel * Self.panelWidth
            let biasLow = UnsafeRawPointer(bias + column).loadUnaligned(as: SIMD8<Float>.self)
            let biasHigh = UnsafeRawPointer(bias + column + 8).loadUnaligned(as: SIMD8<Float>.self)
            var row = 0
            while row + 4 <= rows {
                fourRows(x + row * inputs, weights, biasLow, biasHigh, y + row * outputs + column)
                row += 4
            }
            while row < rows {
                oneRow(x + row * inputs, weights, biasLow, biasHigh, y + row * outputs + column)
                row += 1
            }
        }
    }

    // Eight accumulators, two weight vectors and a broadcast fit the 16 AVX registers with
    // enough independent chains for both FMA units; the panel is read once per four rows.
    @inline(__always)
    private func fourRows(_ x: UnsafePointer<Float>, _ w: UnsafePointer<SIMD8<Float>>,
                          _ biasLow: SIMD8<Float>, _ biasHigh: SIMD8<Float>, _ y: UnsafeMutablePointer<Float>) {
        let n = inputs
        let x0 = x, x1 = x + n, x2 = x + 2 * n, x3 = x + 3 * n
        var a0 = biasLow, b0 = biasHigh, a1 = biasLow, b1 = biasHigh
        var a2 = biasLow, b2 = biasHigh, a3 = biasLow, b3 = biasHigh
        for i in 0..<n {
            let low = w[2 * i], high = w[2 * i + 1]
            let s0 = SIMD8<Float>(repeating: x0[i])
            a0 = a0.addingProduct(s0, low)
            b0 = b0.addingProduct(s0, high)
            let s1 = SIMD8<Float>(repeating: x1[i])
            a1 = a1.addingProduct(s1, low)
            b1 = b1.addingProduct(s1, high)
            let s2 = SIMD8<Float>(repeating: x2[i])
            a2 = a2.addingProduct(s2, low)
            b2 = b2.addingProduct(s2, high)
            let s3 = SIMD8<Float>(repeating: x3[i])
            a3 = a3.addingProduct(s3, low)
            b3 = b3.addingProduct(s3, high)
        }
        let stride = outputs
        store(a0, b0, y)
        store(a1, b1, y + stride)
        store(a2, b2, y + 2 * stride)
        store(a3, b3, y + 3 * stride)
    }

    @inline(__always)
    private func oneRow(_ x: UnsafePointer<Float>, _ w: UnsafePointer<SIMD8<Float>>,
                        _ biasLow: SIMD8<Float>, _ biasHigh: SIMD8<Float>, _ y: UnsafeMutablePointer<Float>) {
        var a = biasLow, b = biasHigh
        for i in 0..<inputs {
            let s = SIMD8<Float>(repeating: x[i])
            a = a.addingProduct(s, w[2 * i])
            b = b.addingProduct(s, w[2 * i + 1])
        }
        store(a, b, y)
    }

    @inline(__always)
    private func store(_ low: SIMD8<Float>, _ high: SIMD8<Float>, _ y: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(y).storeBytes(of: low, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(y + 8).storeBytes(of: high, as: SIMD8<Float>.self)
    }
}
