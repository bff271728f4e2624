// Random data (seeded) and random rectangles, including 0×0, 1×1 and ones partly off the grid:
// no renderer traps, and none writes outside its rectangle.

import Foundation
import Testing
@testable import BNPlots
@testable import BNTools

@Suite struct PropertyTests {
    static let sentinel: Character = "§"

    /// A random plot of any kind, fed data that is sometimes NaN, ±Inf, constant, empty or 1e30.
    static func randomPlot(_ rng: inout TestRandom) -> any Plot {
        func values(_ n: Int) -> [Double] { (0..<n).map { _ in rng.nasty() } }
        let n = rng.int(0...40)
        let range = ValueRange(lower: rng.nasty(), upper: rng.nasty())
        switch rng.int(0...8) {
        case 0:
            let data = rng.int(0...1) == 0
                ? HistogramData(values: values(n), binCount: rng.int(0...20), range: rng.int(0...1) == 0 ? nil : range, saturationThreshold: 2)
                : HistogramData(bins: values(n), lower: rng.nasty(), upper: rng.nasty(), below: rng.nasty(), above: rng.nasty(), nonFinite: rng.nasty())
            return Histogram(data, title: "L1", range: rng.int(0...1) == 0 ? nil : range, countScale: rng.int(0...1) == 0 ? nil : rng.nasty())
        case 1:
            let cells: [[HistogramData?]] = (0..<rng.int(0...3)).map { _ in
                (0..<rng.int(0...3)).map { _ in rng.int(0...3) == 0 ? nil : HistogramData(values: values(rng.int(0...30)), binCount: rng.int(1...10)) }
            }
            let sharing: [SmallMultiples.RangeSharing] = [.none, .perRow, .all]
            return SmallMultiples(rowLabels: ["L1", "L2 long label"], columnLabels: ["a", "b", "c"], cells: cells, rangeSharing: sharing[rng.int(0...2)])
        case 2:
            let series = (0..<rng.int(0...3)).map { i in
                LineSeries(name: "s\(i)", points: (0..<rng.int(0...60)).map { _ in DataPoint(x: rng.int(0...9) == 0 ? rng.nasty() : Double(rng.int(0...1000)), y: rng.nasty()) })
            }
            return LineChart(title: "t", series: series, logY: rng.int(0...1) == 0, yRange: rng.int(0...2) == 0 ? range : nil, xRange: rng.int(0...4) == 0 ? range : nil)
        case 3:
            return PercentileBand(title: "b", points: (0..<n).map { i in
                PercentilePoint(step: rng.int(0...9) == 0 ? rng.nasty() : Double(i), p15: rng.nasty(), p50: rng.nasty(), p85: rng.nasty())
            }, yRange: rng.int(0...2) == 0 ? range : nil)
        case 4:
            return Heatmap(title: "h", range: range, slices: (0..<n).map { i in
                HeatmapSlice(step: rng.int(0...9) == 0 ? rng.nasty() : Double(i), bins: values(rng.int(0...12)))
            })
        case 5:
            return ResultsTable(title: "r", labelHeading: "x", columns: ["a", "b"], rows: (0..<n).map { i in
                ResultsRow(label: "row \(i)", values: (0..<rng.int(0...3)).map { _ in rng.int(0...3) == 0 ? nil : rng.nasty() })
            })
        case 6:
            return BarChart(title: "c", bars: (0..<n).map { Bar(label: "bar \($0)", value: rng.nasty()) }, range: rng.int(0...1) == 0 ? nil : range)
        case 7:
            return randomSweep(&rng)
        default:
            return Fixtures.all[rng.int(0...(Fixtures.all.count - 1))].plot
        }
    }

    /// A random sweep: swept values ordinary, tiny, huge, negative, NaN; values with and without spreads.
    static func randomSweep(_ rng: inout TestRandom) -> SweepChart {
        let scale = [1e-4, 1, 1e3, 1e30][rng.int(0...3)]
        let series = (0..<rng.int(0...14)).map { i in
            SweepSeries(name: rng.int(0...3) == 0 ? "same" : "g\(i)", points: (0..<rng.int(0...12)).map { _ in
                let x = rng.int(0...5) == 0 ? rng.nasty() : Double.random(in: 0.001...10, using: &rng) * scale
                let y = rng.nasty()
                let spread = rng.int(0...2) == 0 ? nil : Double.random(in: 0...2, using: &rng)
                return SweepPoint(x: x, y: y, low: spread.map { y - $0 }, high: rng.int(0...9) == 0 ? rng.nasty() : spread.map { y + $0 })
            })
        }
        return SweepChart(title: "final", series: series, logX: [nil, true, false][rng.int(0...2)], logY: rng.int(0...1) == 0,
                          yRange: rng.int(0...3) == 0 ? ValueRange(lower: rng.nasty(), upper: rng.nasty()) : nil,
                          spreadNote: rng.int(0...1) == 0 ? nil : "min-max of 3 seeds")
    }

