/// The models a server offers its users (`ASKDB_LLM_MODELS`), the default first.
package struct ModelCatalog: Sendable {
    private let models: [any LanguageModel]

    /// - Precondition: `models` is not empty.
    package init(_ models: [any LanguageModel]) {
        precondition(!models.isEmpty, "a catalog offers at least one model")
        self.models = models
    }

    package var defaultModel: any LanguageModel { models[0] }

    /// The models' names, the default first.
    package var names: [String] { models.map(\.name) }

    /// The model called `name`; the default for nil or for a name no longer offered (a user's
    /// saved choice the operator has since removed).
    package func model(named name: String?) -> any LanguageModel {
        models.first { $0.name == name } ?? defaultModel
    }
}
