// Behaviour at the edges: NaN and ±Inf, empty and constant data, single points, tiny rectangles and
// 1e30. Each renders without trapping; where the data had NaN, the picture says so.

import Testing
@testable import BNPlots

@Suite struct EdgeCaseTests {
    func text(_ plot: some Plot, _ width: Int, _ height: Int, _ glyphs: GlyphSet = .ascii) -> String {
        plot.grid(width: width, height: height, glyphs: glyphs).lines.joined(separator: "\n")
    }

    @Test func histogramOfConstantDataDoesNotDivideByZero() {
        let data = HistogramData(values: Array(repeating: 3, count: 50), binCount: 10)
        let out = text(Histogram(data), 20, 6)
        #expect(out.contains("#"))
        #expect(data.std == 0)
    }

    @Test func histogramOfZerosDrawsNoBars() {
        let data = HistogramData(bins: [0, 0, 0], lower: 0, upper: 1)
        let lines = Histogram(data).grid(width: 10, height: 5, glyphs: .ascii).lines
        #expect(lines[1] == "          " && lines[2] == "          ")
    }

    @Test func histogramNotesNaNValuesInTheCaption() {
        let data = HistogramData(values: [1, 2, .nan, .nan, .infinity], binCount: 4)
        #expect(text(Histogram(data, title: "L1"), 30, 5).hasPrefix("L1 3 NaN"))
    }

    @Test func histogramWithNaNBinCountsAndReversedRangeDrawsSomething() {
        let data = HistogramData(bins: [1, .nan, 3, .infinity, -2], lower: 5, upper: -5, below: .nan, above: -1)
        let out = text(Histogram(data), 12, 5)
        #expect(out.contains("#"))
    }

    @Test func histogramMarksCountsOutsideTheSharedRange() {
        let data = HistogramData(values: [-9, -9, 0, 9, 9, 9], binCount: 18)
        let lines = Histogram(data, range: ValueRange(lower: -1, upper: 1)).grid(width: 12, height: 4, glyphs: .unicode).lines
        #expect(lines[2] == "◂2────────3▸")
    }

    @Test func histogramOfHugeValuesLabelsTheRange() {
        let data = HistogramData(values: [-1e30, 0, 1e30], binCount: 3)
        let labels = Histogram(data).grid(width: 16, height: 4, glyphs: .ascii).lines[3]
        #expect(labels.hasPrefix("-1e30") && labels.hasSuffix("1e30"))
    }

    @Test func lineChartOfEmptySeriesDrawsAxesOnly() {
        let out = text(LineChart(series: [LineSeries(name: "loss", points: [])]), 20, 6)
        #expect(out.contains("* loss"))
        #expect(!out.dropFirst(6).contains("*"))
    }

    @Test func lineChartWithNoSeriesDoesNotTrap() {
        _ = text(LineChart(series: []), 20, 6, .unicode)
    }

    @Test func lineChartOfASinglePointDrawsItsMarker() {
        let out = text(LineChart(series: [LineSeries(name: "a", values: [0.5])]), 16, 6)
        #expect(out.filter { $0 == "*" }.count == 2)  // legend and point
    }

    @Test func lineChartOfConstantDataDoesNotDivideByZero() {
        let out = text(LineChart(series: [LineSeries(name: "a", values: [2, 2, 2, 2])]), 16, 6)
        #expect(out.contains("****"))
    }

    @Test func lineChartMarksNaNAsAGapAndCountsIt() {
        let out = text(LineChart(series: [LineSeries(name: "a", values: [1, .nan, 3, .infinity, 5])]), 24, 7)
        #expect(out.contains("a (2 NaN)"))
        #expect(out.contains("!"))
    }

    @Test func logLineChartCountsNonPositiveValues() {
        let out = text(LineChart(series: [LineSeries(name: "loss", values: [1, 0, -1, 0.1])], logY: true), 30, 6)
        #expect(out.contains("loss (2 <=0)"))
    }

    @Test func lineChartOfAllNaNDoesNotTrap() {
        let out = text(LineChart(series: [LineSeries(name: "a", values: [.nan, .nan])], logY: true), 20, 6, .unicode)
        #expect(out.contains("(2 NaN)"))
    }

    @Test func lineChartOf1e30StaysInsideThePlot() {
        let chart = LineChart(series: [LineSeries(name: "a", values: [0, 1e30, -1e30, 1])], yRange: ValueRange(lower: 0, upper: 1))
        _ = text(chart, 20, 8, .unicode)
        _ = text(LineChart(series: [LineSeries(name: "a", values: [1e-30, 1e30])], logY: true), 20, 8)
    }

