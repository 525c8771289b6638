import Foundation
import Testing

/// The target graph in Package.swift against the layer list in docs/architecture.md: every
/// source target is placed in a layer, and depends only on targets of lower layers.
@Suite struct LayerRulesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Target name → layer number, from the numbered list between the layer markers.
    static func layers() throws -> [String: Int] {
        let text = try String(contentsOf: root.appendingPathComponent("docs/architecture.md"), encoding: .utf8)
        let start = try #require(text.range(of: "<!-- layers:")), end = try #require(text.range(of: "<!-- end of layers -->"))
        var layers: [String: Int] = [:]
        for line in text[start.upperBound..<end.lowerBound].split(separator: "\n") {
            guard let match = line.wholeMatch(of: /(\d+)\. [a-z]+: (.+)/) else { continue }
            for name in match.2.split(separator: ",") {
                layers[name.trimmingCharacters(in: .whitespaces)] = Int(match.1)!
            }
        }
        return layers
    }

    /// Source target name → the package's own targets it depends on (products of other
    /// packages left out), read from Package.swift's `.target(` and `.executableTarget(` entries.
    static func graph(_ manifest: String) -> [String: [String]] {
        var graph: [String: [String]] = [:]
        for entry in manifest.split(separator: "\n        .").dropFirst() {
            guard entry.hasPrefix("target(") || entry.hasPrefix("executableTarget("),
                  let name = entry.firstMatch(of: /name: "(\w+)"/)?.1 else { continue }
            var dependencies: [String] = []
            if let list = entry.firstMatch(of: /dependencies: \[([^\]]*)\]/)?.1 {
                let ownOnly = list.replacing(/\.product\([^)]*\)/, with: "")
                dependencies = ownOnly.matches(of: /"(\w+)"/).map { String($0.1) }
            }
            graph[String(name)] = dependencies
        }
        return graph
    }

    @Test func everyDependencyPointsDown() throws {
        let layers = try Self.layers()
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let graph = Self.graph(manifest)
        #expect(graph.count >= 20, "Package.swift was not read: \(graph.keys.sorted())")
        for (target, dependencies) in graph where target != "TestSupport" {
            let layer = try #require(layers[target], "\(target) is in no layer of docs/architecture.md")
            for dependency in dependencies {
                let below = dependency.hasPrefix("C") && layers[dependency] == nil ? 0 : layers[dependency]
                let dependencyLayer = try #require(below, "\(target) depends on \(dependency), which is in no layer")
                #expect(dependencyLayer < layer, "\(target) (layer \(layer)) must not import \(dependency) (layer \(dependencyLayer))")
            }
        }
    }

    @Test func theReaderCatchesAWrongWayDependency() {
        let manifest = """
            targets: [
                    .target(
                        name: "Support",
                        dependencies: [
                            "Query",
                            .product(name: "Logging", package: "swift-log")
                        ]
                    ),
                    .target(name: "Query", dependencies: ["Support"]),
            """
        #expect(Self.graph(manifest) == ["Support": ["Query"], "Query": ["Support"]])
    }

    @Test func noTargetHoldsMoreThan30PercentOfTheCode() throws {
        let sources = Self.root.appendingPathComponent("Sources")
        var lines: [String: Int] = [:]
        let files = FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)!
        for case let file as URL in files where file.pathExtension == "swift" {
            let target = file.path.dropFirst(sources.path.count + 1).split(separator: "/")[0]
            lines[String(target), default: 0] += try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).count
        }
        let total = lines.values.reduce(0, +)
        for (target, count) in lines {
            #expect(Double(count) <= 0.3 * Double(total), "\(target) holds \(count) of \(total) lines")
        }
        let libraries = lines.keys.filter { !["API", "Indexer", "Benchmarks"].contains($0) }
        #expect(libraries.count >= 8, "fewer than 8 library targets: \(libraries.sorted())")
    }
}
