// Math to Unicode and prose to wrapped, styled lines.

import BNLessons
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
