// The --json report's layout. JSONEncoder's `.prettyPrinted` puts every number of a metric series on
// a line of its own, indented six levels deep: for the fourteen shipped lessons at full scale, 98 MB
// and 3.0 million lines, against 44 MB and 0.36 million lines laid out as below (the same value). This
// re-indents compact JSON instead:
//   - an object, and an array holding objects or arrays, take a line per member, two spaces a level;
//   - an array of numbers, strings or literals stays on one line: "steps": [0, 50, 100, …];
//   - everything inside such a one-line array stays on its line (a container there is written inline);
//   - the document ends with a newline.
// The input arrives in pieces (the report's header, then each lesson as it was encoded) and comes out
// a piece at a time, so the whole report is never one buffer. Only whitespace outside strings changes:
// the text parses to the same value. Input must be JSON without whitespace between tokens (what
// JSONEncoder writes without `.prettyPrinted`); strings are copied byte for byte, escapes included.

import Foundation

struct JSONLayout {
    private enum Container { case broken, inline }
    /// The open containers, outermost first.
    private var open: [Container] = []
    /// Inside a string, and just after its backslash.
    private var inString = false, escaped = false
    /// A '{' or '[' whose layout waits on the next byte (which may be in the next piece): empty, one
    /// line or broken.
    private var pendingOpen: UInt8?

    private static let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
    private static let openBrace = UInt8(ascii: "{"), closeBrace = UInt8(ascii: "}")
    private static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")

    /// Re-indents one piece; the pieces of a document, in order, make its laid-out text.
    mutating func layOut(_ piece: Data) -> Data {
        var out: [UInt8] = []
        out.reserveCapacity(piece.count + piece.count / 4)
        piece.withUnsafeBytes { layOut($0, into: &out) }
        return Data(out)
    }

    private mutating func layOut(_ piece: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        for byte in piece {
            if inString {
                out.append(byte)
                if escaped { escaped = false } else if byte == Self.backslash { escaped = true } else if byte == Self.quote { inString = false }
                continue
            }
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): continue
            default: break
            }
            if let opener = pendingOpen {
                pendingOpen = nil
                if byte == (opener == Self.openBrace ? Self.closeBrace : Self.closeBracket) {
                    out.append(byte)  // {} or []
                    continue
                }
                // An object breaks; an array breaks if it holds containers, else stays on the line.
                let breaks = opener == Self.openBrace || byte == Self.openBrace || byte == Self.openBracket
                open.append(breaks ? .broken : .inline)
                if breaks { newline(&out) }
            }
            switch byte {
            case Self.openBrace, Self.openBracket:
                out.append(byte)
                if isInline { open.append(.inline) } else { pendingOpen = byte }
            case Self.closeBrace, Self.closeBracket:
                if open.popLast() == .broken { newline(&out) }
                out.append(byte)
                if open.isEmpty { out.append(UInt8(ascii: "\n")) }  // the document ends with a newline
            case UInt8(ascii: ","):
                out.append(byte)
                if open.last == .broken { newline(&out) } else { out.append(UInt8(ascii: " ")) }
            case UInt8(ascii: ":"):
                out.append(byte)
                out.append(UInt8(ascii: " "))
            case Self.quote:
                out.append(byte)
                inString = true
            default:
                out.append(byte)  // numbers, true, false, null
            }
        }
    }

    /// Whether the innermost open container is written on one line.
    private var isInline: Bool { open.last == .inline }

    private func newline(_ out: inout [UInt8]) {
        out.append(UInt8(ascii: "\n"))
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * open.count))
    }
}
