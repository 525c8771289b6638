/// Finds the MongoDB query in a model's reply: its one JSON object.
package enum PipelineReplyExtractor {
    /// The one JSON object of a MongoDB reply; a reply holding more than one (a second pipeline
    /// in another fence or in the prose) comes back whole, for the guard to refuse.
    package static func query(in reply: String) -> String? {
        let objects = jsonObjects(in: reply)
        guard let first = objects.first else { return nil }
        return objects.count == 1 ? String(reply[first]) : reply
    }

    /// Every balanced top-level `{…}` of `text`, minding strings.
    private static func jsonObjects(in text: String) -> [Range<String.Index>] {
        var found: [Range<String.Index>] = []
        var depth = 0
        var start = text.startIndex
        var inString = false
        var escaped = false
        for index in text.indices {
            let character = text[index]
            if inString {
                if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == "\"" { inString = false }
                continue
            }
            switch character {
            case "\"" where depth > 0: inString = true
            case "{":
                if depth == 0 { start = index }
                depth += 1
            case "}" where depth > 0:
                depth -= 1
                if depth == 0 { found.append(start..<text.index(after: index)) }
            default: break
            }
        }
        return found
    }
}
