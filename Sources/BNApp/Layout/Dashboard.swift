// The live dashboard of an experiment cell: small multiples of activation histograms (rows are
// hidden layers and stages, columns are variants) over loss and a second panel that `v` cycles:
// test accuracy, a unit's percentile band, or the histogram over time.
//
// Many variants: every variant has a unique short label (a, b, …, z, A, …, Z, then two letters).
// The dashboard shows one page of variants, as many histogram columns as fit (never more than
// there are line markers, so markers never repeat on screen); Tab pages through them. A key line
// maps the page's labels to full names; a name is shown whole or not at all, and so is every
// number (statistics, out-of-range counts).

import BNEngine
import BNLessons
import BNPlots

/// Which view the dashboard's lower-right panel shows.
public enum DashboardView: Int, CaseIterable, Sendable {
    case accuracy, percentiles, heatmap
    /// A sweep's final metrics against the swept setting (only for experiments that sweep one).
    case sweep

    var next: DashboardView { DashboardView(rawValue: (rawValue + 1) % Self.allCases.count) ?? .accuracy }

    /// The next view for an experiment that does (or does not) sweep a setting.
    func next(sweeps: Bool) -> DashboardView { next == .sweep && !sweeps ? .accuracy : next }
}

/// Unique short labels for variants, by position.
enum VariantLabels {
    static let letters = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")

    /// `a`…`z`, `A`…`Z`, then `aa`, `ab`, …: unique for any count.
    static func label(_ index: Int) -> String {
        let n = letters.count
        if index < n { return String(letters[max(0, index)]) }
        let i = index - n
        return String(letters[(i / n) % n]) + String(letters[i % n])
    }
}

/// Which variants a dashboard shows at a width: pages of at most `perPage` columns.
struct VariantPaging: Equatable {
    var count: Int
    var perPage: Int

    /// The narrowest histogram block worth drawing: the statistics `μ -0.12 σ 1.2` fit.
    static let minimumBlockWidth = 15

    /// The paging for `count` variants in a dashboard `width` wide.
    init(count: Int, width: Int) {
        self.count = count
        let gutter = 7  // "L3 out "
        let fit = max(1, (width - gutter + 1) / (Self.minimumBlockWidth + 1))
        perPage = max(1, min(count, fit, GlyphSet.unicode.seriesMarkers.count, GlyphSet.ascii.seriesMarkers.count))
    }

    var pages: Int { count == 0 ? 1 : (count + perPage - 1) / perPage }

    /// The variant indices on `page` (taken modulo the page count).
    func variants(page: Int) -> Range<Int> {
        let p = ((page % pages) + pages) % pages
        return (p * perPage)..<min(count, (p + 1) * perPage)
    }
}

/// Which hidden layers the histogram rows show: all of them (with both stages when each histogram
/// still gets a caption and three bar rows, else the activation input only), or, when even one row
/// per layer would leave fewer than three bar rows, pages of layers that `h` cycles.
struct LayerPaging: Equatable {
    var count: Int
    var perPage: Int
    var bothStages: Bool

    /// Rows a histogram needs: three bar rows, its axis and its tick labels (a caption on top is extra).
    static let minimumBlockHeight = 5

    /// The paging for `count` hidden layers in `rows` rows of histograms (below the column headers).
    init(count: Int, rows: Int) {
        self.count = count
        let fit = max(1, rows / Self.minimumBlockHeight)
        bothStages = count > 0 && count * 2 * (Self.minimumBlockHeight + 1) <= rows
        perPage = max(1, min(count, fit))
        if perPage < count {
            // Even pages: 3 layers at 2 per page are 2 + 1, 5 at 4 per page are 3 + 2.
            perPage = (count + pages - 1) / pages
        }
    }

    var pages: Int { count == 0 ? 1 : (count + perPage - 1) / perPage }

    /// The layer positions (indices into the hidden layers) on `page`, taken modulo the page count.
    func layers(page: Int) -> Range<Int> {
        let p = ((page % pages) + pages) % pages
        return (p * perPage)..<min(count, (p + 1) * perPage)
    }
}

