import Testing

@Test func placeholder_BNDataTests() { #expect(true) }