    @Test func bandWithNaNPercentileLeavesAGap() {
        let band = PercentileBand(points: [
            PercentilePoint(step: 0, p15: 0, p50: 1, p85: 2), PercentilePoint(step: 1, p15: .nan, p50: 1, p85: 2),
            PercentilePoint(step: 2, p15: 0, p50: 1, p85: 2),
        ])
        #expect(text(band, 40, 8).contains("(1 NaN)"))
    }

    @Test func bandOfNoPointsOrOnePointDoesNotTrap() {
        _ = text(PercentileBand(points: []), 20, 8, .unicode)
        _ = text(PercentileBand(points: [PercentilePoint(step: 3, p15: 1, p50: 1, p85: 1)]), 20, 8, .unicode)
    }

    @Test func heatmapOfEmptyOrZeroSlicesDoesNotTrap() {
        _ = text(Heatmap(range: ValueRange(lower: 0, upper: 1), slices: []), 20, 8)
        _ = text(Heatmap(range: ValueRange(lower: 1, upper: 1), slices: [HeatmapSlice(step: 0, bins: [])]), 20, 8)
        _ = text(Heatmap(range: ValueRange(lower: 0, upper: 1), slices: [HeatmapSlice(step: 0, bins: [0, 0])]), 20, 8)
    }

    @Test func heatmapNotesNaNSlices() {
        let map = Heatmap(title: "h", range: ValueRange(lower: 0, upper: 1), slices: [
            HeatmapSlice(step: 0, bins: [1, 2]), HeatmapSlice(step: 1, bins: [.nan, 2]), HeatmapSlice(step: 2, bins: [2, 1]),
        ])
        #expect(text(map, 30, 8).hasPrefix("h  (1 NaN)"))
    }

    @Test func barChartOfNegativeAndHugeValuesDoesNotTrap() {
        _ = text(BarChart(bars: [Bar(label: "a", value: -1e30), Bar(label: "b", value: 1e30), Bar(label: "c", value: .infinity)]), 30, 4)
        _ = text(BarChart(bars: []), 30, 4)
    }

    @Test func resultsTableWithRaggedRowsShowsDashes() {
        let table = ResultsTable(columns: ["a", "b"], rows: [ResultsRow(label: "x", values: [1])])
        #expect(table.grid(width: 10, height: 3, glyphs: .ascii).lines[2] == "x  1  -   ")
    }

    @Test func smallMultiplesWithNoCellsOrTinyBlocksDrawNothingAndDoNotTrap() {
        #expect(text(SmallMultiples(rowLabels: [], columnLabels: [], cells: []), 10, 5).allSatisfy { $0 == " " || $0 == "\n" })
        _ = text(Fixtures.smallMultiples(), 5, 3)
    }

    @Test func everyRendererFitsA1x1And0x0Grid() {
        for f in Fixtures.all {
            for size in [(0, 0), (1, 1), (2, 1), (1, 2), (3, 3)] {
                _ = f.plot.grid(width: size.0, height: size.1, glyphs: .unicode)
                _ = f.plot.grid(width: size.0, height: size.1, glyphs: .ascii)
            }
        }
    }

    @Test func hugeRectangleReachingOffTheGridDoesNotTrap() {
        var grid = Grid(width: 10, height: 5)
        for f in Fixtures.all {
            f.plot.render(into: &grid, in: Rect(x: -1_000_000, y: -1_000_000, width: 2_000_000, height: 2_000_000), glyphs: .unicode)
        }
    }
}

// Issue 13: control characters from outside are shown, never sent.
@Test func visibleTextReplacesEveryControlCharacter() {
    let nasty = "a\u{1B}[2Jb\u{07}c\u{08}d\u{7F}e\u{9B}f\u{202E}g\th\ni\r"
    let unicode = VisibleText.sanitize(nasty)
    #expect(unicode == "a␛[2Jb␇c␈d␡e\\x9bf\\u{202e}g\th\ni␍")
    let ascii = VisibleText.sanitize(nasty, ascii: true)
    #expect(ascii == "a\\e[2Jb\\ac\\bd\\x7fe\\x9bf\\u{202e}g\th\ni\\r")
    #expect(VisibleText.sanitize("line\n", keepNewlines: false) == "line␊")
    #expect(VisibleText.sanitize("plain text ✓ μ") == "plain text ✓ μ")
    for scalar in (0...0x2100).compactMap(Unicode.Scalar.init) {
        let out = VisibleText.sanitize(String(scalar), ascii: true, keepNewlines: false)
        #expect(!out.unicodeScalars.contains { VisibleText.needsEscape($0, keepNewlines: false) })
    }
}
