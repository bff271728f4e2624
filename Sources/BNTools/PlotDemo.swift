// Every renderer on synthetic data, with titles, as text: `bnlab plots --demo [--ascii]` prints it
// so a person can look at the plots without training anything.

import BNPlots

/// A gallery of every renderer, rendered to text.
public enum PlotDemo {
    /// Every renderer with synthetic data, one titled section after another, `width` columns wide.
    public static func render(glyphs: GlyphSet, width: Int) -> String {
        let width = max(width, 20)
        var sections: [String] = []
        func section(_ heading: String, height: Int, _ plot: some Plot) {
            // The heading wraps at the plot's width, as the plot itself fits it.
            let title = TextLayout.wrap("== " + heading + " ==", width: width, indent: "   ").joined(separator: "\n")
            sections.append(title + "\n" + plot.grid(width: width, height: height, glyphs: glyphs).text)
        }

        let wide = HistogramData(values: DemoData.activations(count: 2000, mu: 1.5, sigma: 2.5, seed: 2), binCount: 40, range: ValueRange(lower: -3, upper: 3), saturationThreshold: 2.5)
        section("Histogram: one layer, one stage (values outside -3...3 marked at the ends)", height: 9, Histogram(wide, title: "L2 pre-BN"))

        var cells: [[HistogramData?]] = []
        for (layer, scale) in [(1, 1.0), (2, 2.0), (3, 4.0)] {
            let raw = HistogramData(values: DemoData.activations(count: 1000, mu: 0.5 * scale, sigma: scale, seed: UInt64(layer)), binCount: 32)
            let bn = HistogramData(values: DemoData.activations(count: 1000, mu: 0, sigma: 1, seed: UInt64(layer + 10)), binCount: 32)
            let relu = HistogramData(values: DemoData.activations(count: 1000, mu: 0, sigma: 1, relu: true, seed: UInt64(layer + 20)), binCount: 32)
            cells.append([raw, bn, relu])
        }
        section("Small multiples: layers (rows) x variants (columns), shared range per row", height: 19,
                SmallMultiples(rowLabels: ["L1", "L2", "L3"], columnLabels: ["no BN", "BN", "BN+ReLU"], cells: cells))

        section("Line chart: training loss, log y", height: 14, LineChart(
            title: "loss", series: [
                LineSeries(name: "no BN", points: DemoData.loss(count: 2000, fast: false, seed: 3), style: Style(foreground: .red)),
                LineSeries(name: "BN", points: DemoData.loss(count: 2000, fast: true, seed: 4), style: Style(foreground: .green)),
            ], logY: true))
        var accuracyBN = DemoData.accuracy(count: 500, final: 0.97, rate: 6, seed: 6)
        accuracyBN[250].y = .nan
        section("Line chart: test accuracy, fixed 0...1, with a NaN gap", height: 12, LineChart(
            title: "accuracy", series: [
                LineSeries(name: "no BN", points: DemoData.accuracy(count: 500, final: 0.9, rate: 2, seed: 5)),
                LineSeries(name: "BN", points: accuracyBN),
            ], yRange: ValueRange(lower: 0, upper: 1)))

        section("Percentile band: one unit's input, p15 / p50 / p85 (Ioffe & Szegedy Fig. 1)", height: 12,
                PercentileBand(title: "L3 unit 7, no BN", points: DemoData.band(count: 60, seed: 7)))

        let range = ValueRange(lower: -3, upper: 3)
        section("Histogram over time", height: 12, Heatmap(title: "L2 pre-activation", range: range, slices: DemoData.slices(count: 80, bins: 30, range: range)))

        let accuracy: [(String, Double, Double)] = [("8", 0.951, 0.962), ("32", 0.948, 0.975), ("128", 0.921, 0.978), ("512", 0.874, 0.971)]
        section("Results table", height: 7, ResultsTable(
            title: "test accuracy by batch size", labelHeading: "batch", columns: ["no BN", "BN"],
            rows: accuracy.map { ResultsRow(label: $0.0, values: [$0.1, $0.2]) }))
        section("Bar chart", height: 5, BarChart(
            title: "test accuracy with BN", bars: accuracy.map { Bar(label: "batch " + $0.0, value: $0.2) }, range: ValueRange(lower: 0.8, upper: 1)))
        return sections.joined(separator: "\n\n") + "\n"
    }
}
