// "Did you mean …?": the closest known name to a typo, by edit distance.

enum NearestName {
    /// The candidate closest to `name` (Levenshtein distance, ties by order), if it is plausibly a typo.
    static func suggestion(for name: String, in candidates: some Sequence<String>) -> String? {
        let lowered = Array(name.lowercased())
        var best: (name: String, distance: Int)?
        for candidate in candidates.sorted() {
            let d = distance(lowered, Array(candidate.lowercased()))
            if d < (best?.distance ?? Int.max) { best = (candidate, d) }
        }
        guard let best else { return nil }
        // A typo changes at most about a third of the letters.
        return best.distance <= max(2, lowered.count / 3) ? best.name : nil
    }

    /// A hint naming the nearest candidate, or listing them all when none is close.
    static func hint(for name: String, in candidates: some Sequence<String>) -> String {
        if let s = suggestion(for: name, in: candidates) { return "did you mean '\(s)'?" }
        return "known: " + candidates.sorted().joined(separator: ", ")
    }

    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
