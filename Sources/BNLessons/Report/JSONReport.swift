// The --json report: lessons → experiments → variants → metric series, plus claims with values
// and verdicts. Schema in lessons/README.md. Each lesson is encoded (compact) when it is done, and its
// series are let go; at the end the pieces are laid out (JSONLayout) and written through AtomicFile (a
// temporary file renamed over the target), so a run that stops early never leaves a
// complete-looking report. (Built whole at the end, the fourteen shipped lessons' report at full scale
// raised the run's peak from 277 MB to 594 MB: every lesson's series, JSONEncoder's tree of them and
// 98 MB of pretty text. A lesson at a time, the peak is 310 MB.)

import BNEngine
import BNFiles
import Foundation

struct JSONReport: Encodable {
    var format = "bnlab-report"
    /// The layout's version (lessons/README.md, "JSON report"): grows when a key is renamed, removed
    /// or changes meaning; new keys may appear without it. Version 2 added checks, seed offsets and
    /// hold rates; version 3 seeds and sweeps (a variant's name repeats once per seed, told apart by
    /// `seed`). `version` is kept for older readers and says the same.
    var schemaVersion = 3
    var version = 3
    var scale: Double
    /// Added to every seed (`--seed`); with `--seeds K`, the first of the K offsets (the run `lessons` shows).
    var seedOffset: UInt64
    var exitCode: Int32 = 0
    /// Findings and checks that held and failed, over every lesson (and, with `--seeds`, every offset).
    var summary = Tally()
    /// The lessons, each one JSON object encoded compactly by ``add(_:)``: written last, after the keys above.
    private(set) var lessons: [Data] = []
    /// `--seeds K` only: the offsets run, and per claim how often it held.
    var seedOffsets: [UInt64]?
    var holdRates: [HoldRateReport]?

    /// Every key but `lessons`, which ``write(to:)`` adds.
    enum CodingKeys: String, CodingKey {
        case format, schemaVersion, version, scale, seedOffset, exitCode, summary, seedOffsets, holdRates
    }

    init(scale: Double, seedOffset: UInt64) {
        self.scale = scale
        self.seedOffset = seedOffset
    }

    /// snake_case keys, sorted; NaN and ±∞ (legal results: a diverged run, "never reached") as strings.
    private static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    /// Why a lesson could not be encoded, if one could not: ``write(to:)`` says so.
    private var encodingError: (any Error)?

    /// Encodes a finished lesson now, so that its series need not be kept until the end.
    mutating func add(_ lesson: LessonReport) {
        do { lessons.append(try Self.encoder().encode(lesson)) } catch { encodingError = encodingError ?? error }
    }

    struct HoldRateReport: Encodable {
        var lesson: String
        var line: Int
        var kind: String
        var text: String
        var held: Int
        var runs: Int
        var failedAtOffsets: [UInt64]
        /// For a finding that held at every offset: the offset where it came closest to failing and by how
        /// much it held there (`ClaimOutcome.margin`); nil for a check, a claim that failed somewhere or
        /// one without a margin.
        var closestOffset: UInt64?
        var closestMargin: Double?
    }

    struct LessonReport: Encodable {
        var id: String
        var title: String
        var file: String
        var experiments: [ExperimentReport] = []
        var claims: [ClaimReport] = []
        var predictions: [PredictReport] = []
    }

    struct ExperimentReport: Encodable {
        var name: String
        var kind: String
        var line: Int
        var tweaked: Bool
        var variants: [VariantReport]
        var error: String?
        /// The experiment's `seeds` and sweep, if it has them.
        var seeds: [UInt64]?
        var sweep: SweepReport?
    }

    struct SweepReport: Encodable {
        var field: String
        var name: String
        var values: [Double]
    }

    struct VariantReport: Encodable {
        var name: String
        var plannedSteps: Int
        var stepsDone: Int
        var mayDiverge: Bool
        var failure: FailureReport?
        var series: [SeriesReport]
        /// This run's seed (experiments with `seeds`); the variant as written and its swept value (with a sweep).
        var seed: UInt64?
        var base: String?
        var sweepValue: Double?
    }

    struct FailureReport: Encodable {
        var kind = "divergence"
        var step: Int
        var message: String
        var expected: Bool
    }

