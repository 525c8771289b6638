/// pgvector's text form of a vector, `[0.1,0.2,…]`.
///
/// postgres-nio has no codec for pgvector's type (its OID differs per database), so vectors
/// travel as text and are cast with `::vector`; Float's description is the shortest string
/// that reads back to the same float, so nothing is lost.
package enum VectorLiteral {
    package static func text(_ vector: [Float]) -> String {
        var text = "["
        text.reserveCapacity(vector.count * 12)
        for (index, value) in vector.enumerated() {
            if index > 0 { text.append(",") }
            text.append(value.isFinite ? value.description : "0")
        }
        text.append("]")
        return text
    }
}