struct Dashboard: Plot {
    var snapshot: RunSnapshot
    var view: DashboardView
    /// Which page of variants to show (see `VariantPaging`).
    var page = 0
    /// Which page of hidden layers to show (see `LayerPaging`).
    var layerPage = 0
    /// Which variants differ only by seed (one column) and what they sweep; nil: every variant a column.
    var dimensions: VariantDimensions?

    /// The dimensions in use: the given ones when they fit the snapshot's variants, else one column each.
    var dims: VariantDimensions {
        let n = snapshot.records.count
        if let d = dimensions, d.groups.count == n, d.columns.allSatisfy({ $0.allSatisfy { $0 < n } && !$0.isEmpty }) { return d }
        return .plain((0..<n).map { $0 < snapshot.variantNames.count ? snapshot.variantNames[$0] : "" })
    }

    /// Columns: one per variant, or per set of variants that differ only by seed.
    var columnCount: Int { dims.columns.count }

    /// Rows of the loss and accuracy panels under the histograms.
    static func curvesHeight(_ height: Int) -> Int { max(6, height * 2 / 5) }

    /// The layer paging of a dashboard `height` rows tall with `keyRows` key lines above the histograms.
    func layerPaging(height: Int, keyRows: Int) -> LayerPaging {
        LayerPaging(count: hiddenLayers.count, rows: height - Self.curvesHeight(height) - keyRows - 1)
    }

    /// The key lines and layer paging for a rectangle: a layer note needs a key line, which the
    /// paging then has to leave room for.
    func layout(_ rect: Rect) -> (key: [[(String, Style)]], layers: LayerPaging, variants: VariantPaging) {
        let paging = VariantPaging(count: columnCount, width: rect.width)
        let shown = Array(paging.variants(page: page))
        var layers = layerPaging(height: rect.height, keyRows: 0)
        var key = keyLines(shown, paging: paging, layers: layers, width: rect.width)
        // The key's rows and the paging depend on each other; they settle within a pass or two.
        for _ in 0..<3 {
            let settled = layerPaging(height: rect.height, keyRows: key.count)
            if settled == layers { break }
            layers = settled
            key = keyLines(shown, paging: paging, layers: layers, width: rect.width)
        }
        return (key, layers, paging)
    }

    /// Styles per variant, cycled; colour is decoration only (columns are labelled).
    static let variantStyles = PlotCells.variantStyles

    func render(into grid: inout Grid, in rect: Rect, glyphs: GlyphSet) {
        guard rect.height >= 8, !snapshot.records.isEmpty else { return }
        if view == .sweep, dims.isSweep {
            renderSweep(into: &grid, in: rect, glyphs: glyphs)
            return
        }
        let (key, layers, paging) = layout(rect)
        let shown = Array(paging.variants(page: page))
        let curvesHeight = Self.curvesHeight(rect.height)
        // The key: which label is which variant, and the pages.
        for (i, line) in key.enumerated() {
            var x = rect.x
            for (text, style) in line { x = grid.put(text, x: x, y: rect.y + i, style: style, clip: rect) }
        }
        let top = Rect(x: rect.x, y: rect.y + key.count, width: rect.width, height: rect.height - curvesHeight - key.count)
        let bottom = Rect(x: rect.x, y: top.maxY, width: rect.width, height: curvesHeight)
        renderHistograms(shown, layers: layers, into: &grid, in: top, glyphs: glyphs)

        let half = (bottom.width - 1) / 2
        let left = Rect(x: bottom.x, y: bottom.y, width: half, height: bottom.height)
        let right = Rect(x: bottom.x + half + 1, y: bottom.y, width: bottom.width - half - 1, height: bottom.height)
        LineChart(title: "batch loss (log)", series: series(.batchLoss, shown, points: left.width * 2), logY: true)
            .render(into: &grid, in: left, glyphs: glyphs)
        let focus = shown.first.flatMap { dims.columns[$0].first } ?? 0
        switch view {
        case .accuracy, .sweep:
            LineChart(title: "test accuracy   (v: next view)", series: series(.testAccuracy, shown, points: right.width * 2))
                .render(into: &grid, in: right, glyphs: glyphs)
        case .percentiles:
            percentiles(focus).render(into: &grid, in: right, glyphs: glyphs)
        case .heatmap:
            heatmap(focus).render(into: &grid, in: right, glyphs: glyphs)
        }
    }

