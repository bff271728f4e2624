// Plot cells as the user sees them: every view's exact text on a tiny deterministic run (Unicode and
// ASCII golden files), every view on broken records without trapping, and bad plot cells.
// To refresh the golden files after an intended change: BNLAB_UPDATE_GOLDEN=1 swift test --filter PlotCell

import BNEngine
@testable import BNLessons
import BNPlots
import Foundation
import Testing

// MARK: - Golden output of every view

@Test(arguments: [false, true])
func everyViewMatchesItsGoldenText(ascii: Bool) throws {
    let run = headless(HeadlessOptions(lessons: [Paths.fixture("plots.md")], ascii: ascii))
    let name = ascii ? "plots.ascii.expected.txt" : "plots.expected.txt"
    let golden = Paths.repository.appendingPathComponent("Tests/BNLessonsTests/Fixtures/\(name)")
    if ProcessInfo.processInfo.environment["BNLAB_UPDATE_GOLDEN"] != nil {
        try run.output.write(to: golden, atomically: true, encoding: .utf8)
    }
    #expect(run.code == 0, "\(run.errors)")
    #expect(run.output == (try String(contentsOf: golden, encoding: .utf8)))
}

@Test func barsOfAccuracyDrawOnAFixedZeroToOneRange() {
    let result = synthetic([variant("plain", ["test_accuracy": [0.5, 0.75]]), variant("bn", ["test_accuracy": [0.25, 1]])])
    let plot = spec(.bars, metrics: ["test_accuracy"])
    #expect(PlotCells.grid(for: plot, result: result, width: 20, ascii: false).lines == [
        "final test_accuracy ",
        "plain ██████▊   0.75",
        "bn    █████████ 1   ",
    ])
    #expect(PlotCells.grid(for: plot, result: result, width: 20, ascii: true).lines == [
        "final test_accuracy ",
        "plain ######=   0.75",
        "bn    ######### 1   ",
    ])
}

@Test func tableShowsFinalValuesAndADashForAMissingSeries() {
    let result = synthetic([variant("plain", ["test_accuracy": [0.5, 0.75], "test_loss": [2, 1]]),
                            variant("bn", ["test_accuracy": [0.875]])])
    let plot = spec(.table, metrics: ["test_accuracy", "test_loss"])
    #expect(PlotCells.grid(for: plot, result: result, width: 32, ascii: true).lines == [
        "final values                    ",
        "       test_accuracy  test_loss ",
        "------------------------------- ",
        "plain           0.75          1 ",
        "bn             0.875          - ",
    ])
}

// MARK: - Broken records never trap

/// A diverged variant (NaN, ±Inf in series and histograms), one with nothing recorded, one with a single point.
private func brokenResult() -> ExperimentResult {
    var diverged = variant("too_fast", ["test_accuracy": [0.1, .nan, .nan], "batch_loss": [2, .infinity, .nan], "test_loss": [1, .nan]])
    diverged.record.failure = TrainingFailure(step: 2, message: "loss is NaN")
    for stage in [Stage.preActivation, .activation] {
        diverged.record.histograms[HistogramKey(layer: 1, stage: stage)] = [
            snapshot(step: 0, bins: [1, 2, 3, 2]),
            HistogramSnapshot(step: 2, lower: -5, upper: 5, bins: [.nan, .infinity, 0, 0], below: 0, above: 0,
                              nonFinite: 50, mean: .nan, std: .nan, saturation: 0),
        ]
        for (name, values) in [("p15", [-1.0, .nan]), ("p50", [0.0, .infinity]), ("p85", [1.0, .nan])] {
            diverged.record.series[MetricKey(name, layer: 1, stage: stage, unit: 0)] = MetricSeries(steps: [0, 2], values: values)
        }
    }
    var single = variant("single", ["test_accuracy": [0.5], "batch_loss": [0.7]])
    single.record.histograms[HistogramKey(layer: 1, stage: .preActivation)] = [snapshot(step: 0, bins: [0, 5, 0, 0])]
    single.record.series[MetricKey("p50", layer: 1, stage: .preActivation, unit: 0)] = MetricSeries(steps: [0], values: [0.2])
    return synthetic([diverged, variant("empty", [:]), single])
}

@Test func everyViewDrawsBrokenRecordsAtAnyWidthWithoutTrapping() {
    let broken = brokenResult()
    let empty = synthetic([])
    for view in PlotView.allCases {
        let plot = spec(view, metrics: view == .table || view == .bars || view == .curves ? ["test_accuracy", "batch_loss"] : [],
                        layer: 1, stages: view == .layers ? [.preActivation, .activation] : [])
        for result in [broken, empty] {
            for width in [0, 1, 7, 40, 100] {
                for ascii in [false, true] {
                    let grid = PlotCells.grid(for: plot, result: result, width: width, ascii: ascii)
                    #expect(grid.width == width, "\(view) at width \(width)")
                }
            }
        }
    }
}

@Test func curvesMarkADivergedVariantAndAMissingSeries() {
    let grid = PlotCells.grid(for: spec(.curves, metrics: ["test_accuracy"]), result: brokenResult(), width: 80, ascii: false)
    #expect(grid.lines[1].hasPrefix("● too_fast (diverged at 2) (2 NaN)  ○ empty (no data)  ◆ single"))
    #expect(grid.text.contains("×"))  // the gap mark on the x axis where the values are NaN
    let ascii = PlotCells.grid(for: spec(.curves, metrics: ["test_accuracy"]), result: brokenResult(), width: 80, ascii: true)
    #expect(ascii.text.contains("!"))
}

