import Testing
import BNPlots
@testable import BNTools

@Suite struct DemoTests {
    @Test func demoRendersEveryRendererInBothGlyphSets() {
        let unicode = PlotDemo.render(glyphs: .unicode, width: 72)
        let ascii = PlotDemo.render(glyphs: .ascii, width: 72)
        #expect(unicode.contains("== Bar chart =="))
        #expect(ascii.contains("== Histogram over time =="))
        #expect(PlotDemo.render(glyphs: .ascii, width: 80).unicodeScalars.allSatisfy { $0 == "\n" || (0x20...0x7E).contains($0.value) })
        #expect(ascii.unicodeScalars.allSatisfy { $0 == "\n" || (0x20...0x7E).contains($0.value) })
    }

    /// Every line fits the width asked for, headings included (the percentile band's heading was 81
    /// columns at any width), and no heading word is lost to the wrapping.
    @Test func everyLineFitsTheWidth() {
        for width in [20, 21, 33, 40, 57, 79, 80, 100, 137] {
            for glyphs in [GlyphSet.ascii, .unicode] {
                let text = PlotDemo.render(glyphs: glyphs, width: width)
                let long = text.split(separator: "\n").filter { $0.count > width }
                #expect(long.isEmpty, "width \(width): \(long)")
                #expect(text.contains("Szegedy"), "width \(width)")
            }
        }
    }
}
