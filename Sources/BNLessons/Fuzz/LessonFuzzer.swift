// bnlab's own fuzzer: seeded mutations of lesson files and reference files, the inputs a hostile
// or careless author could write. `swift test` parses a few hundred mutants in-process (no trap,
// every failure a located error); `.ci/fuzz.sh` runs the release binary on each of a larger set
// under a memory limit and a timeout (`bnlab fuzz --write DIR` writes them).
//
// A mutant is one or more of: a truncation, byte flips, a key typo, a value of the wrong type, an
// extreme or non-finite number, deep YAML nesting, a YAML alias bomb, control characters, CRLF
// line endings, a byte order mark, a deleted or duplicated line, a misspelt fence.

import BNEngine

public struct LessonFuzzer {
    /// What a mutant was made by, for the report.
    public struct Mutant: Sendable {
        public var name: String
        public var bytes: [UInt8]
    }

    var rng: SplitMix64

    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    static let extremeNumbers = ["1e308", "-1e308", "1e-320", ".nan", ".inf", "-.inf", "nan", "inf", "99999999999999999999",
                                 "-99999999999999999999", "0", "-1", "-0", "1e12", "100000000", "2147483648", "0x7fffffffffffffff",
                                 "9223372036854775807", "-9223372036854775808", "1_000_000_000", "0.0000001"]
    static let wrongTypes = ["[1, 2, 3]", "{a: 1}", "\"text\"", "~", "true", "[]", "{}", "- x", "|\n  block", "? complex"]
    static let controls = ["\u{1B}[2J", "\u{1B}]0;title\u{07}", "\u{1B}]52;c;aGk=\u{07}", "\u{07}", "\u{08}\u{08}", "\u{7F}",
                           "\u{9B}31m", "\u{0}", "\r", "\u{202E}", "\u{1B}"]
    static let fences = ["claims", "experment", "Plot", "predict extra", "python", "", "~~~", "claim claim"]
    public static let billionLaughs = """
    lol0: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
    lol1: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    lol2: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    lol3: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    lol4: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    lol5: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    lol6: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    lol7: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    lol8: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]

    """

