import CCPUFeatures

/// A linear layer's weight matrix laid out for products with a few rows: its output columns cut
/// into panels of 32, each panel stored contiguously input by input.
///
/// A BLAS packs (copies) its operands on every call, so for the handful of rows of one query it
/// reads the weights three times; a product over a `PackedMatrix` streams them once, in order.
/// The storage is immutable after `init`, so one matrix serves any number of threads.
package final class PackedMatrix: @unchecked Sendable {
    /// Output columns per panel: two 16-float vectors.
    package static let panelWidth = 32

    /// Whether this CPU can run the kernel this module was compiled for (AVX-512 on x86-64).
    package static let isSupported = askdb_cpu_has_avx512() != 0

    /// Input features (rows of the weight matrix).
    package let inputs: Int
    /// Output features (columns of the weight matrix), a multiple of `panelWidth`.
    package let outputs: Int
    /// panels × inputs × 2 vectors.
    let storage: UnsafeMutablePointer<SIMD16<Float>>

    /// Packs a weight matrix stored as PyTorch keeps a linear layer's: [outputs, inputs], row major.
    package init(outputsByInputs weights: UnsafeBufferPointer<Float>, inputs: Int, outputs: Int) {
        precondition(outputs % Self.panelWidth == 0 && weights.count == inputs * outputs, "a packed matrix needs outputs in whole panels")
        self.inputs = inputs
        self.outputs = outputs
        let panels = outputs / Self.panelWidth
        storage = .allocate(capacity: panels * inputs * 2)
        let source = weights.baseAddress!
        for panel in 0..<panels {
            for input in 0..<inputs {
                for half in 0..<2 {
                    var vector = SIMD16<Float>()
                    for lane in 0..<16 { vector[lane] = source[(panel * Self.panelWidth + half * 16 + lane) * inputs + input] }
                    (storage + (panel * inputs + input) * 2 + half).initialize(to: vector)
                }
            }
        }
    }

    deinit {
        storage.deallocate()
    }

    /// How many panels the output columns make: the unit in which `multiply` splits its work.
    package var panelCount: Int { outputs / Self.panelWidth }
}
