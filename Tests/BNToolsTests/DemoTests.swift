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
}