    mutating func pick<T>(_ xs: [T]) -> T { xs[rng.index(below: xs.count)] }
    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + rng.index(below: range.count) }

    /// One mutant of `original` (a lesson's text): 1 to 3 mutations.
    public mutating func lessonMutant(of original: String) -> Mutant {
        var text = original
        var names: [String] = []
        for _ in 0..<int(1...3) {
            let (name, mutated) = mutateText(text)
            names.append(name)
            text = mutated
        }
        var bytes = Array(text.utf8)
        // Byte-level mutations go last (they may leave invalid UTF-8).
        switch rng.index(below: 10) {
        case 0 where !bytes.isEmpty:
            bytes.removeLast(rng.index(below: bytes.count))
            names.append("truncate")
        case 1 where !bytes.isEmpty:
            for _ in 0..<int(1...8) { bytes[rng.index(below: bytes.count)] ^= UInt8(truncatingIfNeeded: 1 << rng.index(below: 8)) }
            names.append("bitflip")
        case 2 where !bytes.isEmpty:
            bytes[rng.index(below: bytes.count)] = pick([0xFF, 0xC0, 0x80, 0x00, 0x9B, 0x1B])
            names.append("badbyte")
        case 3:
            bytes = [0xEF, 0xBB, 0xBF] + bytes
            names.append("bom")
        default:
            break
        }
        return Mutant(name: names.joined(separator: "+"), bytes: bytes)
    }

    /// One text-level mutation.
    mutating func mutateText(_ text: String) -> (String, String) {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard !lines.isEmpty else { return ("none", text) }
        let at = rng.index(below: lines.count)
        // Lines of the form "key: value" (YAML in cells and front matter).
        let keyed = lines.indices.filter { lines[$0].contains(": ") && !lines[$0].hasPrefix("#") }
        let keyLine = keyed.isEmpty ? at : pick(keyed)
        switch rng.index(below: 14) {
        case 0:
            // A typo in a key.
            var line = Array(lines[keyLine])
            if let colon = line.firstIndex(of: ":"), colon > 1 {
                let i = rng.index(below: colon)
                if i + 1 < colon { line.swapAt(i, i + 1) } else { line.insert("x", at: i) }
            }
            lines[keyLine] = String(line)
            return ("keytypo", lines.joined(separator: "\n"))
        case 1, 2:
            lines[keyLine] = replaceValue(lines[keyLine], with: pick(Self.extremeNumbers))
            return ("extreme", lines.joined(separator: "\n"))
        case 3:
            lines[keyLine] = replaceValue(lines[keyLine], with: pick(Self.wrongTypes))
            return ("wrongtype", lines.joined(separator: "\n"))
        case 4:
            let depth = pick([10, 70, 1000, 20000])
            lines[keyLine] = replaceValue(lines[keyLine], with: String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth))
            return ("deepnest", lines.joined(separator: "\n"))
        case 5:
            // An alias bomb inside a YAML cell (after a fence line) or the front matter.
            let fence = lines.indices.filter { lines[$0].hasPrefix("```experiment") }
            let where_ = fence.isEmpty ? 1 : pick(fence) + 1
            lines.insert(Self.billionLaughs, at: min(where_, lines.count))
            return ("alias", lines.joined(separator: "\n"))
        case 6:
            var line = lines[at]
            let offset = line.isEmpty ? 0 : rng.index(below: line.count + 1)
            line.insert(contentsOf: pick(Self.controls), at: line.index(line.startIndex, offsetBy: offset))
            lines[at] = line
            return ("control", lines.joined(separator: "\n"))
        case 7:
            return ("crlf", lines.joined(separator: "\r\n"))
        case 8:
            lines.remove(at: at)
            return ("deleteline", lines.joined(separator: "\n"))
        case 9:
            lines.insert(lines[at], at: at)
            return ("dupline", lines.joined(separator: "\n"))
        case 10:
            let fenceLines = lines.indices.filter { lines[$0].hasPrefix("```") && lines[$0].count > 3 }
            if let f = fenceLines.isEmpty ? nil : pick(fenceLines) { lines[f] = "```" + pick(Self.fences) }
            return ("fence", lines.joined(separator: "\n"))
        case 11:
            // A wrong indentation.
            lines[keyLine] = pick(["  ", "\t", "      ", ""]) + lines[keyLine].drop { $0 == " " }
            return ("indent", lines.joined(separator: "\n"))
        case 12:
            // A huge list or width.
            lines[keyLine] = replaceValue(lines[keyLine], with: "[" + Array(repeating: pick(["100000000", "1", "-5", "0"]), count: int(1...300)).joined(separator: ", ") + "]")
            return ("biglist", lines.joined(separator: "\n"))
        default:
            // A long line of one character.
            lines[at] += String(repeating: pick(["a", "(", "-", "`", "*", "&"]), count: pick([100, 5000, 60000]))
            return ("longline", lines.joined(separator: "\n"))
        }
    }

    /// `line` with everything after its first ": " replaced by `value`.
    func replaceValue(_ line: String, with value: String) -> String {
        guard let range = line.range(of: ": ") else { return line + ": " + value }
        return String(line[..<range.upperBound]) + value
    }

    /// One mutant of a reference file's JSON text: numbers made extreme, arrays cut short or
    /// lengthened, fields dropped or given the wrong type, truncation, control characters.
    public mutating func referenceMutant(of original: String) -> Mutant {
        var text = original
        var names: [String] = []
        for _ in 0..<int(1...3) {
            switch rng.index(below: 7) {
            case 0:
                // A number replaced.
                let numbers = numberRanges(text)
                if let r = numbers.isEmpty ? nil : pick(numbers) {
                    text.replaceSubrange(r, with: pick(["1e308", "-1e308", "1e400", "0", "-1", "99999999999999999999", "1.5", "\"x\"", "null", "[]"]))
                }
                names.append("number")
            case 1:
                // An array element removed (a shape mismatch).
                if let r = text.range(of: ", ", options: [], range: randomStart(text)) { text.removeSubrange(text.index(r.lowerBound, offsetBy: 0)..<skipNumber(text, from: r.upperBound)) }
                names.append("shorten")
            case 2:
                if let r = text.range(of: "[", options: [], range: randomStart(text)) { text.insert(contentsOf: "0.5, ", at: r.upperBound) }
                names.append("lengthen")
            case 3:
                if let r = text.range(of: "\"", options: [], range: randomStart(text)) {
                    text.insert(contentsOf: pick(Self.controls), at: r.upperBound)
                }
                names.append("control")
            case 4:
                text = String(text.prefix(rng.index(below: max(1, text.count))))
                names.append("truncate")
            case 5:
                if let r = text.range(of: "\":", options: [], range: randomStart(text)) { text.insert("x", at: r.lowerBound) }
                names.append("keytypo")
            default:
                let depth = pick([10, 1000, 100000])
                if let r = text.range(of: ": ", options: [], range: randomStart(text)) {
                    text.insert(contentsOf: String(repeating: "[", count: depth) + String(repeating: "]", count: depth) + ", \"z\": ", at: r.upperBound)
                }
                names.append("deepnest")
            }
        }
        return Mutant(name: names.joined(separator: "+"), bytes: Array(text.utf8))
    }

    mutating func randomStart(_ text: String) -> Range<String.Index> {
        let offset = rng.index(below: max(1, text.count))
        return text.index(text.startIndex, offsetBy: offset)..<text.endIndex
    }

    func skipNumber(_ text: String, from i: String.Index) -> String.Index {
        var j = i
        while j < text.endIndex, "0123456789.eE+-".contains(text[j]) { j = text.index(after: j) }
        return j
    }

    func numberRanges(_ text: String) -> [Range<String.Index>] {
        var ranges: [Range<String.Index>] = []
        var i = text.startIndex
        while i < text.endIndex, ranges.count < 2000 {
            if "0123456789-".contains(text[i]) {
                let j = skipNumber(text, from: i)
                if j > i { ranges.append(i..<j); i = j; continue }
            }
            i = text.index(after: i)
        }
        return ranges
    }
}