    struct SeriesReport: Encodable {
        var metric: String
        var layer: Int?
        var stage: String?
        var unit: Int?
        var steps: [Int]
        var values: [Double]
    }

    struct ClaimReport: Encodable {
        var experiment: String
        var line: Int
        /// "finding" or "check".
        var kind: String
        var text: String
        var verdict: String
        var left: Double
        var right: Double
        var tolerance: Double?
        var measurements: [MeasuredValue]
        var note: String?
        var seedVerdicts: [SeedVerdict]?
    }

    struct PredictReport: Encodable {
        var experiment: String
        var line: Int
        var question: String
        var options: [String]
        var answer: String?
        var rule: String
        var values: [MeasuredValue]
    }

    static func experiment(_ result: ExperimentResult, line: Int) -> ExperimentReport {
        ExperimentReport(name: result.name, kind: result.kind.rawValue, line: line, tweaked: result.tweaked, variants: result.variants.map { v in
            let series = v.record.series.sorted { a, b in
                (a.key.name, a.key.layer ?? 0, a.key.stage?.rawValue ?? "", a.key.unit ?? -1)
                    < (b.key.name, b.key.layer ?? 0, b.key.stage?.rawValue ?? "", b.key.unit ?? -1)
            }.map { key, s in
                SeriesReport(metric: key.name, layer: key.layer, stage: key.stage?.rawValue, unit: key.unit, steps: s.steps, values: s.values)
            }
            return VariantReport(name: v.name, plannedSteps: v.plannedSteps, stepsDone: v.record.steps, mayDiverge: v.mayDiverge,
                                 failure: v.failure.map { FailureReport(step: $0.step, message: $0.message, expected: v.mayDiverge) },
                                 series: series, seed: v.seed, base: v.base, sweepValue: v.sweepValue)
        }, error: nil, seeds: result.seeds.isEmpty ? nil : result.seeds,
           sweep: result.sweep.map { SweepReport(field: $0.path, name: $0.name, values: $0.values) })
    }

    static func claim(_ o: ClaimOutcome) -> ClaimReport {
        ClaimReport(experiment: o.claim.experiment, line: o.claim.location.line, kind: o.claim.kind.rawValue, text: o.claim.text, verdict: o.verdict.rawValue,
                    left: o.left, right: o.right, tolerance: o.tolerance, measurements: o.measurements, note: o.note,
                    seedVerdicts: o.perSeed)
    }

    /// Checks, before any run, that a file already at `path` is an earlier report (or empty), so that
    /// writing the report replaces nothing else: `--json` takes a value, and `--json lessons/*.md`
    /// would otherwise overwrite the first lesson with the report (it did, once, in this project).
    static func checkReplaceable(_ path: String) throws(OutputFileError) {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }  // absent (or unreadable: writing will say)
        defer { try? handle.close() }
        let start = (try? handle.read(upToCount: 4096)) ?? Data()
        if start.isEmpty { return }
        let text = String(decoding: start, as: UTF8.self)
        if text.hasPrefix("{") && text.contains("\"bnlab-report\"") { return }
        let what = text.hasPrefix("---") ? "a lesson (it starts with front matter)" : "not a bnlab report"
        throw OutputFileError(path: path, message: "it is \(what); not replacing it (--json takes the path of the report to write, e.g. --json report.json, before or after the lessons)")
    }

    /// Writes the report atomically (``AtomicFile``): a reader sees the old report or the new one. The
    /// keys above, then `"lessons"`, laid out by ``JSONLayout`` a piece at a time.
    func write(to path: String) throws {
        if let encodingError { throw encodingError }
        var header = try Self.encoder().encode(self)
        guard header.last == UInt8(ascii: "}") else { throw OutputFileError(path: path, message: "the report did not encode as an object") }
        header.removeLast()
        header.append(contentsOf: Array(#","lessons":["#.utf8))
        var input = [header]
        for (index, lesson) in lessons.enumerated() { input += index == 0 ? [lesson] : [Data(",".utf8), lesson] }
        input.append(Data("]}".utf8))
        let pieces = sequence(state: (layout: JSONLayout(), next: input.makeIterator())) { state in
            state.next.next().map { state.layout.layOut($0) }
        }
        try AtomicFile.write(contentsOf: pieces, to: path)
    }
}
