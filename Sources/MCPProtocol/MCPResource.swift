import Support

/// A resource as `resources/list` names it.
package struct MCPResource: Sendable, Equatable {
    /// What `resources/read` names it by.
    package var uri: String
    /// A short programmatic name.
    package var name: String
    /// For people.
    package var title: String
    /// What it holds, for the client's model.
    package var description: String
    /// The type of its text, e.g. `text/plain`.
    package var mimeType: String

    package init(uri: String, name: String, title: String, description: String, mimeType: String) {
        self.uri = uri
        self.name = name
        self.title = title
        self.description = description
        self.mimeType = mimeType
    }

    var json: JSONValue {
        .object(["uri": .string(uri), "name": .string(name), "title": .string(title),
                 "description": .string(description), "mimeType": .string(mimeType)])
    }
}

/// A URI template for resources a client may read without listing them first.
package struct MCPResourceTemplate: Sendable, Equatable {
    /// An RFC 6570 template, e.g. `askdb://connections/{connection_id}/schema`.
    package var uriTemplate: String
    package var name: String
    package var description: String
    package var mimeType: String

    package init(uriTemplate: String, name: String, description: String, mimeType: String) {
        self.uriTemplate = uriTemplate
        self.name = name
        self.description = description
        self.mimeType = mimeType
    }

    var json: JSONValue {
        .object(["uriTemplate": .string(uriTemplate), "name": .string(name), "description": .string(description),
                 "mimeType": .string(mimeType)])
    }
}

/// A resource's text, as `resources/read` answers it.
package struct MCPResourceContents: Sendable, Equatable {
    /// The URI that was read.
    package var uri: String
    /// The type of `text`.
    package var mimeType: String
    /// The resource itself.
    package var text: String

    package init(uri: String, mimeType: String, text: String) {
        self.uri = uri
        self.mimeType = mimeType
        self.text = text
    }

    var json: JSONValue {
        .object(["uri": .string(uri), "mimeType": .string(mimeType), "text": .string(text)])
    }
}