    /// The key line(s): the page (when there is more than one) and `label name` per shown variant,
    /// wrapped at entries to at most two lines; entries that do not fit are dropped whole and counted.
    func keyLines(_ shown: [Int], paging: VariantPaging, layers: LayerPaging, width: Int) -> [[(String, Style)]] {
        var entries: [[(String, Style)]] = []
        var pages: [String] = []
        if paging.pages > 1, let first = shown.first, let last = shown.last {
            pages.append("variants \(first + 1)-\(last + 1) of \(paging.count) (Tab: next)")
        }
        if layers.pages > 1 {
            let onPage = layers.layers(page: layerPage).map { hiddenLayers[$0] }
            let names = onPage.count == 1 ? "layer L\(onPage[0])" : "layers L\(onPage.first ?? 0)-L\(onPage.last ?? 0)"
            pages.append("\(names) of \(layers.count) (h: next)")
        }
        if !pages.isEmpty { entries.append([(pages.joined(separator: "  "), Style(dim: true))]) }
        // Column headers that all show the full name are the key already.
        let estimatedBlock = (width - 7 + 1) / max(1, shown.count) - 1
        if shown.allSatisfy({ VariantLabels.label($0).count + 1 + name($0).count <= estimatedBlock }) {
            return entries.isEmpty ? [] : [entries[0]]
        }
        for i in shown {
            entries.append([(VariantLabels.label(i), Self.variantStyles[i % Self.variantStyles.count].with(bold: true)),
                            (" " + name(i), .plain)])
        }
        var lines: [[(String, Style)]] = [[]]
        var used = 0
        var dropped = 0
        for entry in entries {
            let length = entry.reduce(0) { $0 + $1.0.count }
            let gap = lines[lines.count - 1].isEmpty ? 0 : 2
            if used + gap + length <= width {
                if gap > 0 { lines[lines.count - 1].append(("  ", .plain)) }
                lines[lines.count - 1] += entry
                used += gap + length
            } else if lines.count < 2 && length <= width {
                lines.append(entry)
                used = length
            } else {
                dropped += 1
            }
        }
        if dropped > 0 {
            // Never reached with the page sizes `VariantPaging` picks and names of up to ~30 characters.
            let note = "  (+\(dropped) more)"
            if used + note.count <= width { lines[lines.count - 1].append((note, Style(dim: true))) }
        }
        return lines
    }

    /// Hidden layers recorded (the output layer is left out: its histogram is the logits).
    var hiddenLayers: [Int] {
        let layers = Set(snapshot.records.flatMap { $0.histograms.keys.map(\.layer) })
        guard let last = layers.max() else { return [] }
        return layers.sorted().filter { $0 < last }
    }

