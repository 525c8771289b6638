internal import COpenBLAS
import Foundation

/// all-MiniLM-L6-v2's BERT encoder (6 layers, 12 heads, hidden 384) with mean pooling and L2
/// normalisation; the matrix products go through OpenBLAS's sgemm.
///
/// The weights are read once and shared; `encode` keeps its work buffers local, so one encoder
/// can serve several threads.
final class MiniLMEncoder: Sendable {
    static let hidden = 384
    static let heads = 12
    static let headSize = 32
    static let intermediate = 1536
    static let layerCount = 6
    static let maximumPositions = 512
    private static let epsilon: Float = 1e-12

    private struct Layer: Sendable {
        // Query, key and value stacked [3h, h] so one product computes all three.
        var qkv, attentionOutput, intermediate, output: LinearLayer
        var attentionNorm, attentionNormBias, outputNorm, outputNormBias: [Float]

        /// The same layer without the copies of its weights that only sgemm reads.
        func packedOnly() -> Layer {
            var layer = self
            layer.qkv = qkv.packedOnly()
            layer.attentionOutput = attentionOutput.packedOnly()
            layer.intermediate = intermediate.packedOnly()
            layer.output = output.packedOnly()
            return layer
        }
    }

    private let wordEmbeddings: [Float]
    private let positionEmbeddings: [Float]
    private let tokenTypeEmbeddings: [Float]
    private let embeddingNorm: [Float]
    private let embeddingNormBias: [Float]
    private let layers: [Layer]
    private let batchProduct: BatchProduct

    init(weights: SafetensorsFile, vocabularySize: Int = 30522) throws {
        let h = Self.hidden
        wordEmbeddings = try weights.tensor("embeddings.word_embeddings.weight", shape: [vocabularySize, h])
        positionEmbeddings = try weights.tensor("embeddings.position_embeddings.weight", shape: [Self.maximumPositions, h])
        tokenTypeEmbeddings = try weights.tensor("embeddings.token_type_embeddings.weight", shape: [2, h])
        embeddingNorm = try weights.tensor("embeddings.LayerNorm.weight", shape: [h])
        embeddingNormBias = try weights.tensor("embeddings.LayerNorm.bias", shape: [h])
        let built = try (0..<Self.layerCount).map { index in
            let prefix = "encoder.layer.\(index)."
            func t(_ name: String, _ shape: [Int]) throws -> [Float] { try weights.tensor(prefix + name, shape: shape) }
            func linear(_ names: String..., outputs: Int, inputs: Int) throws -> LinearLayer {
                LinearLayer(outputsByInputs: try names.flatMap { try t($0 + ".weight", [outputs, inputs]) },
                            bias: try names.flatMap { try t($0 + ".bias", [outputs]) },
                            inputs: inputs, outputs: outputs * names.count)
            }
            return Layer(
                qkv: try linear("attention.self.query", "attention.self.key", "attention.self.value", outputs: h, inputs: h),
                attentionOutput: try linear("attention.output.dense", outputs: h, inputs: h),
                intermediate: try linear("intermediate.dense", outputs: Self.intermediate, inputs: h),
                output: try linear("output.dense", outputs: h, inputs: Self.intermediate),
                attentionNorm: try t("attention.output.LayerNorm.weight", [h]), attentionNormBias: try t("attention.output.LayerNorm.bias", [h]),
                outputNorm: try t("output.LayerNorm.weight", [h]), outputNormBias: try t("output.LayerNorm.bias", [h])
            )
        }
        batchProduct = .fastest(for: built[0].intermediate)
        // When the kernel serves every batch, the sgemm layout is 42 MB that nothing reads.
        layers = batchProduct == .packed ? built.map { $0.packedOnly() } : built
    }

