/// An evaluation that cannot go on: a missing dataset, a bad file, an index that did not finish.
package struct EvaluationError: Error, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}
