import Foundation

/// The float32 tensors of a `.safetensors` file: an 8-byte little-endian header length, a JSON
/// header naming each tensor's dtype, shape and byte range, then the raw data. The file is
/// memory-mapped and a tensor is copied out only when asked for, so a loader holds one copy of
/// the weights, and none once the file is released.
package struct SafetensorsFile: Sendable {
    private struct Entry: Sendable {
        var shape: [Int]
        var range: Range<Int>
    }

    private let data: Data
    private let entries: [String: Entry]

    package init(url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw EmbeddingError("cannot read the model weights \(url.path): \(error.localizedDescription)")
        }
        guard data.count >= 8 else { throw EmbeddingError("\(url.path) is too short to be a safetensors file") }
        let headerLength = data.prefix(8).enumerated().reduce(0) { $0 | (Int($1.element) << (8 * $1.offset)) }
        guard headerLength > 0, 8 + headerLength <= data.count,
              let header = try? JSONSerialization.jsonObject(with: data.subdata(in: 8..<(8 + headerLength))) as? [String: Any] else {
            throw EmbeddingError("\(url.path) has no valid safetensors header")
        }
        let base = 8 + headerLength
        var entries: [String: Entry] = [:]
        for (name, entry) in header where name != "__metadata__" {
            guard let entry = entry as? [String: Any], let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int], let offsets = entry["data_offsets"] as? [Int], offsets.count == 2 else {
                throw EmbeddingError("\(url.path): tensor \(name) has a malformed header entry")
            }
            guard dtype == "F32" else { continue }  // e.g. the I64 position_ids buffer, unused
            let start = base + offsets[0], end = base + offsets[1]
            let count = shape.reduce(1, *)
            guard start <= end, end <= data.count, end - start == count * 4 else {
                throw EmbeddingError("\(url.path): tensor \(name) does not fit its byte range")
            }
            entries[name] = Entry(shape: shape, range: start..<end)
        }
        self.data = data
        self.entries = entries
    }

    /// The tensor called `name`, checked against the shape the model expects.
    package func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        guard let entry = entries[name] else { throw EmbeddingError("the model weights have no tensor \(name)") }
        guard entry.shape == shape else {
            throw EmbeddingError("tensor \(name) has shape \(entry.shape), expected \(shape)")
        }
        var values = [Float](repeating: 0, count: entry.range.count / 4)
        values.withUnsafeMutableBytes { destination in
            data.withUnsafeBytes { source in
                // The format is little-endian, as is every machine AskDB runs on.
                destination.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[entry.range]))
            }
        }
        return values
    }
}
