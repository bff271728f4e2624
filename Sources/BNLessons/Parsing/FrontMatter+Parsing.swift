// The front matter: a YAML block between two '---' lines at the very top of a lesson.

extension FrontMatter {
    static let keys = ["id", "title", "order", "summary", "estimated_time"]
    /// The most characters each text may have: what the lesson list shows in a few lines at 80 columns
    /// (a title in two or three lines, a summary in three or four, the time beside the title).
    static let maximumLengths = ["id": ExperimentParser.maximumIdentifierLength, "title": 120, "summary": 300, "estimated_time": 12]

    static func parse(_ text: String, firstLine: Int) throws(LessonError) -> FrontMatter {
        guard let value = try YAMLValue.parse(text, firstLine: firstLine) else {
            throw LessonError(SourceLocation(line: firstLine), "the front matter is empty",
                              hint: "give id, title, order, summary and estimated_time")
        }
        let r = try MappingReader(value, context: "front matter", knownKeys: keys)
        for key in keys {
            guard let limit = maximumLengths[key], let text = try r.string(key), text.count > limit else { continue }
            throw LessonError(r.keyLocation(key), "'\(key)' is \(text.count) characters long; the limit is \(limit)",
                              hint: key == "summary" ? "say the rest in the lesson's first paragraph" : "shorten it")
        }
        func required(_ key: String, example: String) throws(LessonError) -> String {
            guard let s = try r.string(key), !s.isEmpty else {
                throw LessonError(r.location, "the front matter has no '\(key)'", hint: "add \(key): \(example)")
            }
            return s
        }
        let id = try required("id", example: "my-lesson")
        try ExperimentParser.checkIdentifier(id.replacingOccurrences(of: "-", with: "_"), at: r.keyLocation("id"), what: "lesson id")
        guard let order = try r.int("order") else {
            throw LessonError(r.location, "the front matter has no 'order'", hint: "add order: 10 (lessons are listed by order)")
        }
        return FrontMatter(id: id, title: try required("title", example: "A title"), order: order,
                           summary: try r.string("summary") ?? "", estimatedTime: try r.string("estimated_time") ?? "?")
    }
}