    /// Rows are layers (and stages, when each row still gets 4 lines), columns the shown variants.
    /// Histograms in a row share their x-range and count scale, so variants compare.
    private func renderHistograms(_ shown: [Int], layers paging: LayerPaging, into grid: inout Grid, in rect: Rect, glyphs: GlyphSet) {
        let all = hiddenLayers
        let layers = paging.layers(page: layerPage).compactMap { all.indices.contains($0) ? all[$0] : nil }
        guard !shown.isEmpty, rect.height >= 3, !layers.isEmpty else { return }
        let stages: [(Stage, String)] = paging.bothStages
            ? [(.preActivation, "in"), (.activation, "out")] : [(.preActivation, "in")]
        var rows: [(label: String, cells: [HistogramData?])] = []
        for l in layers {
            for (stage, name) in stages {
                rows.append(("L\(l) \(name)", shown.map { histogram(column: $0, HistogramKey(layer: l, stage: stage)) }))
            }
        }
        let gutter = (rows.map(\.label.count).max() ?? 0) + 1
        let blockWidth = (rect.width - gutter + 1) / shown.count - 1
        let blockHeight = (rect.height - 1) / rows.count
        guard blockWidth > 0, blockHeight > 0 else { return }
        let bold = Style(bold: true)
        for (c, v) in shown.enumerated() {
            let x = rect.x + gutter + c * (blockWidth + 1)
            let label = VariantLabels.label(v)
            let full = label + " " + name(v)
            let header = full.count <= blockWidth ? full : label
            grid.put(header, x: x, y: rect.y, style: Self.variantStyles[v % Self.variantStyles.count].with(bold: true),
                     clip: Rect(x: x, y: rect.y, width: blockWidth, height: 1))
        }
        for (r, row) in rows.enumerated() {
            let y = rect.y + 1 + r * blockHeight
            grid.put(row.label, x: rect.x, y: y, style: bold, clip: Rect(x: rect.x, y: y, width: gutter - 1, height: 1))
            var range: ValueRange?
            for d in row.cells.compactMap({ $0 }) { range = range.map { $0.union(d.range) } ?? d.range }
            // A caption only where three bar rows stay: bars, axis and tick labels come first.
            let captionRows = blockHeight >= LayerPaging.minimumBlockHeight + 1 ? 1 : 0
            let barWidth = blockWidth
            var tallest = 0.0
            for d in row.cells.compactMap({ $0 }) {
                let rebinned = d.rebinned(to: range ?? d.range, binCount: barWidth)
                for b in rebinned.bins where b.isFinite { tallest = max(tallest, b) }
            }
            for (c, cell) in row.cells.enumerated() {
                guard let data = cell else { continue }
                let v = shown[c]
                let x = rect.x + gutter + c * (blockWidth + 1)
                let style = Self.variantStyles[v % Self.variantStyles.count]
                if captionRows > 0 {
                    grid.put(Self.fitting(Self.statistics(data, glyphs: glyphs), width: blockWidth), x: x, y: y, style: bold,
                             clip: Rect(x: x, y: y, width: blockWidth, height: 1))
                }
                // Out-of-range counts are drawn here, whole or not at all, instead of by `Histogram`.
                var inRange = data
                inRange.below = 0
                inRange.above = 0
                let block = Rect(x: x, y: y + captionRows, width: blockWidth, height: blockHeight - captionRows)
                Histogram(inRange, range: range, countScale: tallest > 0 ? tallest : nil, showsCaption: false, style: style)
                    .render(into: &grid, in: block, glyphs: glyphs)
                if block.height >= 3 {
                    let axis = block.maxY - 2
                    let markers = Self.outOfRange(below: data.below, above: data.above, width: blockWidth, glyphs: glyphs)
                    if let left = markers.left { grid.put(left, x: x, y: axis, style: style, clip: block) }
                    if let right = markers.right { grid.put(right, x: block.maxX - right.count, y: axis, style: style, clip: block) }
                }
            }
        }
    }

    /// A histogram's statistics as separate parts: mean, std, saturated share, non-finite count.
    static func statistics(_ data: HistogramData, glyphs: GlyphSet) -> [String] {
        var parts: [String] = []
        if let mean = data.estimatedMean { parts.append(glyphs.mean + " " + NumberFormat.compact(mean, significant: 2)) }
        if let std = data.estimatedStd { parts.append(glyphs.std + " " + NumberFormat.compact(std, significant: 2)) }
        if let s = data.saturatedFraction { parts.append("sat " + NumberFormat.percent(s)) }
        if data.nonFinite > 0 { parts.append(NumberFormat.compact(data.nonFinite.rounded(), significant: 2) + " NaN") }
        return parts
    }

    /// The leading `parts` that fit in `width` whole, joined by spaces: a part never shows cut.
    static func fitting(_ parts: [String], width: Int) -> String {
        var text = ""
        for part in parts {
            let next = text.isEmpty ? part : text + " " + part
            guard next.count <= width else { break }
            text = next
        }
        return text
    }

    /// Markers for counts left and right of the range, `◂12` and `3k▸`: each whole, with at least
    /// one blank column between them; when both do not fit, the right one is dropped, then the left.
    static func outOfRange(below: Double, above: Double, width: Int, glyphs: GlyphSet) -> (left: String?, right: String?) {
        let b = below.isFinite ? below.rounded() : 0, a = above.isFinite ? above.rounded() : 0
        var left = b >= 1 ? String(glyphs.clippedLeft) + NumberFormat.compact(b, significant: 2) : nil
        var right = a >= 1 ? NumberFormat.compact(a, significant: 2) + String(glyphs.clippedRight) : nil
        if let l = left, l.count > width { left = nil }
        if let r = right, r.count + (left.map { $0.count + 1 } ?? 0) > width { right = nil }
        return (left, right)
    }

