// The `sweep` plot view: a sweep's final metric against the swept value, drawn by SweepChart in
// headless output as in the app (one line per variant as written, min-max whiskers over seeds).

import BNLessons
import Foundation
import Testing

@Suite struct SweepPlotTests {
    /// Plain and BN on blobs, two seeds, swept over four learning rates (or, with `sweeps: false`, not).
    static func experiment(sweeps: Bool = true) -> String {
        plainAndBNExperiment(name: "rates", trainSize: 200, testSize: 100, hidden: "[8, 8]", activation: "sigmoid",
                             batchSize: 20, steps: 40,
                             extra: ["evaluation_interval: 20", "train_evaluation_size: 0", "may_diverge: true", "seeds: [1, 2]"]
                                 + (sweeps ? ["sweep: { optimizer.learning_rate: [0.01, 0.1, 1, 10] }"] : []))
    }

    @Test func headlessDrawsTheSweepChart() throws {
        try withTemporaryDirectory("bnlab-sweep") { directory in
            let text = lessonText("A sweep.\n\n" + Self.experiment() + "```plot\nview: sweep\nmetric: test_accuracy\n```\n"
                                  + "```plot\nview: sweep\nmetric: test_loss\nlog_y: true\n```\n")
            try text.write(toFile: directory + "/01-t.md", atomically: true, encoding: .utf8)
            let run = headless(HeadlessOptions(lessons: [directory + "/01-t.md"], ascii: true, lessonsDirectory: directory))
            #expect(run.code == 0, "\(run.errors)")
            #expect(run.output.contains("final test_accuracy vs learning_rate"), "\(run.output)")
            #expect(run.output.contains("* plain  o bn  | min-max of 2 seeds"), "\(run.output)")
            // log_y as curves take it: said in the title, and accuracy's fixed 0…1 range is not forced on a loss.
            #expect(run.output.contains("final test_loss (log scale) vs learning_rate"), "\(run.output)")
            // Log x: the decades of the learning rates label the axis.
            #expect(run.output.contains("0.01") && run.output.contains("0.1") && run.output.contains("10"))
        }
    }

    @Test func aSweepPlotOfAnExperimentThatSweepsNothingIsALocatedError() {
        let text = lessonText(Self.experiment(sweeps: false)
                              + "```plot\nview: sweep\nmetric: test_accuracy\n```\n")
        let error = parseError(text)
        #expect(error?.message == "experiment 'rates' sweeps nothing", "\(String(describing: error))")
        let viewLine = text.components(separatedBy: "\n").firstIndex(of: "view: sweep").map { $0 + 1 }
        #expect(error?.location.line == viewLine)
    }
}
