// The live dashboard of an experiment cell: small multiples of activation histograms (rows are
// hidden layers and stages, columns are variants) over loss and a second panel that `v` cycles:
// test accuracy, a unit's percentile band, or the histogram over time.

import BNEngine
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
    static let variantStyles = [Style(foreground: .cyan), Style(foreground: .magenta), Style(foreground: .yellow),
                                Style(foreground: .green)]

    func render(into grid: inout Grid, in rect: Rect, glyphs: GlyphSet) {
        guard rect.height >= 8, !snapshot.records.isEmpty else { return }
        let curvesHeight = max(6, rect.height * 2 / 5)
        let top = Rect(x: rect.x, y: rect.y, width: rect.width, height: rect.height - curvesHeight)
        let bottom = Rect(x: rect.x, y: top.maxY, width: rect.width, height: curvesHeight)
        histograms(top).render(into: &grid, in: top, glyphs: glyphs)

        let half = (bottom.width - 1) / 2
        let left = Rect(x: bottom.x, y: bottom.y, width: half, height: bottom.height)
        let right = Rect(x: bottom.x + half + 1, y: bottom.y, width: bottom.width - half - 1, height: bottom.height)
        LineChart(title: "batch loss (log)", series: series("batch_loss", points: left.width * 2), logY: true)
            .render(into: &grid, in: left, glyphs: glyphs)
        switch view {
        case .accuracy:
            LineChart(title: "test accuracy   (v: next view)", series: series("test_accuracy", points: right.width * 2))
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
                    record.histograms[HistogramKey(layer: l, stage: stage)]?.last.map(Self.data)
                })
            }
        }
        return SmallMultiples(rowLabels: labels, columnLabels: snapshot.variantNames, cells: cells,
                              rangeSharing: .perRow, columnStyles: Self.variantStyles)
    }

    static func data(_ h: HistogramSnapshot) -> HistogramData {
        HistogramData(bins: h.bins, lower: h.lower, upper: h.upper, below: Double(h.below), above: Double(h.above),
                      nonFinite: Double(h.nonFinite), mean: h.mean, std: h.std,
                      saturatedFraction: h.saturation > 0 ? h.saturation : nil)
    }

    /// One plot series per variant, averaged down to at most `points` points.
    private func series(_ name: String, points: Int) -> [BNPlots.Series] {
        zip(snapshot.variantNames, snapshot.records).enumerated().compactMap { i, pair in
            guard let s = pair.1.series(name), !s.isEmpty else { return nil }
            let bucket = max(1, (s.values.count + points - 1) / max(1, points))
            var out: [DataPoint] = []
            out.reserveCapacity(s.values.count / bucket + 1)
            var start = 0
            while start < s.values.count {
                let end = min(start + bucket, s.values.count)
                var sum = 0.0
                for j in start..<end { sum += s.values[j] }
                out.append(DataPoint(x: Double(s.steps[end - 1]), y: sum / Double(end - start)))
                start = end
            }
            return BNPlots.Series(name: pair.0, points: out, style: Self.variantStyles[i % Self.variantStyles.count])
        }
    }

    /// Unit 0 of the last hidden layer's activation input, first variant.
    private func percentiles() -> PercentileBand {
        let layer = hiddenLayers.last ?? 1
        let record = snapshot.records[0]
        let key = { (n: String) in record.series(n, layer: layer, stage: .preActivation, unit: 0) }
        var points: [PercentilePoint] = []
        if let p15 = key("p15"), let p50 = key("p50"), let p85 = key("p85") {
            for i in 0..<min(p15.values.count, p50.values.count, p85.values.count) {
                points.append(PercentilePoint(step: Double(p15.steps[i]), p15: p15.values[i], p50: p50.values[i], p85: p85.values[i]))
            }
        }
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