    /// Sets how many threads OpenBLAS uses for each product (process-wide). Threads × batches
    /// run at once should not exceed the cores, or they only get in each other's way.
    static func setBLASThreads(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// Embeddings of a batch of token-id sequences (each with its `[CLS]`/`[SEP]`), padded to
    /// the longest; one unit-length vector of 384 floats per sequence.
    /// `threads`: how many threads may share each product (the query path's one batch uses
    /// every core; an indexer's batch per core uses one).
    func encode(_ batch: [[Int32]], threads: Int = 1) -> [[Float]] {
        guard !batch.isEmpty else { return [] }
        let h = Self.hidden
        let length = min(batch.map(\.count).max() ?? 1, Self.maximumPositions)
        let rows = batch.count * length
        // One workspace per call, so concurrent batches never share buffers; raw pointers keep
        // bounds checks out of the inner loops.
        let x = Workspace(rows * h), qkv = Workspace(rows * 3 * h), context = Workspace(rows * h)
        let projected = Workspace(rows * h), inner = Workspace(rows * Self.intermediate), scores = Workspace(length * length)
        defer { [x, qkv, context, projected, inner, scores].forEach { $0.free() } }

        // Embeddings: word + position + token type 0, then LayerNorm.
        wordEmbeddings.withUnsafeBufferPointer { words in
            positionEmbeddings.withUnsafeBufferPointer { positions in
                tokenTypeEmbeddings.withUnsafeBufferPointer { types in
                    for (b, ids) in batch.enumerated() {
                        for position in 0..<min(ids.count, length) {
                            let row = x.pointer + (b * length + position) * h
                            let word = words.baseAddress! + Int(ids[position]) * h
                            let place = positions.baseAddress! + position * h
                            for i in 0..<h { row[i] = word[i] + place[i] + types[i] }
                        }
                    }
                }
            }
        }
        Self.layerNorm(x.pointer, adding: nil, rows: rows, weight: embeddingNorm, bias: embeddingNormBias)

        let scale = 1 / Float(Self.headSize).squareRoot()
        let stride = 3 * h
        for layer in layers {
            layer.qkv.apply(x.pointer, rows: rows, into: qkv.pointer, threads: threads, batchProduct: batchProduct)
            for (b, ids) in batch.enumerated() {
                let valid = min(ids.count, length)
                let base = b * length
                for head in 0..<Self.heads {
                    let q = qkv.pointer + base * stride + head * Self.headSize
                    let k = q + h, v = q + 2 * h
                    // scores = Q_h K_hᵀ / √d over this sequence's real rows and keys.
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(valid), Int32(valid), Int32(Self.headSize),
                                scale, q, Int32(stride), k, Int32(stride), 0, scores.pointer, Int32(valid))
                    Self.softmaxRows(scores.pointer, rows: valid, columns: valid)
                    // context_h = P V_h; padded rows stay zero and are never read.
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(valid), Int32(Self.headSize), Int32(valid),
                                1, scores.pointer, Int32(valid), v, Int32(stride),
                                0, context.pointer + base * h + head * Self.headSize, Int32(h))
                }
            }
            layer.attentionOutput.apply(context.pointer, rows: rows, into: projected.pointer, threads: threads, batchProduct: batchProduct)
            Self.layerNorm(x.pointer, adding: projected.pointer, rows: rows, weight: layer.attentionNorm, bias: layer.attentionNormBias)
            layer.intermediate.apply(x.pointer, rows: rows, into: inner.pointer, threads: threads, batchProduct: batchProduct)
            GELU.apply(inner.pointer, count: rows * Self.intermediate)
            layer.output.apply(inner.pointer, rows: rows, into: projected.pointer, threads: threads, batchProduct: batchProduct)
            Self.layerNorm(x.pointer, adding: projected.pointer, rows: rows, weight: layer.outputNorm, bias: layer.outputNormBias)
        }

        // Mean over the real tokens, then unit length.
        return batch.enumerated().map { b, ids in
            let valid = min(ids.count, length)
            var pooled = [Float](repeating: 0, count: h)
            pooled.withUnsafeMutableBufferPointer { out in
                for position in 0..<valid {
                    let row = x.pointer + (b * length + position) * h
                    for i in 0..<h { out[i] += row[i] }
                }
                var norm: Float = 0
                for i in 0..<h {
                    out[i] /= Float(valid)
                    norm += out[i] * out[i]
                }
                let inverse = 1 / max(norm.squareRoot(), 1e-12)
                for i in 0..<h { out[i] *= inverse }
            }
            return pooled
        }
    }

    /// A zeroed float buffer owned by one `encode` call.
    private struct Workspace {
        let pointer: UnsafeMutablePointer<Float>
        init(_ count: Int) {
            pointer = .allocate(capacity: count)
            pointer.initialize(repeating: 0, count: count)
        }
        func free() { pointer.deallocate() }
    }

    private static func softmaxRows(_ scores: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
        for row in 0..<rows {
            let p = scores + row * columns
            var maximum = -Float.infinity
            for column in 0..<columns { maximum = max(maximum, p[column]) }
            var sum: Float = 0
            for column in 0..<columns {
                let e = expf(p[column] - maximum)
                p[column] = e
                sum += e
            }
            let inverse = 1 / sum
            for column in 0..<columns { p[column] *= inverse }
        }
    }

    /// x = LayerNorm(x + residual) row by row (just LayerNorm(x) without a residual).
    private static func layerNorm(_ x: UnsafeMutablePointer<Float>, adding residual: UnsafePointer<Float>?, rows: Int, weight: [Float], bias: [Float]) {
        let h = weight.count
        weight.withUnsafeBufferPointer { w in
            bias.withUnsafeBufferPointer { b in
                for row in 0..<rows {
                    let p = x + row * h
                    if let residual {
                        let r = residual + row * h
                        for i in 0..<h { p[i] += r[i] }
                    }
                    var mean: Float = 0
                    for i in 0..<h { mean += p[i] }
                    mean /= Float(h)
                    var variance: Float = 0
                    for i in 0..<h {
                        let d = p[i] - mean
                        variance += d * d
                    }
                    let inverse = 1 / (variance / Float(h) + epsilon).squareRoot()
                    for i in 0..<h { p[i] = (p[i] - mean) * inverse * w[i] + b[i] }
                }
            }
        }
    }
}
