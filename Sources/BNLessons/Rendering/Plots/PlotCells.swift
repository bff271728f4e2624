// A plot cell drawn into a Grid from an experiment's records with the BNPlots renderers: what the
// live screen shows and what --headless prints, so one test of a grid covers both.
//
// Each view lives in its own file (PlotCells+Curves, +Histograms, +Percentiles, +Tables); this one
// dispatches and holds what they share: picking variants, panel layout, notes for missing data.
// Leaves out interaction (zoom, cursor): the app draws these grids as they are.

import BNEngine
import BNPlots

public enum PlotCells {
    /// Draws `plot` from `result` into a new grid `width` columns wide, as tall as the view needs.
    public static func grid(for plot: PlotSpec, result: ExperimentResult, width: Int, ascii: Bool) -> Grid {
        let glyphs: GlyphSet = ascii ? .ascii : .unicode
        let width = max(0, width)
        var plot = plot
        if ascii { plot.title = plot.title.map(ASCIIFallback.convert) }  // a lesson's own words, spelled for the screen
        let groups = selectedGroups(plot, result)
        // Views of one run per variant show a multi-seed variant's first seed (labelled with it).
        let variants = groups.map { $0[0] }
        switch plot.view {
        case .curves: return curves(plot, groups, width: width, glyphs: glyphs)
        case .histogram: return histogram(plot, variants, width: width, glyphs: glyphs)
        case .layers: return layers(plot, variants, width: width, glyphs: glyphs)
        case .percentiles: return percentiles(plot, variants, width: width, glyphs: glyphs)
        case .heatmap: return heatmap(plot, variants, width: width, glyphs: glyphs)
        case .table: return table(plot, groups, kind: result.kind, width: width, glyphs: glyphs)
        case .bars: return bars(plot, groups, width: width, glyphs: glyphs)
        case .sweep: return sweep(plot, result, width: width, glyphs: glyphs)
        }
    }

    /// Styles per variant, cycled (the dashboard's palette); colour is decoration only, names carry meaning.
    public static let variantStyles = [Style(foreground: .cyan), Style(foreground: .magenta), Style(foreground: .yellow),
                                Style(foreground: .green)]

    static func style(_ index: Int) -> Style { variantStyles[index % variantStyles.count] }

    /// The variants a plot shows, each with its runs (one per seed of a multi-seed variant): those it
    /// names, in its order, else all in the experiment's order.
    static func selectedGroups(_ plot: PlotSpec, _ result: ExperimentResult) -> [[VariantResult]] {
        (plot.variants ?? result.variantNames).map { result.runs(named: $0) }.filter { !$0.isEmpty }
    }

    /// A variant's name with a note when it stopped early: `too_fast (diverged at 40)`; a run of a
    /// multi-seed variant says its seed: `g4 (seed 1)`.
    static func label(_ v: VariantResult) -> String {
        let name = v.name + (v.seed.map { " (seed \($0))" } ?? "")
        guard let failure = v.failure else { return name }
        return "\(name) (diverged at \(failure.step))"
    }

    /// A variant's label in views that reduce over its seeds: `g4 (3 seeds)`, and which seeds diverged.
    static func groupLabel(_ runs: [VariantResult]) -> String {
        guard runs.count > 1 else { return runs.first.map(label) ?? "" }
        var name = "\(runs[0].name) (\(runs.count) seeds)"
        let diverged = runs.compactMap { r in r.failure.map { "seed \(r.seed.map(String.init) ?? "?") diverged at \($0.step)" } }
        if !diverged.isEmpty { name += " (" + diverged.joined(separator: ", ") + ")" }
        return name
    }

    /// Mean, min and max of the runs' values (NaN if any is NaN).
    static func meanAndSpread(_ values: [Double]) -> (mean: Double, spread: ValueRange?) {
        guard !values.isEmpty else { return (.nan, nil) }
        if values.contains(where: \.isNaN) { return (.nan, values.count > 1 ? ValueRange(lower: .nan, upper: .nan) : nil) }
        let mean = values.reduce(0, +) / Double(values.count)
        return (mean, values.count > 1 ? ValueRange(lower: values.min() ?? .nan, upper: values.max() ?? .nan) : nil)
    }