    /// One plot series per shown column, named by its label, averaged down to at most `points`
    /// points; a column of several seeds is their mean, point by point.
    private func series(_ name: MetricName, _ shown: [Int], points: Int) -> [LineSeries] {
        shown.compactMap { c in
            let members = dims.columns[c].compactMap { v -> [DataPoint]? in
                guard let s = snapshot.records[v].series(name), !s.isEmpty else { return nil }
                return PlotCells.averaged(s, to: points)
            }
            guard let first = members.first else { return nil }
            let n = members.map(\.count).min() ?? 0
            let mean = members.count == 1 ? first : (0..<n).map { i in
                DataPoint(x: first[i].x, y: members.reduce(0) { $0 + $1[i].y } / Double(members.count))
            }
            return LineSeries(name: VariantLabels.label(c), points: mean, style: Self.variantStyles[c % Self.variantStyles.count])
        }
    }

    /// A column's name; `(mean of 3 seeds)` when it merges several.
    private func name(_ c: Int) -> String {
        guard c < columnCount else { return "" }
        let members = dims.columns[c].count
        return dims.columnNames[c] + (members > 1 ? " (mean of \(members) seeds)" : "")
    }

    /// A column's latest histogram at `key`: its variant's, or the seeds' average over their joint range.
    private func histogram(column c: Int, _ key: HistogramKey) -> HistogramData? {
        let members = dims.columns[c].compactMap { snapshot.records[$0].histograms[key]?.last.map(PlotCells.data) }
        guard let first = members.first else { return nil }
        guard members.count > 1 else { return first }
        let range = members.dropFirst().reduce(first.range) { $0.union($1.range) }
        let rebinned = members.map { $0.rebinned(to: range, binCount: max(1, first.bins.count)) }
        let n = Double(members.count)
        func mean(_ values: [Double?]) -> Double? {
            let known = values.compactMap { $0 }
            return known.count == values.count ? known.reduce(0, +) / n : nil
        }
        return HistogramData(
            bins: (0..<rebinned[0].bins.count).map { i in rebinned.reduce(0) { $0 + $1.bins[i] } / n },
            lower: range.lower, upper: range.upper,
            below: rebinned.reduce(0) { $0 + $1.below } / n, above: rebinned.reduce(0) { $0 + $1.above } / n,
            nonFinite: rebinned.reduce(0) { $0 + $1.nonFinite } / n,
            mean: mean(members.map(\.mean)), std: mean(members.map(\.std)), saturatedFraction: mean(members.map(\.saturatedFraction)))
    }

    // MARK: The sweep view

    /// A metric's latest value per variant (smoothed over the last twentieth of the run for noisy
    /// batch losses); nil before the variant recorded any.
    private func latest(_ metric: MetricName, _ v: Int, smoothed: Bool) -> Double? {
        guard let s = snapshot.records[v].series(metric), !s.isEmpty else { return nil }
        if smoothed { return PlotCells.averaged(s, to: 20).last?.y }
        return s.values.last
    }

    /// The sweep chart of `metric`: per group a line over the swept values, each point the mean of
    /// the column's seeds with a min-max whisker when there are several. A NaN or ±Inf mean (a run
    /// that diverged) is the chart's `×`.
    func sweepChart(_ metric: MetricName, title: String, smoothed: Bool, logY: Bool = false) -> SweepChart {
        let d = dims
        var groups: [String] = []
        for g in d.groups where !groups.contains(g) { groups.append(g) }
        let series = groups.enumerated().map { gi, group in
            let points = d.columns.compactMap { members -> SweepPoint? in
                guard let first = members.first, d.groups[first] == group, let x = d.sweptValues[first] else { return nil }
                let values = members.compactMap { latest(metric, $0, smoothed: smoothed) }
                guard !values.isEmpty else { return nil }
                let mean = values.reduce(0, +) / Double(values.count)
                let finite = values.filter(\.isFinite)
                return values.count > 1 && finite.count == values.count
                    ? SweepPoint(x: x, y: mean, low: finite.min(), high: finite.max()) : SweepPoint(x: x, y: mean)
            }
            return SweepSeries(name: group, points: points, style: Self.variantStyles[gi % Self.variantStyles.count])
        }
        let seeds = d.seedsPerColumn
        return SweepChart(title: title, series: series, logY: logY, spreadNote: seeds > 1 ? "min-max of \(seeds) seeds" : nil)
    }

