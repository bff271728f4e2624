// A sweep experiment's dashboard: variants that differ only by seed are one column and one line
// (their mean, with min-max whiskers on the sweep chart), and the sweep opens on a chart of the
// final metric against the swept setting (log x for learning rates), one line per group.

@testable import BNApp
import BNLessons
import BNPlots
import Foundation
import Testing

@Suite struct SweepViewTests {
    static let rates = ["0_01": 0.01, "0_1": 0.1, "1": 1.0, "10": 10.0]

    /// A blobs sweep: plain and bn at four learning rates, two seeds each (16 variants).
    static func sweepLesson() -> Notebook {
        var variants: [String] = []
        for group in ["plain", "bn"] {
            for (name, rate) in rates.sorted(by: { $0.value < $1.value }) {
                for seed in [1, 2] {
                    let bn = group == "bn" ? ", network: { batch_norm: before }" : ""
                    variants.append("  \(group)_lr\(name)_s\(seed): { optimizer: { learning_rate: \(rate) }, seed: \(seed)\(bn) }")
                }
            }
        }
        let text = lessonText(id: "sweep-seeds", title: "A sweep with seeds", summary: "16 variants.",
                              dimensions: [], variants: variants.joined(separator: "\n"))
        do { return Notebook(try LessonParser.parse(text: text, file: "sweep.md")) } catch { fatalError("\(error)") }
    }

