import Testing
import Foundation
@testable import BNPlots

@Test func dumpDemo() throws {
    try PlotDemo.render(glyphs: .unicode, width: 72).write(toFile: "/tmp/plots_demo_u.txt", atomically: true, encoding: .utf8)
    try PlotDemo.render(glyphs: .ascii, width: 72).write(toFile: "/tmp/plots_demo_a.txt", atomically: true, encoding: .utf8)
    var out = ""
    for f in Fixtures.all {
        for (gname, g) in [("Unicode", GlyphSet.unicode), ("ASCII", GlyphSet.ascii)] {
            let lines = f.plot.grid(width: f.width, height: f.height, glyphs: g).lines
            out += "    @Test func \(f.name)Snapshot\(gname)() {\n"
            out += "        #expect(render(Fixtures.\(f.name)(), \(f.width), \(f.height), .\(gname.lowercased())) == [\n"
            for l in lines { out += "            \"" + l.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\",\n" }
            out += "        ])\n    }\n\n"
        }
    }
    try out.write(toFile: "/tmp/plots_snapshots.txt", atomically: true, encoding: .utf8)
}