    @Test func sweepChartsNeverWriteOutsideTheirRectangleAndNameEveryGroupOnce() {
        var rng = TestRandom(seed: 1214)
        for trial in 0..<3000 {
            let chart = Self.randomSweep(&rng)
            var grid = Grid(width: rng.int(0...90), height: rng.int(0...30))
            grid.fill(grid.bounds, with: Cell(Self.sentinel))
            let rect = Rect(x: rng.int(-10...20), y: rng.int(-5...10), width: rng.int(0...90), height: rng.int(0...30))
            let glyphs: GlyphSet = rng.int(0...1) == 0 ? .unicode : .ascii
            chart.render(into: &grid, in: rect, glyphs: glyphs)
            for y in 0..<grid.height {
                for x in 0..<grid.width where !rect.contains(x: x, y: y) {
                    #expect(grid[x, y].character == Self.sentinel, "trial \(trial): sweep wrote (\(x), \(y)) outside \(rect)")
                }
            }
            // Legend labels are unique, and a line never holds a cut entry (each is whole or counted).
            let names = chart.legendEntries(glyphs: glyphs).map { $0.split(separator: " ").dropFirst().first.map(String.init) ?? "" }
            let groupNames = Array(names.prefix(chart.series.count))
            #expect(Set(groupNames).count == groupNames.count, "trial \(trial): \(groupNames)")
            let width = rng.int(1...80)
            let lines = chart.legendLines(glyphs: glyphs, width: width, maxLines: rng.int(1...4))
            #expect(lines.allSatisfy { $0.count <= width })
            let entries = Set(chart.legendEntries(glyphs: glyphs))
            for line in lines {
                for part in line.components(separatedBy: "  ") where !part.isEmpty && !part.hasPrefix("+") {
                    #expect(entries.contains(part), "trial \(trial): cut legend entry '\(part)' in '\(line)'")
                }
            }
        }
    }

    @Test func renderersNeverWriteOutsideTheirRectangle() {
        var rng = TestRandom(seed: 2015)
        for trial in 0..<1500 {
            let plot = Self.randomPlot(&rng)
            var grid = Grid(width: rng.int(0...40), height: rng.int(0...20))
            grid.fill(grid.bounds, with: Cell(Self.sentinel))
            let rect = switch rng.int(0...5) {
            case 0: Rect(x: 0, y: 0, width: 0, height: 0)
            case 1: Rect(x: rng.int(-2...10), y: rng.int(-2...10), width: 1, height: 1)
            default: Rect(x: rng.int(-15...35), y: rng.int(-8...18), width: rng.int(0...45), height: rng.int(0...22))
            }
            let glyphs: GlyphSet = rng.int(0...1) == 0 ? .unicode : .ascii
            plot.render(into: &grid, in: rect, glyphs: glyphs)
            for y in 0..<grid.height {
                for x in 0..<grid.width where !rect.contains(x: x, y: y) {
                    #expect(grid[x, y].character == Self.sentinel, "trial \(trial): \(type(of: plot)) wrote (\(x), \(y)) outside \(rect)")
                }
            }
        }
    }

    @Test func asciiOutputIsPrintableSevenBitOnly() {
        var rng = TestRandom(seed: 7)
        for _ in 0..<400 {
            let plot = Self.randomPlot(&rng)
            let grid = plot.grid(width: rng.int(1...50), height: rng.int(1...16), glyphs: .ascii)
            for line in grid.lines {
                #expect(line.unicodeScalars.allSatisfy { (0x20...0x7E).contains($0.value) }, "\(type(of: plot)): \(line)")
            }
        }
    }

    @Test func everyGlyphIsASingleScalarOfOneColumn() {
        for glyphs in [GlyphSet.unicode, .ascii] {
            let all = glyphs.verticalBlocks + glyphs.horizontalBlocks + glyphs.shades + glyphs.seriesMarkers + [
                glyphs.horizontalLine, glyphs.verticalLine, glyphs.corner, glyphs.xTick, glyphs.yTick,
                glyphs.clippedLeft, glyphs.clippedRight, glyphs.gap, glyphs.bandFill, glyphs.rule,
            ]
            #expect(all.allSatisfy { $0.unicodeScalars.count == 1 })
            #expect(glyphs.verticalBlocks.count == 9 && glyphs.horizontalBlocks.count == 9)
        }
        #expect(Braille.characters.count == 256 && Braille.characters[0xFF] == "⣿")
    }
}
