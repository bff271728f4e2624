// Word wrapping and fitting short texts: thousands of seeded random texts and widths, and the cases
// a screen meets (a text that fits, a single long word, no room at all).

import BNPlots
import Testing

@Suite struct TextLayoutTests {
    /// Words of 1-14 letters (some of Unicode), one to three spaces apart.
    static func randomText(_ random: inout TestRandom) -> String {
        let letters = Array("abcdefghijklmnopqrstuvwxyzμσγβ0123456789")
        return (0..<random.int(0...25)).map { _ in
            String((0..<random.int(1...14)).map { _ in letters[random.int(0...(letters.count - 1))] })
        }.reduce("") { text, word in text.isEmpty ? word : text + String(repeating: " ", count: random.int(1...3)) + word }
    }

    @Test func wrappedLinesFitAndKeepEveryWordInOrder() {
        var random = TestRandom(seed: 11)
        for _ in 0..<3000 {
            let text = Self.randomText(&random), width = random.int(4...60)
            let lines = TextLayout.wrap(text, width: width)
            #expect(lines.allSatisfy { $0.count <= width }, "\(text) at \(width): \(lines)")
            // Words come back in order; a word longer than the line comes back in pieces.
            #expect(lines.joined().filter { $0 != " " } == text.filter { $0 != " " })
        }
    }

    @Test func aFittedTextIsItselfOrAPrefixWithTheEllipsis() {
        var random = TestRandom(seed: 12)
        for _ in 0..<3000 {
            let text = Self.randomText(&random), width = random.int(0...60), unicode = random.int(0...1) == 1
            let ellipsis = TextLayout.ellipsis(unicode: unicode)
            let fitted = TextLayout.fitted(text, width: width, ellipsis: ellipsis)
            #expect(fitted.count <= width, "\(text) at \(width): \(fitted)")
            if text.count <= width {
                #expect(fitted == text)
            } else if width > ellipsis.count {
                #expect(fitted.hasSuffix(ellipsis))
                let stem = fitted.dropLast(ellipsis.count)
                #expect(text.hasPrefix(stem) && stem.last != " ", "\(text) at \(width): \(fitted)")
                // Cut inside a word only when no word ends in the second half of the room.
                let room = width - ellipsis.count
                let nextIsSpace = text.dropFirst(stem.count).first == " "
                let wordEndsLate = text.prefix(room + 1).indices.contains { i in
                    text[i] == " " && text.distance(from: text.startIndex, to: i) >= room / 2
                }
                #expect(nextIsSpace || !wordEndsLate || stem.count < room, "\(text) at \(width): \(fitted)")
            }
        }
    }

    @Test func fittingTheCasesAScreenMeets() {
        #expect(TextLayout.fitted("When the batch is tiny: BN, LayerNorm", width: 30, ellipsis: "...")
                == "When the batch is tiny: BN,...")
        #expect(TextLayout.fitted("Supercalifragilistic", width: 10, ellipsis: "…") == "Supercali…")
        #expect(TextLayout.fitted("fits", width: 4, ellipsis: "...") == "fits")
        #expect(TextLayout.fitted("too long", width: 2, ellipsis: "...") == "..")
        #expect(TextLayout.fitted("too long", width: 0, ellipsis: "…") == "")
    }
}