    @Test func seedsAreOneColumnAndTheLearningRateIsTheSweep() throws {
        let lesson = Self.sweepLesson()
        let e = try #require(lesson.experiment(named: "lr"))
        let d = VariantDimensions.inferred(from: e)
        #expect(d.sweptName == "learning_rate")
        #expect(d.columns.count == 8 && d.columns.allSatisfy { $0.count == 2 })
        #expect(d.columnNames.prefix(2) == ["plain_lr0_01", "plain_lr0_1"])
        #expect(Set(d.groups) == ["plain", "bn"])
        #expect(d.sweptValues.compactMap { $0 }.count == 16)
        // Without seeds or a numeric sweep: every variant its own column, no sweep.
        let plain = VariantDimensions.inferred(from: try #require(Fixtures.toy.experiment(named: "toy")))
        #expect(plain.sweptName == nil && plain.columns == [[0], [1]])
        #expect(VariantDimensions.commonName(["bn_lr1", "bn_lr10"]) == "bn")
        #expect(VariantDimensions.commonName(["zscore", "zscore_bn"]) == "zscore")
        #expect(VariantDimensions.commonName(["a", "b"]) == "a")
    }

    @Test(arguments: [(80, 24), (120, 40)])
    func aSweepOpensOnItsChartWithOneLinePerGroupAndSeedsAsWhiskers(size: (Int, Int)) throws {
        let (width, height) = size
        var s = AppState(lessons: [Self.sweepLesson()], width: width, height: height)
        _ = s.open(lessonID: "sweep-seeds")
        _ = s.press(.character("n"))
        _ = s.press(.enter)
        #expect(s.dashboardView == .sweep)
        Fixtures.runToEnd(&s, "lr")
        #expect(s.run(of: "lr")?.snapshot.phase == .finished)
        // Timing aside (the status line's steps/s), the frame is the same on every machine.
        s.runs[AppState.runKey(lesson: "sweep-seeds", experiment: "lr")]?.snapshot.elapsed = 2
        let text = Layout.render(s, unicode: true).text
        #expect(text.contains("sweep over learning_rate: 2 groups x 4 values, mean of 2 seeds"), "\(text)")
        // Titles and the first line are whole (a shorter form where the long one does not fit).
        #expect(text.contains(width >= 120 ? "test accuracy (latest) vs learning_rate" : "test accuracy vs learning_rate"))
        #expect(text.contains(width >= 120 ? "batch loss (recent, log) vs learning_rate" : "batch loss (log) vs learning_rate"))
        #expect(text.firstMatch(of: /learning_ra(?!te)|\(v: next(?! view\))/) == nil)
        // The legend names each group once; the whiskers say what they show.
        #expect(text.components(separatedBy: "● plain").count == 3)  // once per chart
        #expect(text.components(separatedBy: "○ bn").count == 3)
        #expect(text.contains("min-max of 2 seeds"))
        // Log x: the learning rates' decades are the ticks.
        #expect(text.contains("0.01") && text.contains("10"))
        try DashboardTests().expectSnapshot(Layout.render(s, unicode: true), "sweep-16-\(width)x\(height)")

        // v: the histogram dashboard, one column per pair of seeds, their mean.
        _ = s.press(.character("v"))
        #expect(s.dashboardView == .accuracy)
        let columns = Layout.render(s, unicode: true).text
        #expect(columns.contains("plain_lr0_01 (mean of 2 seeds)"), "\(columns)")
        #expect(columns.contains("of 8 (Tab: next)"))
        _ = s.press(.character("v"))
        _ = s.press(.character("v"))
        _ = s.press(.character("v"))
        #expect(s.dashboardView == .sweep)
    }

    /// The same sweep written with the lesson format's dimensions: `sweep:` and `seeds:`.
    static let dimensionsLesson = lessonText(
        id: "sweep-dims", title: "A declared sweep", summary: "2 variants x 4 rates x 3 seeds.",
        dimensions: ["seeds: [1, 2, 3]", "sweep: { optimizer.learning_rate: [0.01, 0.1, 1, 10] }"],
        variants: "  plain: {}\n  bn: { network: { batch_norm: before } }")

    /// One blobs sweep lesson: a 3-layer sigmoid net, 40 steps; `dimensions` (seeds, sweep) and
    /// `variants` are written into its experiment as given.
    static func lessonText(id: String, title: String, summary: String, dimensions: [String], variants: String) -> String {
        """
        ---
        id: \(id)
        title: \(title)
        order: 1
        summary: \(summary)
        estimated_time: 1 s
        ---

        A sweep.

        \(Fixtures.blobsExperiment(name: "lr", settings: ["steps: 40", "evaluation_interval: 20", "train_evaluation_size: 0",
                                                          "may_diverge: true"] + dimensions, variants: variants))
        """
    }

    @Test func aDeclaredSweepWithSeedsRunsOneRecordPerSeedAndShowsTheirMean() throws {
        let lesson = Notebook(try LessonParser.parse(text: Self.dimensionsLesson, file: "dims.md"))
        let e = try #require(lesson.experiment(named: "lr"))
        let d = VariantDimensions.of(e)
        #expect(d.sweptName == "learning_rate")
        #expect(d.columns.count == 8 && d.columns[0] == [0, 1, 2] && d.columns[7] == [21, 22, 23])
        #expect(d.columnNames[0] == "plain_lr0_01" && Set(d.groups) == ["plain", "bn"])
        var s = AppState(lessons: [lesson], width: 80, height: 24)
        _ = s.open(lessonID: "sweep-dims")
        _ = s.press(.character("n"))
        _ = s.press(.enter)
        Fixtures.runToEnd(&s, "lr")
        let run = try #require(s.run(of: "lr"))
        #expect(run.snapshot.phase == .finished)
        // 24 runs, each with its own record (seeds are not overwritten by each other).
        #expect(run.snapshot.records.count == 24 && run.snapshot.records.allSatisfy { $0.steps == 40 })
        #expect(run.snapshot.records[0].series(.batchLoss)?.values != run.snapshot.records[1].series(.batchLoss)?.values)
        let text = Layout.render(s, unicode: true).text
        #expect(text.contains("sweep over learning_rate: 2 groups x 4 values, mean of 3 seeds"), "\(text)")
        #expect(text.contains("min-max of 3 seeds"))
    }

    @Test func aDashboardThatDoesNotSweepNeverShowsTheSweepView() {
        var s = Fixtures.state()
        _ = s.open(lessonID: "toy")
        while s.currentExperiment == nil { _ = s.press(.character("n")) }
        s.dashboardView = .heatmap
        _ = s.press(.character("v"))
        #expect(s.dashboardView == .accuracy)
    }
}