    /// The sweep view: a line saying what is swept, then final test accuracy and batch loss against
    /// the swept setting, side by side.
    private func renderSweep(into grid: inout Grid, in rect: Rect, glyphs: GlyphSet) {
        let d = dims
        let swept = d.sweptName ?? "setting"
        var groups: [String] = []
        for g in d.groups where !groups.contains(g) { groups.append(g) }
        let values = Set(d.sweptValues.compactMap { $0 }).count
        var line = "sweep over \(swept): \(groups.count) group\(groups.count == 1 ? "" : "s") x \(values) values"
        if d.seedsPerColumn > 1 { line += ", mean of \(d.seedsPerColumn) seeds" }
        // Each part whole or not at all.
        if line.count + 17 <= rect.width { line += "   (v: next view)" }
        if line.count > rect.width { line = "sweep over \(swept)" }
        grid.put(line, x: rect.x, y: rect.y, style: Style(dim: true), clip: Rect(x: rect.x, y: rect.y, width: rect.width, height: 1))
        let body = Rect(x: rect.x, y: rect.y + 1, width: rect.width, height: rect.height - 1)
        let half = (body.width - 1) / 2
        let left = Rect(x: body.x, y: body.y, width: half, height: body.height)
        let right = Rect(x: body.x + half + 1, y: body.y, width: body.width - half - 1, height: body.height)
        // Titles are shown whole: the longest that fits its half.
        func title(_ candidates: [String], _ width: Int) -> String { candidates.first { $0.count <= width } ?? "" }
        sweepChart(.testAccuracy, title: title(["test accuracy (latest) vs \(swept)", "test accuracy vs \(swept)", "test accuracy"], left.width),
                   smoothed: false).render(into: &grid, in: left, glyphs: glyphs)
        // Log y, as the loss chart of the other views: one rate's large loss would squash the rest on a linear axis.
        sweepChart(.batchLoss, title: title(["batch loss (recent, log) vs \(swept)", "batch loss (log) vs \(swept)", "batch loss (log)"], right.width),
                   smoothed: true, logY: true).render(into: &grid, in: right, glyphs: glyphs)
    }

    /// A variant's label and name in the percentile and heatmap titles: its column's.
    private func variantTitle(_ v: Int) -> String {
        guard let c = dims.columns.firstIndex(where: { $0.contains(v) }) else { return "" }
        let seeds = dims.columns[c].count
        return VariantLabels.label(c) + " " + dims.columnNames[c] + (seeds > 1 ? " (seed 1 of \(seeds))" : "")
    }

    /// Unit 0 of the last hidden layer's activation input, for the page's first variant.
    private func percentiles(_ v: Int) -> PercentileBand {
        let layer = hiddenLayers.last ?? 1
        let points = PlotCells.points(snapshot.records[v], layer: layer, stage: .preActivation, unit: 0)
        return PercentileBand(title: "L\(layer) in, unit 0, \(variantTitle(v)): 15/50/85%", points: points)
    }

    /// The last hidden layer's activation input over time, for the page's first variant.
    private func heatmap(_ v: Int) -> Heatmap {
        let layer = hiddenLayers.last ?? 1
        let history = snapshot.records[v].histograms[HistogramKey(layer: layer, stage: .preActivation)] ?? []
        let slices = history.map { HeatmapSlice(step: Double($0.step), bins: $0.bins) }
        let range = history.first.map { ValueRange(lower: $0.lower, upper: $0.upper) } ?? ValueRange(lower: -5, upper: 5)
        return Heatmap(title: "L\(layer) in over time, \(variantTitle(v))", range: range, slices: slices)
    }
}

extension Style {
    func with(bold: Bool) -> Style {
        var s = self
        s.bold = bold
        return s
    }
}
