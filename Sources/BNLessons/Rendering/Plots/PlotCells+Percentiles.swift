// A unit's 15th/50th/85th percentiles over steps (PercentileBand, Ioffe & Szegedy's Fig. 1(b, c)),
// one band per variant on one shared y-range: side by side when there is room, else stacked.

import BNEngine
import BNPlots

extension PlotCells {
    static func percentiles(_ plot: PlotSpec, _ variants: [VariantResult], width: Int, glyphs: GlyphSet) -> Grid {
        let layer = plot.layer ?? 1, stage = plot.stage ?? .preActivation, unit = plot.unit ?? 0
        let title = plot.title ?? "layer \(layer) \(stage.rawValue), unit \(unit): 15th, 50th, 85th percentiles by step"
        guard !variants.isEmpty else { return note(title, "no variant ran", width: width) }
        let bands = variants.map { points($0.record, layer: layer, stage: stage, unit: unit) }
        guard bands.contains(where: { !$0.isEmpty }) else {
            return note(title, "no percentiles of layer \(layer) \(stage.rawValue) unit \(unit) were recorded", width: width)
        }
        let range = ValueRange.enclosing(bands.joined().flatMap { [$0.p15, $0.p50, $0.p85] })

        let layout = panels(count: variants.count, width: width, minWidth: 36, height: plot.height, top: 1)
        var grid = Grid(width: width, height: 1 + layout.height)
        grid.put(title, x: 0, y: 0, style: Style(bold: true))
        for (index, (v, rect)) in zip(variants, layout.rects).enumerated() {
            let name = label(v) + (bands[index].isEmpty ? " (no data)" : "")
            PercentileBand(title: name, points: bands[index], yRange: range, style: style(index))
                .render(into: &grid, in: rect, glyphs: glyphs)
        }
        return grid
    }

    /// The percentile points at the steps where all three were recorded (plot cells and the app's dashboard).
    public static func points(_ record: RunRecord, layer: Int, stage: Stage, unit: Int) -> [PercentilePoint] {
        guard let p15 = record.series(.p15, layer: layer, stage: stage, unit: unit),
              let p50 = record.series(.p50, layer: layer, stage: stage, unit: unit),
              let p85 = record.series(.p85, layer: layer, stage: stage, unit: unit) else { return [] }
        let n = min(p15.values.count, p50.values.count, p85.values.count, p15.steps.count)
        return (0..<n).map { PercentilePoint(step: Double(p15.steps[$0]), p15: p15.values[$0], p50: p50.values[$0], p85: p85.values[$0]) }
    }
}
