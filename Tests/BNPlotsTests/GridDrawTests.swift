// Grid.draw: one grid copied into another at any offset, clipped, never writing outside the clip or
// the grid, and every cell it writes being the source's cell at that offset.

import Testing
@testable import BNPlots

@Suite struct GridDrawTests {
    /// 3,000 seeded placements of a lettered source into a sentinel-filled target (offsets partly or
    /// wholly outside, clips partly outside or empty): each target cell is the source's cell where the
    /// source overlaps it inside the clip, and the sentinel everywhere else.
    @Test func aDrawnGridLandsAtItsOffsetAndNowhereOutsideTheClip() {
        var random = TestRandom(seed: 17)
        let sentinel = Cell("~")
        for _ in 0..<3000 {
            var source = Grid(width: random.int(0...12), height: random.int(0...8))
            for y in 0..<source.height { for x in 0..<source.width { source[x, y] = Cell(Character(UnicodeScalar(UInt8(65 + (x + 3 * y) % 26)))) } }
            var target = Grid(width: random.int(0...14), height: random.int(0...10))
            target.fill(target.bounds, with: sentinel)
            let x = random.int(-14...14), y = random.int(-10...10)
            let clip: Rect? = random.int(0...2) == 0 ? nil
                : Rect(x: random.int(-4...14), y: random.int(-4...10), width: random.int(0...16), height: random.int(0...12))
            target.draw(source, x: x, y: y, clip: clip)
            for ty in 0..<target.height {
                for tx in 0..<target.width {
                    let inside = source.bounds.contains(x: tx - x, y: ty - y) && (clip?.contains(x: tx, y: ty) ?? true)
                    #expect(target[tx, ty] == (inside ? source[tx - x, ty - y] : sentinel))
                }
            }
        }
    }
}
