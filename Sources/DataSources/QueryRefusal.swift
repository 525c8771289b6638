import Support

/// Why a generated query will not run: the reason goes back to the model for a repair and, if
/// no attempt passes, to the user.
package struct QueryRefusal: ClientFacingError, Equatable, CustomStringConvertible {
    /// Stable code: `syntax_error`, `not_one_statement`, `not_read_only`, `function_not_allowed`,
    /// `type_not_allowed`, `operator_not_allowed`, `construct_not_allowed`, `object_not_allowed`,
    /// `stage_not_allowed`, `invalid_pipeline`.
    package var code: String
    package var message: String

    package init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }

    package var clientStatus: Int { 422 }
    package var clientCode: String { code }
    package var clientMessage: String { message }
}
