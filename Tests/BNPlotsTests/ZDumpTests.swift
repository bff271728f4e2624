import Testing
import Foundation
@testable import BNPlots

@Test func dumpDemo() throws {
    try PlotDemo.render(glyphs: .unicode, width: 72).write(toFile: "/tmp/plots_demo_u.txt", atomically: true, encoding: .utf8)
    try PlotDemo.render(glyphs: .ascii, width: 72).write(toFile: "/tmp/plots_demo_a.txt", atomically: true, encoding: .utf8)
}
