// Math to Unicode and prose to wrapped, styled lines.

@testable import BNLessons
import Testing

@Test func mathRendersGreekScriptsHatsRootsAndFractions() {
    #expect(MathText.render(#"\mu"#) == "μ")
    #expect(MathText.render(#"\sigma^2"#) == "σ²")
    #expect(MathText.render(#"\hat{x}_i"#) == "x̂ᵢ")
    #expect(MathText.render(#"\sqrt{\sigma^2 + \epsilon}"#) == "√(σ² + ε)")
    #expect(MathText.render(#"\frac{1}{m} \sum_i x_i"#) == "1/m Σᵢ xᵢ")
    #expect(MathText.render(#"\frac{x - \mu}{s}"#) == "(x − μ)/s")
    #expect(MathText.render(#"y = \gamma \hat{x} + \beta"#) == "y = γ x̂ + β")
    #expect(MathText.render("x_{ij}^{(k)}") == "xᵢⱼ⁽ᵏ⁾")
    #expect(MathText.render("x_{q}") == "x_q")  // Unicode has no subscript q
}

@Test func proseWrapsAndStylesInlineMarkup() {
    let lines = ProseRenderer.render("# Title\n\nSome **bold** and *em* and `code` with $\\mu$ here, wrapped.", width: 20)
    #expect(lines.map(\.text) == ["Title", "═════", "", "Some bold and em and", "code with μ here,", "wrapped."])
    #expect(lines[3].spans.contains(StyledSpan("bold", .strong)))
    #expect(lines[4].spans.first == StyledSpan("code", .code))
    #expect(lines[4].spans.contains(StyledSpan("μ", .math)))
}

@Test func proseListsHangTheirIndent() {
    let lines = ProseRenderer.render("- one two three four five six\n- b", width: 16)
    #expect(lines.map(\.text) == ["• one two three", "  four five six", "• b"])
}

/// A short formula is not split over two lines ("G" at the end of one, "= 1" starting the next); one
/// longer than half a line still wraps at its spaces, and nothing is wider than the line.
@Test func shortFormulasStayOnOneLine() {
    let markdown = "Here $G = 10$ groups of 10 units. $G = 1$ is LayerNorm, and $\\gamma = \\sqrt{\\sigma^2 + \\epsilon}$ too."
    for width in 14...60 {
        for ascii in [false, true] {
            let lines = ProseRenderer.render(markdown, width: width, ascii: ascii).map(\.text)
            #expect(lines.allSatisfy { $0.count <= width }, "width \(width): \(lines)")
            #expect(lines.contains { $0.contains("G = 10") } && lines.contains { $0.contains("G = 1 ") || $0.hasSuffix("G = 1") },
                    "width \(width): \(lines)")
        }
    }
    // Longer than half of 14 columns: the formula wraps like words.
    let long = ProseRenderer.render("x $\\gamma = \\sqrt{\\sigma^2 + \\epsilon}$", width: 14).map(\.text)
    #expect(long.count > 1 && long.allSatisfy { $0.count <= 14 }, "\(long)")
}

/// In ASCII the math is spelled out (γ → gamma, √ → sqrt, σ² → sigma^2) before the prose is wrapped,
/// so the longer spelling still fits: wrapped first, such a line was 97 columns at width 80.
@Test func asciiProseIsTransliteratedBeforeItIsWrapped() {
    let markdown = """
    If the network learns $\\gamma = \\sqrt{\\sigma^2 + \\epsilon}$ and $\\beta = \\mu$, BN gives back its input; \
    with $\\hat{x}_i = (x_i - \\mu)/\\sqrt{\\sigma^2 + \\epsilon}$ for every $i$, and $\\gamma$, $\\beta$ per feature.

    - a list item with $\\gamma \\cdot \\hat{x} + \\beta$ in it, long enough to wrap onto the next line here
    """
    for width in [30, 40, 57, 80] {
        let lines = ProseRenderer.render(markdown, width: width, ascii: true).map(\.text)
        #expect(lines.allSatisfy { $0.count <= width && $0.unicodeScalars.allSatisfy(\.isASCII) }, "width \(width): \(lines)")
        #expect(lines.joined(separator: " ").contains("sqrt(sigma^2"), "\(lines)")
    }
}

/// Headless output at width 80: prose, headings and predict cells fit; claims are records, a line each.
@Test func headlessLinesFitTheWidthExceptClaimRecords() throws {
    let run = headless(HeadlessOptions(lessons: ["bn-transform"], scale: 0.1, ascii: true, lessonsDirectory: Paths.lessons))
    #expect(run.code == 0, "\(run.errors)")
    var inClaims = false
    var long: [Substring] = []
    for line in run.output.split(separator: "\n", omittingEmptySubsequences: false) {
        if line.hasPrefix("Claims:") || line.hasPrefix("Checks (") { inClaims = true } else if line.isEmpty { inClaims = false }
        if !inClaims && line.count > 80 { long.append(line) }
    }
    #expect(long.isEmpty, "\(long)")
    #expect(run.output.contains("Predict answer ("))
}

/// A headless line wider than the width wraps at spaces under an indent; one that fits is printed as
/// it is, its spacing kept.
@Test func headlessLinesWrapOnlyWhenTooWide() {
    let header = "Experiment e (train): 4 variants (plain, bn x optimizer.learning_rate in 0.1, 1) x 2 seeds (1, 2) = 8 runs, 20 steps"
    let lines = wrappedLines(header, width: 80, indent: 2)
    #expect(lines.count == 2 && lines.allSatisfy { $0.count <= 80 } && lines[1].hasPrefix("  ") && !lines[1].hasPrefix("   "))
    #expect(lines.flatMap { $0.split(separator: " ") } == header.split(separator: " "))
    #expect(wrappedLines("  [ok] held 3/3  short", width: 80, indent: 6) == ["  [ok] held 3/3  short"])
    let options = wrappedLines("  options: " + String(repeating: "word ", count: 30), width: 40, indent: 4)
    #expect(options.allSatisfy { $0.count <= 40 } && options[0].hasPrefix("  options: word") && options[1].hasPrefix("    word"))
}
