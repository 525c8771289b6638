@testable import Embedding
import Foundation
import Hummingbird
@testable import Retrieval
@testable import Runtime
@testable import Support
import TestSupport
import Testing
@testable import UpstreamHTTP

@Suite struct HTTPEmbedderTests {
    /// A 384-d vector pointing along `axis`, scaled so the embedder has to normalise it.
    static func raw(_ axis: Int) -> [Float] {
        var vector = [Float](repeating: 0, count: 384)
        vector[axis % 384] = 3
        vector[(axis + 1) % 384] = 4
        return vector
    }

    struct EmbedRequest: Decodable {
        var model: String
        var input: [String]
    }

    static func routes(_ router: Router<BasicRequestContext>, seen: RequestLog) {
        router.post("/api/embed") { request, context -> Response in
            let body = try await request.decode(as: EmbedRequest.self, context: context)
            await seen.append(body.model, body.input.count, request.headers[.authorization])
            guard body.model == "all-minilm" else {
                return Self.json(#"{"error":"model \"\#(body.model)\" not found, try pulling it first"}"#, status: .notFound)
            }
            let vectors = body.input.map { Self.raw($0.count) }
            return Self.json(String(decoding: try JSONEncoder().encode(["embeddings": vectors]), as: UTF8.self))
        }
        router.post("/v1/embeddings") { request, context -> Response in
            let body = try await request.decode(as: EmbedRequest.self, context: context)
            await seen.append(body.model, body.input.count, request.headers[.authorization])
            // Items out of order, as the API allows: the index says where each belongs.
            let items = body.input.enumerated().reversed().map { index, text in
                #"{"object":"embedding","index":\#(index),"embedding":\#(Self.raw(text.count))}"#
            }
            return Self.json(#"{"object":"list","data":[\#(items.joined(separator: ","))]}"#)
        }
        router.post("/slow/api/embed") { _, _ -> Response in
            try await Task.sleep(for: .seconds(5))
            return Self.json("{}")
        }
    }

    static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    actor RequestLog {
        var calls: [(model: String, count: Int, authorization: String?)] = []
        func append(_ model: String, _ count: Int, _ authorization: String?) { calls.append((model, count, authorization)) }
    }

    @Test func ollamaEmbedsInBatchesAndNormalises() async throws {
        let log = RequestLog()
        try await ScriptedHTTPServer.with({ Self.routes($0, seen: log) }) { base in
            let embedder = try await HTTPEmbedder.connect(api: .ollama, baseURL: base, model: "all-minilm", batchSize: 2)
            #expect(embedder.dimension == 384)
            #expect(embedder.identifier == "ollama:all-minilm")
            let vectors = try await embedder.embed(["a", "bb", "ccc", "dddd", "eeeee"])
            #expect(vectors.count == 5)
            #expect(vectors[2][3] == 0.6 && vectors[2][4] == 0.8)
            #expect(await log.calls.map(\.count) == [1, 2, 2, 1])
        }
    }

    @Test func openAICompatibleServersAreOrderedByIndexAndGetTheKey() async throws {
        let log = RequestLog()
        try await ScriptedHTTPServer.with({ Self.routes($0, seen: log) }) { base in
            let embedder = try await HTTPEmbedder.connect(api: .openAI, baseURL: base + "/v1/", model: "text-embed", apiKey: "sk-secret")
            let vectors = try await embedder.embed(["a", "bb", "ccc"])
            #expect(vectors.map { $0.firstIndex(of: 0.6) } == [1, 2, 3])
            #expect(await log.calls.allSatisfy { $0.authorization == "Bearer sk-secret" && $0.model == "text-embed" })
        }
    }

    @Test func aMissingModelFailsAtStartWithTheServersMessage() async throws {
        try await ScriptedHTTPServer.with({ Self.routes($0, seen: RequestLog()) }) { base in
            let error = await #expect(throws: UpstreamError.self) {
                _ = try await HTTPEmbedder.connect(api: .ollama, baseURL: base, model: "nomic-embed-text")
            }
            #expect(error?.status == 404)
            #expect(error?.description.contains("model \"nomic-embed-text\" not found") == true)
        }
    }

    @Test func aDownOrSlowServerFailsClearlyInsteadOfHanging() async throws {
        let port = try FreePort.find()
        let down = await #expect(throws: UpstreamError.self) {
            _ = try await HTTPEmbedder.connect(api: .ollama, baseURL: "http://127.0.0.1:\(port)", model: "all-minilm")
        }
        #expect(down?.code == .unreachable)
        try await ScriptedHTTPServer.with({ Self.routes($0, seen: RequestLog()) }) { base in
            let slow = await #expect(throws: UpstreamError.self) {
                _ = try await HTTPEmbedder.connect(api: .ollama, baseURL: base + "/slow", model: "all-minilm", timeout: .seconds(1))
            }
            #expect(slow?.code == .timeout)
        }
    }

    @Test func anEmbedderOfAnotherDimensionIsRefusedAtStart() async throws {
        try await TestDatabase.with(migrated: true) { _, postgres in
            let store = PostgresVectorStore(postgres: postgres, logger: TestServers.logger)
            try await ScriptedHTTPServer.with({ router in
                router.post("/api/embed") { _, _ in Self.json(#"{"embeddings":[[0.1,0.2,0.3]]}"#) }
            }) { base in
                let config = try EmbeddingConfig(environment: EnvironmentVariables([
                    "ASKDB_EMBEDDER": "ollama", "ASKDB_EMBEDDING_URL": base, "ASKDB_EMBEDDING_MODEL": "tiny",
                ]))
                let error = await #expect(throws: EmbeddingError.self) { _ = try await config.makeEmbedder(checkingAgainst: store) }
                #expect(error?.message.contains("makes 3-dimensional vectors, but the store holds 384") == true)
            }
        }
    }

    @Test func theConfigurationNamesWhatIsWrong() throws {
        #expect(throws: ConfigError.self) { try EmbeddingConfig(environment: EnvironmentVariables([:])) }
        #expect(throws: ConfigError.self) { try EmbeddingConfig(environment: EnvironmentVariables(["ASKDB_EMBEDDER": "word2vec"])) }
        #expect(throws: ConfigError.self) {
            try EmbeddingConfig(environment: EnvironmentVariables(["ASKDB_EMBEDDER": "ollama", "ASKDB_EMBEDDING_URL": "localhost:11434"]))
        }
        let config = try EmbeddingConfig(environment: EnvironmentVariables(["ASKDB_EMBEDDER": "ollama", "ASKDB_EMBEDDING_URL": "http://127.0.0.1:11434"]))
        #expect(config.backend == .server(api: .ollama, baseURL: "http://127.0.0.1:11434", model: "all-minilm"))
    }
}
