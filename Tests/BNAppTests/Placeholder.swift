import Testing

@Test func placeholder_BNAppTests() { #expect(true) }