@Test func layersViewLabelsADivergedColumnAndCountsItsNaNs() {
    let grid = PlotCells.grid(for: spec(.layers, layer: nil, stages: [.preActivation]), result: brokenResult(), width: 90, ascii: false)
    #expect(grid.lines[0].hasPrefix("Per-layer histograms at step 2 (in = pre_activation)"))
    #expect(grid.lines[1].contains("too_fast (diverged)"))
    #expect(grid.lines[1].contains("empty: no data"))
    #expect(grid.lines[1].contains("single @0"))
    #expect(grid.lines[2].contains("50 NaN"))
}

@Test func emptyExperimentSaysSoInsteadOfDrawingAxes() {
    let grid = PlotCells.grid(for: spec(.histogram, layer: 1), result: synthetic([variant("plain", [:])]), width: 60, ascii: false)
    #expect(grid.text == "layer 1 pre_activation\n(no histogram of layer 1 pre_activation was recorded)")
}

@Test func histogramAtAStepBeforeTheFirstProbeSaysSo() {
    var v = variant("plain", [:])
    v.record.histograms[HistogramKey(layer: 1, stage: .preActivation)] = [snapshot(step: 10, bins: [1, 2, 1, 0])]
    var plot = spec(.histogram, layer: 1)
    plot.step = 5
    let grid = PlotCells.grid(for: plot, result: synthetic([v]), width: 70, ascii: true)
    #expect(grid.text == "layer 1 pre_activation, step 5\n(no histogram of layer 1 pre_activation at or before step 5)")
}

// MARK: - Bad plot cells

private let experiment = plainAndBNExperiment(hidden: "[4, 4]", extra: ["probes: { units: [0, 1] }"])

/// The parse error of a plot cell under `experiment`; the plot's first body line is line 21.
private func plotError(_ body: String) -> LessonError? {
    let e = parseError(lessonText(experiment + "```plot\n" + body + "\n```\n"))
    if let e { #expect(e.description.hasPrefix("x.md:\(e.location.line):\(e.location.column): ")) }
    return e
}

@Test func unknownViewSuggestsTheNearestOne() {
    let e = plotError("view: layer")
    #expect(e?.message == "unknown plot view 'layer'")
    #expect(e?.hint == "did you mean 'layers'?")
    #expect(e?.location == SourceLocation(line: 21, column: 7))
}

@Test func unknownStageInStagesIsBadInput() {
    let e = plotError("view: layers\nstages: [pre_activation, activaton]")
    #expect(e?.message == "unknown stage 'activaton'")
    #expect(e?.hint == "did you mean 'activation'?")
    #expect(e?.location == SourceLocation(line: 22, column: 9))
}

@Test func unknownLayerInLayersIsBadInput() {
    let e = plotError("view: layers\nlayers: [1, 4]")
    #expect(e?.message == "experiment 'e' has no layer 4")
    #expect(e?.hint == "its layers are 1…3 (the last is the output layer)")
    #expect(e?.location.line == 22)
}

@Test func unknownMetricAndVariantInAPlotAreBadInput() {
    let metric = plotError("view: curves\nmetric: test_acc")
    #expect(metric?.message == "unknown metric 'test_acc' in experiment 'e'")
    #expect(metric?.location == SourceLocation(line: 22, column: 9))
    let variant = plotError("view: curves\nmetric: test_accuracy\nvariants: [plain, nb]")
    #expect(variant?.message == "unknown variant 'nb' in experiment 'e'")
    #expect(variant?.hint == "did you mean 'bn'?")
    #expect(variant?.location.line == 23)
}

@Test func percentilesOfAnUnprobedUnitAreBadInput() {
    let e = plotError("view: percentiles\nlayer: 1\nunit: 7")
    #expect(e?.message == "experiment 'e' records no percentiles of unit 7")
    #expect(e?.hint == "its probed units are 0, 1 (probes: { units: [...] })")
    #expect(e?.location == SourceLocation(line: 23, column: 7))
}

@Test func layersViewDefaultsToEveryHiddenLayerAndSizesItself() throws {
    let lesson = try LessonParser.parse(text: lessonText(experiment + "```plot\nview: layers\nstages: [pre_activation, activation]\n```\n"), file: "x.md")
    let plot = try #require(lesson.cells.compactMap { cell -> PlotSpec? in if case .plot(let p) = cell.content { return p } else { return nil } }.first)
    #expect(plot.view == .layers)
    #expect(plot.stages == [.preActivation, .activation])
    #expect(plot.height == 2 + 2 * 2 * PlotParser.layerRowHeight)
}

// MARK: - Helpers

private func spec(_ view: PlotView, metrics: [String] = [], layer: Int? = nil, stages: [Stage] = []) -> PlotSpec {
    PlotSpec(location: SourceLocation(line: 1, column: 1), experiment: "e", view: view, metrics: metrics, variants: nil,
             layer: layer, stage: nil, unit: nil, step: nil, logY: false, title: nil, height: 10, stages: stages)
}

private func variant(_ name: String, _ series: [String: [Double]]) -> VariantResult {
    var record = RunRecord()
    for (metric, values) in series {
        record.series[MetricKey(metric)] = MetricSeries(steps: Array(values.indices), values: values)
    }
    return VariantResult(name: name, record: record, plannedSteps: 3, mayDiverge: true, tables: [])
}

private func snapshot(step: Int, bins: [Double]) -> HistogramSnapshot {
    HistogramSnapshot(step: step, lower: -5, upper: 5, bins: bins, below: 0, above: 0, nonFinite: 0, mean: 0, std: 1, saturation: 0)
}

private func synthetic(_ variants: [VariantResult]) -> ExperimentResult {
    ExperimentResult(name: "e", kind: .train, variants: variants, tweaked: false, cancelled: false)
}
