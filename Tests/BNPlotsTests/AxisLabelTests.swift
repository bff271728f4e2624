// Axis tick labels are distinct: two equal labels at different heights would misstate the scale
// (the loss chart once read `1.1 1.1 1.1`). Labels get more digits, or the axis fewer ticks.

import Foundation
import Testing
@testable import BNPlots
@testable import BNTools

@Suite struct AxisLabelTests {
    /// A random range: any scale, sometimes a tiny span far from zero, sometimes degenerate.
    static func randomRange(_ rng: inout TestRandom, positive: Bool) -> ValueRange {
        let scale = [1e-30, 1e-9, 1e-3, 1, 1e3, 1e6, 1e15, 1e30][rng.int(0...7)]
        let center = Double.random(in: (positive ? 0.001 : -10)...10, using: &rng) * scale
        let relative = [0, 1e-14, 1e-9, 1e-6, 1e-4, 1e-3, 0.01, 0.05, 0.1, 0.5, 1, 10, 1000][rng.int(0...12)]
        var span = abs(center) * relative * Double.random(in: 0.1...1, using: &rng)
        if center == 0 { span = scale }
        let lower = positive ? center : center - span / 2
        return ValueRange(lower: lower, upper: lower + span)
    }

    @Test func linearAndLogAxesNeverRepeatALabel() {
        var rng = TestRandom(seed: 1411)
        for trial in 0..<6000 {
            let log = rng.int(0...1) == 0
            let range = Self.randomRange(&rng, positive: log)
            let budget = rng.int(1...12)
            let axis = log ? Axis.log(range, maxTicks: budget) : Axis.linear(range, maxTicks: budget)
            #expect(Set(axis.labels).count == axis.labels.count, "trial \(trial): \(log ? "log" : "linear") \(range) \(budget): \(axis.labels)")
            #expect(axis.labels.count == axis.ticks.count)
            #expect(!axis.labels.isEmpty, "trial \(trial): \(range) has no tick")
            #expect(axis.labels.allSatisfy { !$0.isEmpty && $0.count <= 10 }, "trial \(trial): \(axis.labels)")
        }
    }

    @Test func theIssuesLossAxisNowReadsAsThreeNumbers() {
        // A loss between 1.05 and 1.15 on a log axis: the nice linear ticks once all read `1.1`.
        let axis = Axis.log(ValueRange(lower: 1.05, upper: 1.15), maxTicks: 3)
        #expect(axis.labels == ["1.05", "1.1", "1.15"])
        // Labels that are distinct already stay as they were (shipped lessons' plots unchanged).
        #expect(Axis.log(ValueRange(lower: 0.2, upper: 0.9), maxTicks: 4).labels == ["0.2", "0.4", "0.6", "0.8"])
        #expect(NumberFormat.tickLabels([0, 0.25, 0.5]) == ["0", "0.25", "0.5"])
    }

    @Test func drawnYLabelsAreDistinctAndWhole() {
        var rng = TestRandom(seed: 77)
        for trial in 0..<3000 {
            let log = rng.int(0...1) == 0
            let range = Self.randomRange(&rng, positive: log)
            let points = (0..<rng.int(2...30)).map { i in
                DataPoint(x: Double(i), y: range.lower + (range.upper - range.lower) * Double.random(in: 0...1, using: &rng))
            }
            let chart = LineChart(series: [LineSeries(name: "a", points: points)], logY: log)
            let grid = chart.grid(width: rng.int(12...60), height: rng.int(5...30), glyphs: .unicode)
            let labels = grid.lines.compactMap { line -> String? in
                guard let tick = line.firstIndex(of: "┤") else { return nil }
                return line[..<tick].trimmingCharacters(in: .whitespaces)
            }
            #expect(Set(labels).count == labels.count, "trial \(trial): \(range) drew \(labels)\n\(grid.lines.joined(separator: "\n"))")
            #expect(labels.allSatisfy { $0.wholeMatch(of: /-?[0-9]+(\.[0-9]+)?(e-?[0-9]+|[kMGT])?/) != nil }, "trial \(trial): \(labels)")
        }
    }
}
