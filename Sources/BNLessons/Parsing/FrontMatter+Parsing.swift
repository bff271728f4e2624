// The front matter: a YAML block between two '---' lines at the very top of a lesson.

extension FrontMatter {
    static let keys = ["id", "title", "order", "summary", "estimated_time"]

    static func parse(_ text: String, firstLine: Int) throws(LessonError) -> FrontMatter {
        guard let value = try YAMLValue.parse(text, firstLine: firstLine) else {
            throw LessonError(SourceLocation(line: firstLine), "the front matter is empty",
                              hint: "give id, title, order, summary and estimated_time")
        }
        let r = try MappingReader(value, context: "front matter", knownKeys: keys)
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
