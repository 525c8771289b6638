internal import COpenBLAS
import Dispatch
import MatrixKernels

/// y = x W + b for one of the encoder's linear layers, by whichever product suits the rows.
///
/// A query has a dozen rows: there a BLAS spends most of its time packing the weights it then
/// reads once, so the product streams pre-packed panels (`PackedMatrix`) instead, split across
/// threads by output columns. A batch of hundreds of rows reuses each weight many times, which is
/// what sgemm's blocking is for, when OpenBLAS runs its kernel for this CPU (see `BatchProduct`).
struct LinearLayer: Sendable {
    /// Up to this many rows the packed kernel beats sgemm (measured: `askdb-bench embed`).
    static let packedRowLimit = 64

    let inputs: Int
    let outputs: Int
    private let bias: [Float]
    /// [inputs, outputs]: sgemm reads this layout faster than PyTorch's transposed one. Empty
    /// once the packed kernel is known to serve every product (`packedOnly`).
    private var weight: [Float]
    private let packed: PackedMatrix?

    init(outputsByInputs weights: [Float], bias: [Float], inputs: Int, outputs: Int) {
        self.inputs = inputs
        self.outputs = outputs
        self.bias = bias
        var transposed = [Float](repeating: 0, count: weights.count)
        for row in 0..<outputs {
            for column in 0..<inputs { transposed[column * outputs + row] = weights[row * inputs + column] }
        }
        weight = transposed
        packed = PackedMatrix.isSupported && outputs % PackedMatrix.panelWidth == 0
            ? weights.withUnsafeBufferPointer { PackedMatrix(outputsByInputs: $0, inputs: inputs, outputs: outputs) }
            : nil
    }

    /// This layer for an encoder whose every product runs on the packed kernel: without the
    /// sgemm copy of the weights.
    func packedOnly() -> LinearLayer {
        precondition(packed != nil, "only a layer with a packed kernel can drop its sgemm weights")
        var layer = self
        layer.weight = []
        return layer
    }

    /// Whether this layer can use the packed kernel (the CPU has what it was built for).
    var hasPackedKernel: Bool { packed != nil }

    /// - Parameter batchProduct: which product a batch past `packedRowLimit` rows uses.
    func apply(_ x: UnsafePointer<Float>, rows: Int, into y: UnsafeMutablePointer<Float>, threads: Int, batchProduct: BatchProduct) {
        if let packed, rows <= Self.packedRowLimit || batchProduct == .packed {
            let panels = packed.panelCount, parts = max(1, min(threads, panels))
            let output = SendablePointer(y), input = SendablePointer(UnsafeMutablePointer(mutating: x))
            bias.withUnsafeBufferPointer { b in
                let biasPointer = SendablePointer(UnsafeMutablePointer(mutating: b.baseAddress!))
                let share: @Sendable (Int) -> Void = { part in
                    packed.multiply(input.pointer, rows: rows, bias: biasPointer.pointer, into: output.pointer,
                                    panels: panels * part / parts..<panels * (part + 1) / parts)
                }
                // One share runs here: a single-threaded batch needs no dispatch.
                if parts == 1 { share(0) } else { DispatchQueue.concurrentPerform(iterations: parts, execute: share) }
            }
            return
        }
        precondition(!weight.isEmpty, "sgemm asked of a layer whose sgemm weights were dropped")
        bias.withUnsafeBufferPointer { b in
            for row in 0..<rows { (y + row * outputs).update(from: b.baseAddress!, count: outputs) }
        }
        weight.withUnsafeBufferPointer { w in
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(outputs), Int32(inputs),
                        1, x, Int32(inputs), w.baseAddress!, Int32(outputs), 1, y, Int32(outputs))
        }
    }
}

/// A buffer that the threads of one product share, each writing only its own columns.
private struct SendablePointer: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<Float>
    init(_ pointer: UnsafeMutablePointer<Float>) { self.pointer = pointer }
}

/// Which product runs a large batch.
///
/// OpenBLAS picks its kernels by CPU model, and where it does not know the model (seen on a
/// virtual machine with Sapphire Rapids CPUs) it falls back to SSE3 code several times slower
/// than the packed AVX-512 kernel; on a CPU it knows, its blocked sgemm is faster. So the
/// encoder times both once at load and keeps the faster.
enum BatchProduct: Sendable {
    case sgemm, packed

    /// Times one 256-row product of `layer` each way (best of three) and returns the faster.
    static func fastest(for layer: LinearLayer) -> BatchProduct {
        guard layer.hasPackedKernel else { return .sgemm }
        let rows = 256
        let x = [Float](repeating: 0.01, count: rows * layer.inputs)
        var y = [Float](repeating: 0, count: rows * layer.outputs)
        func best(_ product: BatchProduct) -> Duration {
            let clock = ContinuousClock()
            return (0..<3).map { _ in
                clock.measure { y.withUnsafeMutableBufferPointer { layer.apply(x, rows: rows, into: $0.baseAddress!, threads: 1, batchProduct: product) } }
            }.min()!
        }
        return best(.packed) < best(.sgemm) ? .packed : .sgemm
    }
}
