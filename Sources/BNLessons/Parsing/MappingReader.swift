// Typed, located reads from a YAML mapping, rejecting unknown keys with the nearest known one.

/// Reads the fields of one YAML mapping. Call `finish()` to reject keys nobody asked about.
struct MappingReader {
    let entries: [YAMLEntry]
    let location: SourceLocation
    /// What the mapping is, for messages: "experiment", "network", "optimizer"…
    let context: String
    let knownKeys: [String]

    init(_ value: YAMLValue, context: String, knownKeys: [String]) throws(LessonError) {
        guard case .mapping(let entries, let location) = value else {
            throw LessonError(value.location, "\(context) must be a mapping of 'key: value' lines, got \(value.typeName)",
                              hint: "write one 'key: value' per line")
        }
        self.entries = entries
        self.location = location
        self.context = context
        self.knownKeys = knownKeys
        for entry in entries where !knownKeys.contains(entry.key) {
            throw LessonError(entry.keyLocation, "unknown key '\(entry.key)' in \(context)",
                              hint: NearestName.hint(for: entry.key, in: knownKeys))
        }
    }

    func has(_ key: String) -> Bool { entries.contains { $0.key == key } }

    func value(_ key: String) -> YAMLValue? { entries.last { $0.key == key }?.value }

    func keyLocation(_ key: String) -> SourceLocation { entries.last { $0.key == key }?.keyLocation ?? location }

    func string(_ key: String) throws(LessonError) -> String? {
        guard let v = value(key) else { return nil }
        return try Self.string(v, key: key)
    }

    func int(_ key: String) throws(LessonError) -> Int? {
        guard let v = value(key) else { return nil }
        return try Self.int(v, key: key)
    }

    func double(_ key: String) throws(LessonError) -> Double? {
        guard let v = value(key) else { return nil }
        return try Self.double(v, key: key)
    }

    func bool(_ key: String) throws(LessonError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .scalar(let s, false, _) = v, let b = ["true": true, "false": false, "yes": true, "no": false][s.lowercased()] else {
            throw LessonError(v.location, "'\(key)' must be true or false", hint: "write \(key): true")
        }
        return b
    }

    func list(_ key: String) throws(LessonError) -> [YAMLValue]? {
        guard let v = value(key) else { return nil }
        if case .sequence(let items, _) = v { return items }
        if case .scalar = v { return [v] }  // a single value stands for a one-element list
        throw LessonError(v.location, "'\(key)' must be a list like [a, b]", hint: "write \(key): [a, b]")
    }

    func intList(_ key: String) throws(LessonError) -> [Int]? {
        guard let items = try list(key) else { return nil }
        var out: [Int] = []
        for item in items { out.append(try Self.int(item, key: key)) }
        return out
    }

    func doubleList(_ key: String) throws(LessonError) -> [Double]? {
        guard let items = try list(key) else { return nil }
        var out: [Double] = []
        for item in items { out.append(try Self.double(item, key: key)) }
        return out
    }

    func stringList(_ key: String) throws(LessonError) -> [String]? {
        guard let items = try list(key) else { return nil }
        var out: [String] = []
        for item in items { out.append(try Self.string(item, key: key)) }
        return out
    }

    /// A value from a fixed set of names, with a suggestion on a typo.
    func choice<T>(_ key: String, _ options: [String: T], what: String) throws(LessonError) -> T? {
        guard let v = value(key) else { return nil }
        let s = try Self.string(v, key: key)
        guard let chosen = options[s.lowercased()] else {
            throw LessonError(v.location, "unknown \(what) '\(s)'", hint: NearestName.hint(for: s, in: options.keys))
        }
        return chosen
    }

    static func string(_ v: YAMLValue, key: String) throws(LessonError) -> String {
        guard case .scalar(let s, _, _) = v else {
            throw LessonError(v.location, "'\(key)' must be a single value, got \(v.typeName)")
        }
        return s
    }

    static func int(_ v: YAMLValue, key: String) throws(LessonError) -> Int {
        guard case .scalar(let s, false, _) = v, let i = Int(s.replacingOccurrences(of: "_", with: "")) else {
            throw LessonError(v.location, "'\(key)' must be a whole number, got \(describe(v))", hint: "write e.g. \(key): 100")
        }
        return i
    }

    static func double(_ v: YAMLValue, key: String) throws(LessonError) -> Double {
        guard case .scalar(let s, false, _) = v, let d = Double(s.replacingOccurrences(of: "_", with: "")) else {
            throw LessonError(v.location, "'\(key)' must be a number, got \(describe(v))", hint: "write e.g. \(key): 0.1")
        }
        return d
    }

    private static func describe(_ v: YAMLValue) -> String {
        if case .scalar(let s, let quoted, _) = v { return quoted ? "the text \"\(s)\"" : "'\(s)'" }
        return v.typeName
    }
}
