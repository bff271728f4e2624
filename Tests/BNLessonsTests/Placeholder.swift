import Testing

@Test func placeholder_BNLessonsTests() { #expect(true) }
