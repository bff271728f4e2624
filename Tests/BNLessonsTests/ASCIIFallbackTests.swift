// `--ascii` never prints `?` for a character a lesson or rendered math uses.

@testable import BNLessons
import Foundation
import Testing

@Test func everyNonASCIICharacterInEveryShippedLessonHasAnASCIISpelling() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: Paths.lessons).filter { $0.hasSuffix(".md") }.sorted()
    #expect(files.count > 10)
    var missing: [String] = []
    for file in files {
        let text = try String(contentsOfFile: (Paths.lessons as NSString).appendingPathComponent(file), encoding: .utf8)
        // The raw text, and the math as MathText renders it: `$\propto$` is ASCII in the file but ∝ on screen.
        let math = text.split(separator: "$").enumerated().filter { $0.offset % 2 == 1 }.map { MathText.render(String($0.element)) }
        for c in Set(text + math.joined()) where !c.isASCII && ASCIIFallback.spelling(c) == nil {
            missing.append("\(file): \(c) (U+\(c.unicodeScalars.map { String($0.value, radix: 16, uppercase: true) }.joined(separator: " U+")))")
        }
    }
    #expect(missing.sorted() == [])
}

@Test func everySymbolMathTextProducesHasAnASCIISpelling() {
    let produced = MathText.symbols.values.joined() + String(MathText.superscripts.values) + String(MathText.subscripts.values)
        + MathText.render(#"\hat{x} \bar{x} \tilde{x} \hat{\mu} \sqrt{2}"#)
    let missing = Set(produced).filter { !$0.isASCII && ASCIIFallback.spelling($0) == nil }
    #expect(missing == [])
}

@Test func asciiSpellsDivisionGradientAndProportionality() {
    #expect(ASCIIFallback.convert("pixels ÷ 255, ∇L, a ∝ b, ‖W‖") == "pixels / 255, grad L, a ~ b, ||W||")
}

@Test func asciiKeepsOneMarkerForARunOfScripts() {
    #expect(ASCIIFallback.convert("σ²") == "sigma^2")
    #expect(ASCIIFallback.convert("10⁻⁴ and 2⁶⁴") == "10^-4 and 2^64")
    #expect(ASCIIFallback.convert("Σᵢ₌₁ᵐ zᵢ") == "Sum_i=1^m z_i")
    #expect(ASCIIFallback.convert(MathText.render("x_{ij}^{(k)}")) == "x_ij^(k)")
    #expect(ASCIIFallback.convert("β₁ᵗ") == "beta_1^t")
}

@Test func asciiSpellsCombiningMarksAfterTheirBase() {
    #expect(ASCIIFallback.convert(MathText.render(#"\hat{x} - \bar{x}_j"#)) == "x^ - xbar_j")
    #expect(ASCIIFallback.convert(MathText.render(#"\hat{\mu}"#)) == "mu^")
    #expect(ASCIIFallback.convert("\u{1E91}") == "z^")  // ẑ precomposed
    #expect(ASCIIFallback.convert("☃") == "?")  // no spelling: the visible fallback stays
}

@Test func spelledWordsKeepASpaceFromTheLettersBesideThem() {
    #expect(ASCIIFallback.convert("y = γx̂ + β") == "y = gamma x^ + beta")
    #expect(ASCIIFallback.convert("m×n, 4 × 3, x∈S, γβ") == "m x n, 4 x 3, x in S, gamma beta")
    // Beside scripts, digits and punctuation nothing changes.
    #expect(ASCIIFallback.convert("σ², μ_B, 2γ, √(σ² + ε), ∇L, γ·x̂") == "sigma^2, mu_B, 2gamma, sqrt(sigma^2 + eps), grad L, gamma*x^")
}
