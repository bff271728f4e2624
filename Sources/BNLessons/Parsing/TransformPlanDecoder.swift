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
                for item in items {
                    let value = Float(try MappingReader.double(item, key: "batch"))
                    guard value.isFinite else {
                        throw LessonError(item.location, "'batch' values must be finite numbers", hint: "write e.g. - [1.0, 20, -3]")
                    }
                    values.append(value)
                }
                if let first = rows.first, first.count != values.count {
                    throw LessonError(row.location, "this row has \(values.count) features, the first row has \(first.count)",
                                      hint: "every example needs the same number of features")
                }
                rows.append(values)
            }
        } else {
            let m = try r.int("examples") ?? 4, n = try r.int("features") ?? 3
            for (key, value) in [("examples", m), ("features", n)] where !(1...100).contains(value) {
                throw LessonError(r.value(key)?.location ?? r.location, "'\(key)' must be in 1…100 (got \(value))",
                                  hint: "a hand-worked batch is small, e.g. examples: 4, features: 3")
            }
            // Feature j has its own centre and spread, so normalizing visibly changes every column.
            var stream = SplitMix64.stream(seed: try TrainPlanDecoder.decodeSeed(r), 0x7A5F)
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
        guard epsilon.isFinite, epsilon > 0 else {
            throw LessonError(r.value("epsilon")?.location ?? r.location, "'epsilon' must be a positive number (got \(epsilon))",
                              hint: "PyTorch's default is epsilon: 1e-5")
        }
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
        let values = list.map(Float.init)
        guard values.allSatisfy(\.isFinite) else {
            throw LessonError(r.value(key)?.location ?? r.location, "'\(key)' values must be finite numbers", hint: "write e.g. \(key): [1, 1, 1]")
        }
        return values
    }
}
