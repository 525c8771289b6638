import Support

/// Verified examples as CSV: a header naming `question` and `query`, then one example a record.
package enum ExampleCSV {
    /// The examples as a file the import reads back.
    package static func text(_ examples: [VerifiedExample]) -> String {
        var text = "question,query\r\n"
        for example in examples {
            text += CSV.field(example.question) + "," + CSV.field(example.query) + "\r\n"
        }
        return text
    }
}
