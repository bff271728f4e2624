// A matrix stored the way the blocked kernel reads B: in panels of columns (BlockedProduct.swift).
//
// A rows × columns matrix M is cut into panels of `panelWidth` columns (16, or 32 with AVX-512); the last
// columns mod panelWidth form one more panel, 16 wide where they fit in 16, else panelWidth, padded with
// zero columns. Panel q holds its rows one after the other, each `width(q)` floats:
//
//   M[r, j]  at  start(q) + r·width(q) + (j − q·panelWidth),   q = j / panelWidth,  start(q) = q·rows·panelWidth
//
// This is the order the kernel walks a panel of B in (its row p, then p + 1), so a product whose B is
// stored this way reads it where it lies: a dense layer keeps Wᵀ (inputs × outputs) in panels, and its
// forward z = x·Wᵀ packs nothing. (Packing the 512 × 512 Wᵀ of a deep layer took about a fifth of the
// warm forward product: 0.42 ms packed every time, 0.337 ms already packed.) Against Wᵀ row-major, six
// interleaved rounds of `bnlab bench` on a 2-core Zen 3, medians of the per-round ratios: the 64 × 512
// net 1.10× the steps/s, 32 × 256 1.07×, the small BN net 1.06×, the plain one 1.08×; every lesson's
// numbers kept their bits (Wᵀ's dx packing reads its panels, dWᵀ is written into them, and sums over
// W run in row-major order: `Parameter.forEachOffset`). The padding columns are 0
// and stay 0: a product writes them as sums over B's zero padding, and every optimizer maps a zero
// gradient to a zero step.

/// Where each element of a rows × columns matrix lives when it is stored in the kernel's panels.
public struct PanelLayout: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    /// Panels of `panelWidth` columns.
    let fullPanels: Int
    /// Stored width of the last panel (16 or panelWidth) when columns mod panelWidth ≠ 0, else 0.
    let lastWidth: Int

    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "PanelLayout: negative shape \(rows) × \(columns)")
        self.rows = rows
        self.columns = columns
        fullPanels = columns / panelWidth
        let rest = columns % panelWidth
        lastWidth = rest == 0 ? 0 : rest <= 16 ? 16 : panelWidth
    }

    /// Panels, the padded last one included.
    var panels: Int { lastWidth == 0 ? fullPanels : fullPanels + 1 }
    /// Stored width of panel q (panelWidth, or the last panel's 16 or panelWidth).
    func width(_ q: Int) -> Int { q < fullPanels ? panelWidth : lastWidth }
    /// Offset of panel q's first row.
    func start(_ q: Int) -> Int { q * rows * panelWidth }
    /// Columns stored, padding included.
    public var storedColumns: Int { fullPanels * panelWidth + lastWidth }
    /// Floats stored: rows × storedColumns.
    public var count: Int { rows * storedColumns }

    /// Offset of M[row, column].
    @inline(__always)
    public func offset(row: Int, column: Int) -> Int {
        let q = column / panelWidth
        return start(q) + row * width(q) + (column - q * panelWidth)
    }

    /// Stores the row-major rows × columns `values` at `to` (`count` floats), the padding as zeros.
    public func store(_ values: [Float], into to: UnsafeMutablePointer<Float>) {
        precondition(values.count == rows * columns, "PanelLayout: \(values.count) values for \(rows) × \(columns)")
        to.update(repeating: 0, count: count)
        var i = 0
        forEachOffset { to[$0] = values[i]; i += 1 }
    }

    /// The matrix stored at `from`, row-major.
    public func rowMajor(_ from: UnsafePointer<Float>) -> [Float] {
        var values = [Float]()
        values.reserveCapacity(rows * columns)
        forEachOffset { values.append(from[$0]) }
        return values
    }

    /// Calls `body` with the offset of every element, row by row (M[0, 0], M[0, 1], …): a sum over the
    /// matrix in this order has the bits of the same sum over it stored row-major.
    @inline(__always)
    public func forEachOffset(_ body: (Int) -> Void) {
        for r in 0..<rows {
            for j in 0..<columns { body(offset(row: r, column: j)) }
        }
    }
}
