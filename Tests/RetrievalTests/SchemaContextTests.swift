@testable import Retrieval
@testable import SchemaModel
@testable import Support
import Testing

@Suite struct SchemaContextTests {
    /// artist ← album ← track → genre, playlist_track links playlist and track, and an unrelated table.
    static let snapshot = SchemaSnapshot(source: .postgres, objects: [
        SchemaObject(schema: "public", name: "artist", kind: .table, rowEstimate: 275, columns: [
            SchemaColumn(name: "artist_id", type: "integer"), SchemaColumn(name: "name", type: "text", profile: ValueProfile(examples: ["AC/DC"])),
        ], primaryKey: ["artist_id"]),
        SchemaObject(schema: "public", name: "album", kind: .table, columns: [
            SchemaColumn(name: "album_id", type: "integer"), SchemaColumn(name: "artist_id", type: "integer"),
        ], primaryKey: ["album_id"], foreignKeys: [ForeignKey(columns: ["artist_id"], referencedObject: "public.artist", referencedColumns: ["artist_id"])]),
        SchemaObject(schema: "public", name: "track", kind: .table, comment: "songs", columns: [
            SchemaColumn(name: "track_id", type: "integer"), SchemaColumn(name: "album_id", type: "integer"),
            SchemaColumn(name: "genre_id", type: "integer"),
            SchemaColumn(name: "milliseconds", type: "integer", profile: ValueProfile(minimum: "1071", maximum: "5286953")),
        ], primaryKey: ["track_id"], foreignKeys: [
            ForeignKey(columns: ["album_id"], referencedObject: "public.album", referencedColumns: ["album_id"]),
            ForeignKey(columns: ["genre_id"], referencedObject: "public.genre", referencedColumns: ["genre_id"]),
        ]),
        SchemaObject(schema: "public", name: "genre", kind: .table, columns: [
            SchemaColumn(name: "genre_id", type: "integer"), SchemaColumn(name: "name", type: "text", profile: ValueProfile(values: ["Rock", "Jazz"])),
        ], primaryKey: ["genre_id"]),
        SchemaObject(schema: "public", name: "playlist", kind: .table, columns: [SchemaColumn(name: "playlist_id", type: "integer")]),
        SchemaObject(schema: "public", name: "playlist_track", kind: .table, columns: [
            SchemaColumn(name: "playlist_id", type: "integer"), SchemaColumn(name: "track_id", type: "integer"),
        ], primaryKey: ["playlist_id", "track_id"], foreignKeys: [
            ForeignKey(columns: ["playlist_id"], referencedObject: "public.playlist", referencedColumns: ["playlist_id"]),
            ForeignKey(columns: ["track_id"], referencedObject: "public.track", referencedColumns: ["track_id"]),
        ]),
        SchemaObject(schema: "public", name: "weather", kind: .table, columns: [SchemaColumn(name: "day", type: "date")]),
    ])

    static func ranked(_ objects: String...) -> [RetrievedDocument] {
        objects.enumerated().map { index, object in
            RetrievedDocument(key: "table:\(object)", content: object, metadata: ["object": .string(object)], score: 1 / Double(index + 1))
        }
    }

    static func words(_ text: String) -> Int { text.split(whereSeparator: \.isWhitespace).count }

    @Test func foreignKeysBringBothEndsAndLinkTablesAlong() {
        let context = SchemaContext.build(ranked: Self.ranked("public.track", "public.playlist"), snapshot: Self.snapshot, budget: 10_000, tokens: Self.words)
        // track, what it references, then what references it (a top-ranked table), then the next-ranked one.
        #expect(context.objects == ["public.track", "public.album", "public.genre", "public.playlist_track", "public.playlist"])
        #expect(!context.objects.contains("public.weather"))
        #expect(!context.objects.contains("public.artist"), "two hops away is left out")
    }

    @Test func theBudgetDropsWhatDoesNotFitButNeverTheBestObject() {
        let full = SchemaContext.build(ranked: Self.ranked("public.track"), snapshot: Self.snapshot, budget: 10_000, tokens: Self.words)
        let tiny = SchemaContext.build(ranked: Self.ranked("public.track"), snapshot: Self.snapshot, budget: 1, tokens: Self.words)
        #expect(tiny.objects == ["public.track"])
        #expect(full.objects.count > tiny.objects.count)
        let trackCost = Self.words(SchemaContext.describe(Self.snapshot.object("public.track")!))
        let some = SchemaContext.build(ranked: Self.ranked("public.track"), snapshot: Self.snapshot, budget: trackCost + 5, tokens: Self.words)
        #expect(some.objects.first == "public.track" && some.objects.count < full.objects.count)
    }

    @Test func unknownAndRepeatedObjectsAreSkipped() {
        let context = SchemaContext.build(ranked: Self.ranked("public.gone", "public.weather", "public.weather"), snapshot: Self.snapshot,
                                          budget: 10_000, tokens: Self.words)
        #expect(context.objects == ["public.weather"])
    }

    @Test func ddlCarriesKeysCommentsAndValueHints() {
        let track = SchemaContext.describe(Self.snapshot.object("public.track")!)
        #expect(track.hasPrefix("-- songs\nTABLE public.track ("))
        #expect(track.contains("track_id integer PRIMARY KEY"))
        #expect(track.contains("album_id integer REFERENCES public.album(album_id)"))
        #expect(track.contains("milliseconds integer -- from 1071 to 5286953"))
        let genre = SchemaContext.describe(Self.snapshot.object("public.genre")!)
        #expect(genre.contains("name text -- values: 'Rock', 'Jazz'"))
        let link = SchemaContext.describe(Self.snapshot.object("public.playlist_track")!)
        #expect(link.contains("PRIMARY KEY (playlist_id, track_id)"))
        #expect(SchemaContext.describe(Self.snapshot.object("public.artist")!).contains("-- about 275 rows"))
    }

    @Test func valueHintsStayShort() {
        let hint = SchemaContext.hint((1...50).map { "value number \($0) with a long label" })
        #expect(hint.count < 220 && hint.hasSuffix(", …"))
        #expect(SchemaContext.hint([String(repeating: "x", count: 100)]) == "'\(String(repeating: "x", count: 40))'")
    }
}
