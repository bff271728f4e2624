// The live dashboard of an experiment cell: small multiples of activation histograms (rows are
// hidden layers and stages, columns are variants) over loss and a second panel that `v` cycles:
// test accuracy, a unit's percentile band, or the histogram over time.

import BNEngine
import BNLessons
import BNPlots

/// Which view the dashboard's lower-right panel shows.
public enum DashboardView: Int, CaseIterable, Sendable {
    case accuracy, percentiles, heatmap

    var next: DashboardView { DashboardView(rawValue: (rawValue + 1) % Self.allCases.count) ?? .accuracy }
}

struct Dashboard: Plot {
    var snapshot: RunSnapshot
    var view: DashboardView

    /// Styles per variant, cycled; colour is decoration only (columns are labelled).
    static let variantStyles = PlotCells.variantStyles

    func render(into grid: inout Grid, in rect: Rect, glyphs: GlyphSet) {
        guard rect.height >= 8, !snapshot.records.isEmpty else { return }
        let curvesHeight = max(6, rect.height * 2 / 5)
        let top = Rect(x: rect.x, y: rect.y, width: rect.width, height: rect.height - curvesHeight)
        let bottom = Rect(x: rect.x, y: top.maxY, width: rect.width, height: curvesHeight)
        histograms(top).render(into: &grid, in: top, glyphs: glyphs)

        let half = (bottom.width - 1) / 2
        let left = Rect(x: bottom.x, y: bottom.y, width: half, height: bottom.height)
        let right = Rect(x: bottom.x + half + 1, y: bottom.y, width: bottom.width - half - 1, height: bottom.height)
        LineChart(title: "batch loss (log)", series: series(.batchLoss, points: left.width * 2), logY: true)
            .render(into: &grid, in: left, glyphs: glyphs)
        switch view {
        case .accuracy:
            LineChart(title: "test accuracy   (v: next view)", series: series(.testAccuracy, points: right.width * 2))
                .render(into: &grid, in: right, glyphs: glyphs)
        case .percentiles:
            percentiles().render(into: &grid, in: right, glyphs: glyphs)
        case .heatmap:
            heatmap().render(into: &grid, in: right, glyphs: glyphs)
        }
    }

    /// Hidden layers recorded (the output layer is left out: its histogram is the logits).
    private var hiddenLayers: [Int] {
        let layers = Set(snapshot.records.flatMap { $0.histograms.keys.map(\.layer) })
        guard let last = layers.max() else { return [] }
        return layers.sorted().filter { $0 < last }
    }

    private func histograms(_ rect: Rect) -> SmallMultiples {
        let layers = hiddenLayers
        // Two stages per layer when each row still gets 4 lines; else the activation's input only.
        let stages: [(Stage, String)] = layers.count * 2 * 4 + 1 <= rect.height
            ? [(.preActivation, "in"), (.activation, "out")] : [(.preActivation, "in")]
        var labels: [String] = []
        var cells: [[HistogramData?]] = []
        for l in layers {
            for (stage, name) in stages {
                labels.append("L\(l) \(name)")
                cells.append(snapshot.records.map { record in
                    record.histograms[HistogramKey(layer: l, stage: stage)]?.last.map(PlotCells.data)
                })
            }
        }
        return SmallMultiples(rowLabels: labels, columnLabels: snapshot.variantNames, cells: cells,
                              rangeSharing: .perRow, columnStyles: Self.variantStyles)
    }

    /// One plot series per variant, averaged down to at most `points` points.
    private func series(_ name: MetricName, points: Int) -> [LineSeries] {
        zip(snapshot.variantNames, snapshot.records).enumerated().compactMap { i, pair in
            guard let s = pair.1.series(name), !s.isEmpty else { return nil }
            return LineSeries(name: pair.0, points: PlotCells.averaged(s, to: points), style: Self.variantStyles[i % Self.variantStyles.count])
        }
    }

    /// Unit 0 of the last hidden layer's activation input, first variant.
    private func percentiles() -> PercentileBand {
        let layer = hiddenLayers.last ?? 1
        let points = PlotCells.points(snapshot.records[0], layer: layer, stage: .preActivation, unit: 0)
        return PercentileBand(title: "L\(layer) in, unit 0, \(snapshot.variantNames.first ?? ""): 15/50/85%", points: points)
    }

    /// The last hidden layer's activation input over time, first variant.
    private func heatmap() -> Heatmap {
        let layer = hiddenLayers.last ?? 1
        let history = snapshot.records[0].histograms[HistogramKey(layer: layer, stage: .preActivation)] ?? []
        let slices = history.map { HeatmapSlice(step: Double($0.step), bins: $0.bins) }
        let range = history.first.map { ValueRange(lower: $0.lower, upper: $0.upper) } ?? ValueRange(lower: -5, upper: 5)
        return Heatmap(title: "L\(layer) in over time, \(snapshot.variantNames.first ?? "")", range: range, slices: slices)
    }
}
