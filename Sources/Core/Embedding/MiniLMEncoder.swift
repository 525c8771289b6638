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
        var query, queryBias, key, keyBias, value, valueBias: [Float]
        var attentionOutput, attentionOutputBias, attentionNorm, attentionNormBias: [Float]
        var intermediate, intermediateBias, output, outputBias, outputNorm, outputNormBias: [Float]
    }

    private let wordEmbeddings: [Float]
    private let positionEmbeddings: [Float]
    private let tokenTypeEmbeddings: [Float]
    private let embeddingNorm: [Float]
    private let embeddingNormBias: [Float]
    private let layers: [Layer]

    init(weights: SafetensorsFile, vocabularySize: Int = 30522) throws {
        let h = Self.hidden
        wordEmbeddings = try weights.tensor("embeddings.word_embeddings.weight", shape: [vocabularySize, h])
        positionEmbeddings = try weights.tensor("embeddings.position_embeddings.weight", shape: [Self.maximumPositions, h])
        tokenTypeEmbeddings = try weights.tensor("embeddings.token_type_embeddings.weight", shape: [2, h])
        embeddingNorm = try weights.tensor("embeddings.LayerNorm.weight", shape: [h])
        embeddingNormBias = try weights.tensor("embeddings.LayerNorm.bias", shape: [h])
        layers = try (0..<Self.layerCount).map { index in
            let prefix = "encoder.layer.\(index)."
            func t(_ name: String, _ shape: [Int]) throws -> [Float] { try weights.tensor(prefix + name, shape: shape) }
            return Layer(
                query: try t("attention.self.query.weight", [h, h]), queryBias: try t("attention.self.query.bias", [h]),
                key: try t("attention.self.key.weight", [h, h]), keyBias: try t("attention.self.key.bias", [h]),
                value: try t("attention.self.value.weight", [h, h]), valueBias: try t("attention.self.value.bias", [h]),
                attentionOutput: try t("attention.output.dense.weight", [h, h]), attentionOutputBias: try t("attention.output.dense.bias", [h]),
                attentionNorm: try t("attention.output.LayerNorm.weight", [h]), attentionNormBias: try t("attention.output.LayerNorm.bias", [h]),
                intermediate: try t("intermediate.dense.weight", [Self.intermediate, h]), intermediateBias: try t("intermediate.dense.bias", [Self.intermediate]),
                output: try t("output.dense.weight", [h, Self.intermediate]), outputBias: try t("output.dense.bias", [h]),
                outputNorm: try t("output.LayerNorm.weight", [h]), outputNormBias: try t("output.LayerNorm.bias", [h])
            )
        }
    }

    /// Sets how many threads OpenBLAS uses for each product (process-wide). Threads × batches
    /// run at once should not exceed the cores, or they only get in each other's way.
    static func setBLASThreads(_ count: Int) {
        openblas_set_num_threads(Int32(max(1, count)))
    }

    /// Embeddings of a batch of token-id sequences (each with its `[CLS]`/`[SEP]`), padded to
    /// the longest; one unit-length vector of 384 floats per sequence.
    func encode(_ batch: [[Int32]]) -> [[Float]] {
        guard !batch.isEmpty else { return [] }
        let h = Self.hidden
        let length = min(batch.map(\.count).max() ?? 1, Self.maximumPositions)
        let rows = batch.count * length
        var x = [Float](repeating: 0, count: rows * h)

        // Embeddings: word + position + token type 0, then LayerNorm.
        for (b, ids) in batch.enumerated() {
            for position in 0..<min(ids.count, length) {
                let row = (b * length + position) * h
                let word = Int(ids[position]) * h
                let place = position * h
                for i in 0..<h {
                    x[row + i] = wordEmbeddings[word + i] + positionEmbeddings[place + i] + tokenTypeEmbeddings[i]
                }
            }
        }
        Self.layerNorm(&x, rows: rows, weight: embeddingNorm, bias: embeddingNormBias)

        var q = [Float](repeating: 0, count: rows * h)
        var k = q, v = q, context = q, projected = q
        var inner = [Float](repeating: 0, count: rows * Self.intermediate)
        var scores = [Float](repeating: 0, count: length * length)
        let scale = 1 / Float(Self.headSize).squareRoot()

        for layer in layers {
            Self.linear(x, rows: rows, inputs: h, weight: layer.query, bias: layer.queryBias, outputs: h, into: &q)
            Self.linear(x, rows: rows, inputs: h, weight: layer.key, bias: layer.keyBias, outputs: h, into: &k)
            Self.linear(x, rows: rows, inputs: h, weight: layer.value, bias: layer.valueBias, outputs: h, into: &v)
            for (b, ids) in batch.enumerated() {
                let valid = min(ids.count, length)
                let base = b * length * h
                for head in 0..<Self.heads {
                    let offset = base + head * Self.headSize
                    // scores = Q_h K_hᵀ / √d over this sequence's rows.
                    q.withUnsafeBufferPointer { qp in
                        k.withUnsafeBufferPointer { kp in
                            scores.withUnsafeMutableBufferPointer { sp in
                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(length), Int32(length), Int32(Self.headSize),
                                            scale, qp.baseAddress! + offset, Int32(h), kp.baseAddress! + offset, Int32(h),
                                            0, sp.baseAddress!, Int32(length))
                            }
                        }
                    }
                    // Softmax over the real (unpadded) keys of each row.
                    for row in 0..<length {
                        let start = row * length
                        var maximum = -Float.infinity
                        for column in 0..<valid { maximum = max(maximum, scores[start + column]) }
                        var sum: Float = 0
                        for column in 0..<valid {
                            let e = expf(scores[start + column] - maximum)
                            scores[start + column] = e
                            sum += e
                        }
                        let inverse = 1 / sum
                        for column in 0..<valid { scores[start + column] *= inverse }
                        for column in valid..<length { scores[start + column] = 0 }
                    }
                    // context_h = P V_h.
                    scores.withUnsafeBufferPointer { sp in
                        v.withUnsafeBufferPointer { vp in
                            context.withUnsafeMutableBufferPointer { cp in
                                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(length), Int32(Self.headSize), Int32(length),
                                            1, sp.baseAddress!, Int32(length), vp.baseAddress! + offset, Int32(h),
                                            0, cp.baseAddress! + offset, Int32(h))
                            }
                        }
                    }
                }
            }
            Self.linear(context, rows: rows, inputs: h, weight: layer.attentionOutput, bias: layer.attentionOutputBias, outputs: h, into: &projected)
            for i in 0..<(rows * h) { x[i] += projected[i] }
            Self.layerNorm(&x, rows: rows, weight: layer.attentionNorm, bias: layer.attentionNormBias)

            Self.linear(x, rows: rows, inputs: h, weight: layer.intermediate, bias: layer.intermediateBias, outputs: Self.intermediate, into: &inner)
            for i in 0..<inner.count {
                let value = inner[i]
                inner[i] = 0.5 * value * (1 + erff(value * 0.70710678118654752))  // exact GELU, as BERT uses
            }
            Self.linear(inner, rows: rows, inputs: Self.intermediate, weight: layer.output, bias: layer.outputBias, outputs: h, into: &projected)
            for i in 0..<(rows * h) { x[i] += projected[i] }
            Self.layerNorm(&x, rows: rows, weight: layer.outputNorm, bias: layer.outputNormBias)
        }

        // Mean over the real tokens, then unit length.
        return batch.enumerated().map { b, ids in
            let valid = min(ids.count, length)
            var pooled = [Float](repeating: 0, count: h)
            for position in 0..<valid {
                let row = (b * length + position) * h
                for i in 0..<h { pooled[i] += x[row + i] }
            }
            var norm: Float = 0
            for i in 0..<h {
                pooled[i] /= Float(valid)
                norm += pooled[i] * pooled[i]
            }
            let inverse = 1 / max(norm.squareRoot(), 1e-12)
            return pooled.map { $0 * inverse }
        }
    }

    /// y = x Wᵀ + b, with W stored [outputs, inputs] as PyTorch does.
    private static func linear(_ x: [Float], rows: Int, inputs: Int, weight: [Float], bias: [Float], outputs: Int, into y: inout [Float]) {
        for row in 0..<rows {
            for column in 0..<outputs { y[row * outputs + column] = bias[column] }
        }
        x.withUnsafeBufferPointer { xp in
            weight.withUnsafeBufferPointer { wp in
                y.withUnsafeMutableBufferPointer { yp in
                    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows), Int32(outputs), Int32(inputs),
                                1, xp.baseAddress!, Int32(inputs), wp.baseAddress!, Int32(inputs), 1, yp.baseAddress!, Int32(outputs))
                }
            }
        }
    }

    private static func layerNorm(_ x: inout [Float], rows: Int, weight: [Float], bias: [Float]) {
        let h = weight.count
        for row in 0..<rows {
            let start = row * h
            var mean: Float = 0
            for i in 0..<h { mean += x[start + i] }
            mean /= Float(h)
            var variance: Float = 0
            for i in 0..<h {
                let d = x[start + i] - mean
                variance += d * d
            }
            let inverse = 1 / (variance / Float(h) + epsilon).squareRoot()
            for i in 0..<h { x[start + i] = (x[start + i] - mean) * inverse * weight[i] + bias[i] }
        }
    }
}
