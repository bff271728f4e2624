import Testing

@Test func placeholder_BNEngineTests() { #expect(true) }
