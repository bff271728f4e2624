// The one protocol every renderer implements (ratatui: every widget has one render method).
//
// Leaves out any notion of a terminal, of time, or of training: a plot is a pure function of its
// inputs, the rectangle and the glyph set.

/// Something that draws itself into a rectangle of a grid.
public protocol Plot: Sendable {
    /// Draws into `rect` of `grid` with `glyphs`, never writing outside `rect` and never trapping.
    func render(into grid: inout Grid, in rect: Rect, glyphs: GlyphSet)
}

extension Plot {
    /// Renders into a fresh grid of `width` × `height` and returns it: handy for tests and headless output.
    public func grid(width: Int, height: Int, glyphs: GlyphSet) -> Grid {
        var grid = Grid(width: width, height: height)
        render(into: &grid, in: grid.bounds, glyphs: glyphs)
        return grid
    }
}

extension Rect {
    /// The part of this rectangle worth laying out in `grid`: itself, unless it is so large that
    /// per-cell buffers would be wasteful, in which case only its visible part.
    func drawable(in grid: Grid) -> Rect {
        if width > 4 * max(grid.width, 256) || height > 4 * max(grid.height, 256) {
            return intersection(grid.bounds)
        }
        return self
    }
}
