import Foundation
import RegexBuilder
import Testing

/// Rules on the code itself that keep each concern in its one place.
@Suite struct CodeRulesTests {
    /// Every Swift file under `Sources/<folder>`, as (path from Sources, text).
    static func sources(under folder: String = "") throws -> [(path: String, text: String)] {
        let base = LayerRulesTests.root.appendingPathComponent("Sources")
        let root = folder.isEmpty ? base : base.appendingPathComponent(folder)
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        return try files.filter { $0.pathExtension == "swift" }.map { url in
            (String(url.path.dropFirst(base.path.count + 1)), try String(contentsOf: url, encoding: .utf8))
        }.sorted { $0.path < $1.path }
    }

    /// What differs between kinds of database is decided by the kind's dialect: no code outside
    /// the registry and the dialects' own folders asks which kind it has.
    @Test func onlyTheDialectRegistryBranchesOnTheConnectionKind() throws {
        let own = ["DataSources/SourceDialects.swift", "DataSources/Postgres/", "DataSources/Mongo/"]
        let branch = /(case|==|!=)\s*\.(postgres|mongodb)\b|(source|kind)(\.rawValue)? *[!=]= *"/
        var offenders: [String] = []
        for file in try Self.sources() where !own.contains(where: { file.path.hasPrefix($0) }) {
            for (number, line) in file.text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line.contains(branch) {
                offenders.append("\(file.path):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(offenders.isEmpty, "branches on the connection kind outside its dialect:\n\(offenders.joined(separator: "\n"))")
    }
}

extension CodeRulesTests {
    /// The stores of the services the API uses: only their service may touch them.
    static let storeTypes = ["ConnectionStore", "JobStore", "RedisJobQueue", "UserStore", "APIKeyStore", "InviteStore", "HistoryStore",
                             "AuditLog", "SchemaSnapshotStore", "PostgresVectorStore"]

    /// Routes, commands and the evaluation call services; the composition root
    /// (`APIServices.swift`) is the one file that makes a store, for the service that owns it.
    @Test func theAPINeverNamesAStore() throws {
        var offenders: [String] = []
        for file in try Self.sources(under: "API") where file.path != "API/Application/APIServices.swift" {
            for store in Self.storeTypes where file.text.contains(Regex { Anchor.wordBoundary; store; Anchor.wordBoundary }) {
                offenders.append("\(file.path) names \(store)")
            }
        }
        #expect(offenders.isEmpty, "\(offenders.joined(separator: "\n"))")
    }
}

extension CodeRulesTests {
    /// An unguarded query is for queries AskDB itself wrote (the evaluation's gold queries):
    /// no other source file may make one.
    @Test func onlyTheEvaluationRunsTrustedQueries() throws {
        let offenders = try Self.sources().filter { file in
            file.text.contains(".trusted(") && !file.path.hasPrefix("API/Evaluation/")
        }.map(\.path)
        #expect(offenders.isEmpty, "unguarded queries outside the evaluation: \(offenders)")
    }
}
