// Decodes a transform experiment: a small batch given as numbers, or drawn from the seed.

import BNEngine

enum TransformPlanDecoder {
    static let keys = ["batch", "examples", "features", "epsilon", "gamma", "beta"]

    static func decode(_ r: MappingReader) throws(LessonError) -> TransformPlan {
        var rows: [[Float]] = []
        if let batch = try r.list("batch") {
            for row in batch {
                guard case .sequence(let items, _) = row else {
                    throw LessonError(row.location, "each row of 'batch' must be a list of numbers", hint: "write - [1.0, 20, -3]")
                }
                var values: [Float] = []
                for item in items { values.append(Float(try MappingReader.double(item, key: "batch"))) }
                if let first = rows.first, first.count != values.count {
                    throw LessonError(row.location, "this row has \(values.count) features, the first row has \(first.count)",
                                      hint: "every example needs the same number of features")
                }
                rows.append(values)
            }
        } else {
            let m = try r.int("examples") ?? 4, n = try r.int("features") ?? 3
            guard m >= 1, n >= 1, m * n <= 10_000 else {
                throw LessonError(r.location, "'examples' and 'features' must be at least 1 (and small)")
            }
            // Feature j has its own centre and spread, so normalizing visibly changes every column.
            var stream = SplitMix64.stream(seed: UInt64(max(0, try r.int("seed") ?? 1)), 0x7A5F)
            for _ in 0..<m {
                var row: [Float] = []
                for j in 0..<n {
                    let centre = Float(4 * j - 3), spread = Float(j + 1)
                    let value: Float = stream.normal(mean: centre, std: spread)
                    row.append((value * 100).rounded() / 100)
                }
                rows.append(row)
            }
        }
        let m = rows.count, n = rows.first?.count ?? 0
        guard n > 0 else { throw LessonError(r.location, "the batch has no features") }
        guard m >= 2 else {
            throw LessonError(r.value("batch")?.location ?? r.location,
                              "BN needs at least 2 examples per batch: the variance of one example is undefined",
                              hint: "add a second example")
        }
        let epsilon = Float(try r.double("epsilon") ?? 1e-5)
        guard epsilon > 0 else { throw LessonError(r.keyLocation("epsilon"), "'epsilon' must be positive") }
        let gamma = try perFeature(r, "gamma", n: n, default: 1)
        let beta = try perFeature(r, "beta", n: n, default: 0)
        return TransformPlan(batch: rows.flatMap { $0 }, examples: m, features: n, epsilon: epsilon, gamma: gamma, beta: beta)
    }

    private static func perFeature(_ r: MappingReader, _ key: String, n: Int, default value: Float) throws(LessonError) -> [Float] {
        guard let list = try r.doubleList(key) else { return Array(repeating: value, count: n) }
        guard list.count == n else {
            throw LessonError(r.keyLocation(key), "'\(key)' has \(list.count) values for \(n) features",
                              hint: "\(key) is a per-feature vector: one value per feature, not per example")
        }
        return list.map(Float.init)
    }
}
