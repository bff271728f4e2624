// Views of the engine's histogram snapshots: one layer at one step (Histogram panels), every hidden
// layer at one step (SmallMultiples, the view every lesson shows), one layer over time (Heatmap).
//
// Panels of one plot share their x-range and count scale, so bar heights compare across variants.
// A variant whose snapshot is missing leaves its panel empty with a note; one that stopped before
// the chosen step shows its last snapshot, labelled with that step.

import BNEngine
import BNPlots

extension PlotCells {
    /// The step to show: the plot's, else the last step any variant recorded for `keys`.
    static func chosenStep(_ plot: PlotSpec, _ variants: [VariantResult], keys: [HistogramKey]) -> Int? {
        if let step = plot.step { return step }
        return variants.flatMap { v in keys.compactMap { v.record.histograms[$0]?.last?.step } }.max()
    }

    static func histogram(_ plot: PlotSpec, _ variants: [VariantResult], width: Int, glyphs: GlyphSet) -> Grid {
        let key = HistogramKey(layer: plot.layer ?? 1, stage: plot.stage ?? .preActivation)
        let step = chosenStep(plot, variants, keys: [key])
        let title = plot.title ?? "layer \(key.layer) \(key.stage.rawValue)" + (step.map { ", step \($0)" } ?? "")
        guard !variants.isEmpty else { return note(title, "no variant ran", width: width) }
        let snapshots = variants.map { snapshot($0.record.histograms[key], at: step) }
        guard snapshots.contains(where: { $0 != nil }) else {
            let recorded = variants.contains { !($0.record.histograms[key] ?? []).isEmpty }
            return note(title, recorded ? "no histogram of \(key) at or before step \(step ?? 0)" : "no histogram of \(key) was recorded", width: width)
        }

        let layout = panels(count: variants.count, width: width, minWidth: 16, height: max(4, plot.height - 1), top: 1)
        var grid = Grid(width: width, height: 1 + layout.height)
        grid.put(title, x: 0, y: 0, style: Style(bold: true))
        let cells = snapshots.map { $0.map(data) }
        let range = cells.compactMap { $0?.range }.reduce(nil as ValueRange?) { shared, r in shared?.union(r) ?? r }
        let scale = countScale(cells, range: range, width: layout.rects.first?.width ?? 1)
        for (index, (v, rect)) in zip(variants, layout.rects).enumerated() {
            var name = v.name
            if let shown = snapshots[index]?.step, let step, shown != step { name += " @\(shown)" }
            guard let cell = cells[index] else {
                grid.put(v.name + ": no data", x: rect.x, y: rect.y, style: Style(bold: true), clip: rect)
                continue
            }
            Histogram(cell, title: name, range: range, countScale: scale, style: style(index))
                .render(into: &grid, in: rect, glyphs: glyphs)
        }
        return grid
    }

    /// The tallest bin of any of `cells` re-binned to `width` columns over `range`: one scale for all panels.
    static func countScale(_ cells: [HistogramData?], range: ValueRange?, width: Int) -> Double? {
        var tallest = 0.0
        for case let cell? in cells {
            for b in cell.rebinned(to: range ?? cell.range, binCount: max(1, width)).bins where b.isFinite { tallest = max(tallest, b) }
        }
        return tallest > 0 ? tallest : nil
    }

    /// Rows are hidden layers × stages, columns are variants; each row shares its x-range and count scale.
    static func layers(_ plot: PlotSpec, _ variants: [VariantResult], width: Int, glyphs: GlyphSet) -> Grid {
        let stages = !plot.stages.isEmpty ? plot.stages : [plot.stage ?? .preActivation]
        let layerList = plot.layers ?? hiddenLayers(variants)
        let keys = layerList.flatMap { l in stages.map { HistogramKey(layer: l, stage: $0) } }
        let step = chosenStep(plot, variants, keys: keys)
        let legend = stages.map { stage in
            // The normalized stage lists the names its rows use: `ln = normalized`, `bn/ln = normalized`.
            var names = [String]()
            for l in layerList where stage == .normalized {
                let name = normalizedName(layer: l, variants)
                if !names.contains(name) { names.append(name) }
            }
            return "\(names.isEmpty ? shortName(stage) : names.joined(separator: "/")) = \(stage.rawValue)"
        }.joined(separator: ", ")
        let title = plot.title ?? "Per-layer histograms" + (step.map { " at step \($0)" } ?? "") + " (\(legend))"
        guard !variants.isEmpty else { return note(title, "no variant ran", width: width) }
        guard !keys.isEmpty else { return note(title, "no layer histograms were recorded", width: width) }

        // Column labels name the step a variant's snapshots come from when it differs (a diverged run).
        let columnLabels = variants.map { v -> String in
            let shown = keys.compactMap { snapshot(v.record.histograms[$0], at: step)?.step }.max()
            var text = v.name
            if v.failure != nil { text += " (diverged)" }
            if let shown, let step, shown != step { text += " @\(shown)" }
            if shown == nil { text += ": no data" }
            return text
        }
        let cells = keys.map { key in variants.map { snapshot($0.record.histograms[key], at: step).map(data) } }
        let chart = SmallMultiples(rowLabels: keys.map { layerLabel($0.layer, $0.stage, variants) }, columnLabels: columnLabels,
                                   cells: cells, rangeSharing: .perRow, columnStyles: variants.indices.map(style))
        var grid = Grid(width: width, height: max(plot.height, 3))
        grid.put(title, x: 0, y: 0, style: Style(bold: true))
        chart.render(into: &grid, in: Rect(x: 0, y: 1, width: width, height: grid.height - 1), glyphs: glyphs)
        return grid
    }

    /// The hidden layers with histograms in any variant: every recorded layer but the last (the logits).
    static func hiddenLayers(_ variants: [VariantResult]) -> [Int] {
        let recorded = Set(variants.flatMap { $0.record.histograms.keys.map(\.layer) })
        guard let last = recorded.max() else { return [] }
        return recorded.count == 1 ? [last] : recorded.sorted().filter { $0 < last }
    }

    static func heatmap(_ plot: PlotSpec, _ variants: [VariantResult], width: Int, glyphs: GlyphSet) -> Grid {
        let key = HistogramKey(layer: plot.layer ?? 1, stage: plot.stage ?? .preActivation)
        let title = plot.title ?? "layer \(key.layer) \(key.stage.rawValue) over steps (darker = more values)"
        guard !variants.isEmpty else { return note(title, "no variant ran", width: width) }
        let histories = variants.map { $0.record.histograms[key] ?? [] }
        guard histories.contains(where: { !$0.isEmpty }) else { return note(title, "no histogram of \(key) was recorded", width: width) }

        let layout = panels(count: variants.count, width: width, minWidth: 30, height: plot.height, top: 1)
        var grid = Grid(width: width, height: 1 + layout.height)
        grid.put(title, x: 0, y: 0, style: Style(bold: true))
        for (index, (v, rect)) in zip(variants, layout.rects).enumerated() {
            let history = histories[index]
            guard let first = history.first else {
                grid.put(v.name + ": no data", x: rect.x, y: rect.y, style: Style(bold: true), clip: rect)
                continue
            }
            // NOTE: every snapshot of a layer and stage has the probe's range, so the first one's holds for all.
            let slices = history.map { HeatmapSlice(step: Double($0.step), bins: $0.bins) }
            Heatmap(title: label(v), range: ValueRange(lower: first.lower, upper: first.upper), slices: slices, style: style(index))
                .render(into: &grid, in: rect, glyphs: glyphs)
        }
        return grid
    }
}
