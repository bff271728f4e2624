// Braille patterns U+2800...U+28FF: a cell of 2 × 4 dots, one bit per dot.
//
// Dot bits (column, row) → bit: (0,0) 0x01 (0,1) 0x02 (0,2) 0x04 (0,3) 0x40
//                              (1,0) 0x08 (1,1) 0x10 (1,2) 0x20 (1,3) 0x80

enum Braille {
    /// All 256 patterns, indexed by their dot bits; built once so drawing never builds a String.
    static let characters: [Character] = (0..<256).map { bits in
        Unicode.Scalar(UInt32(0x2800 + bits)).map(Character.init) ?? " "
    }

    /// The bit of the dot at `column` (0...1) and `row` (0...3) of a cell.
    @inline(__always)
    static func bit(column: Int, row: Int) -> UInt8 {
        switch (column & 1, row & 3) {
        case (0, 0): 0x01
        case (0, 1): 0x02
        case (0, 2): 0x04
        case (0, _): 0x40
        case (_, 0): 0x08
        case (_, 1): 0x10
        case (_, 2): 0x20
        default: 0x80
        }
    }
}