    /// Short stage names for row labels and titles, the same as the live dashboard's.
    static func shortName(_ stage: Stage) -> String {
        switch stage {
        case .linear: return "z"
        case .normalized: return "bn"
        case .preActivation: return "in"
        case .activation: return "out"
        }
    }

    /// `L2 in` for layer 2's activation input.
    static func layerLabel(_ layer: Int, _ stage: Stage) -> String { "L\(layer) \(shortName(stage))" }

    /// `L2 ln` for layer 2's LayerNorm output: the normalized stage named after the layer's kind in `variants`.
    static func layerLabel(_ layer: Int, _ stage: Stage, _ variants: [VariantResult]) -> String {
        stage == .normalized ? "L\(layer) \(normalizedName(layer: layer, variants))" : layerLabel(layer, stage)
    }

    /// The normalized stage's short name on `layer` (1-based): `bn`, `ln`, `gn` or `brn` after the kind
    /// the variants have there, `norm` when they differ, `bn` when no variant says (a hand-made result).
    static func normalizedName(layer: Int, _ variants: [VariantResult]) -> String {
        let names = Set(variants.compactMap { v -> String? in
            guard layer >= 1, layer <= v.normalizations.count else { return nil }
            return v.normalizations[layer - 1].map(shortName)
        })
        guard let only = names.first else { return shortName(.normalized) }
        return names.count == 1 ? only : "norm"
    }

    /// Short names of the normalization kinds, for labels.
    static func shortName(_ kind: NormalizationKind) -> String {
        switch kind {
        case .batch: return "bn"
        case .layer: return "ln"
        case .group: return "gn"
        case .batchRenorm: return "brn"
        }
    }

    /// A grid holding a title and a one-line note, for a plot with nothing to draw.
    static func note(_ title: String, _ message: String, width: Int) -> Grid {
        var grid = Grid(width: width, height: 2)
        grid.put(title, x: 0, y: 0, style: Style(bold: true))
        grid.put("(" + message + ")", x: 0, y: 1, style: Style(dim: true))
        return grid
    }

    /// Rectangles for `count` panels below `top`: side by side when each gets at least `minWidth`
    /// columns, else stacked, each `height` rows. Returns the rectangles and the rows they take.
    static func panels(count: Int, width: Int, minWidth: Int, height: Int, top: Int) -> (rects: [Rect], height: Int) {
        guard count > 0 else { return ([], 0) }
        let sideWidth = (width + 1) / count - 1
        if count == 1 || sideWidth >= minWidth {
            let w = count == 1 ? width : sideWidth
            return ((0..<count).map { Rect(x: $0 * (w + 1), y: top, width: w, height: height) }, height)
        }
        // Stacked: a blank row between panels.
        let rects = (0..<count).map { Rect(x: 0, y: top + $0 * (height + 1), width: width, height: height) }
        return (rects, count * (height + 1) - 1)
    }

    /// The histogram data BNPlots draws from one engine snapshot (plot cells and the app's
    /// dashboard): a non-finite mean or standard deviation becomes nil, so it is not drawn.
    public static func data(_ h: HistogramSnapshot) -> HistogramData {
        HistogramData(bins: h.bins, lower: h.lower, upper: h.upper, below: Double(h.below), above: Double(h.above),
                      nonFinite: Double(h.nonFinite), mean: h.mean.isFinite ? h.mean : nil, std: h.std.isFinite ? h.std : nil,
                      saturatedFraction: h.saturation > 0 ? h.saturation : nil)
    }

    /// The snapshot at `step` (or the latest before it); nil `step` means the last recorded.
    static func snapshot(_ list: [HistogramSnapshot]?, at step: Int?) -> HistogramSnapshot? {
        guard let list else { return nil }
        guard let step else { return list.last }
        return list.last { $0.step <= step }
    }
}
