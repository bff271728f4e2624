// `bnlab plots --demo`: every renderer of the plot kit, drawn with made-up data, for a person to look at.

import ArgumentParser
import BNPlots
import BNTerminal
import BNTools

struct PlotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plots",
        abstract: "Show the plot kit: histograms, small multiples, line charts, percentile bands, heatmaps, tables."
    )

    @Flag(help: "Draw every renderer with demonstration data.") var demo = false
    @Flag(help: "Use 7-bit ASCII glyphs instead of Unicode; the default when the locale is not UTF-8.") var ascii = false
    @Option(parsing: .unconditional, help: "Width in columns.") var width = 100

    func validate() throws {
        if !demo { throw ValidationError("nothing to show: add --demo (bnlab plots --demo [--ascii])") }
        if !(20...1000).contains(width) { throw ValidationError("--width must be in 20…1000 (got \(width))") }
    }

    func run() {
        say(PlotDemo.render(glyphs: TerminalScreen.usesASCII(asked: ascii) ? .ascii : .unicode, width: width))
    }
}
