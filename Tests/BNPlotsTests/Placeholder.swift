import Testing

@Test func placeholder_BNPlotsTests() { #expect(true) }
