// What tells an experiment's variants apart, for the dashboard: which variants differ only by their
// seed (one column, one line: their mean), and whether the variants sweep one numeric setting
// (then the sweep view plots the metric against it, one line per group).
//
// `of(_:)` takes them from the experiment's `seeds:` and `sweep:` (issue 12) where it declares them;
// otherwise `inferred(from:)` reads them off the variants' training settings: the seed is the only
// difference → same column; exactly one of learning rate, batch size and steps takes three or more
// values → a sweep over it, grouped by everything else.

import BNEngine
import BNLessons

public struct VariantDimensions: Sendable, Equatable {
    /// The swept setting ("learning_rate"), or nil when the variants are not a sweep.
    public var sweptName: String?
    /// Per variant, in the experiment's order: its group (a sweep chart's line, e.g. "plain").
    public var groups: [String]
    /// Per variant: its value of the swept setting (nil when not a sweep).
    public var sweptValues: [Double?]
    /// Variants that differ only by seed, in order of first appearance: indices into the variants.
    public var columns: [[Int]]
    /// Each column's name: the common part of its variants' names (the name itself for one variant).
    public var columnNames: [String]

    public init(sweptName: String?, groups: [String], sweptValues: [Double?], columns: [[Int]], columnNames: [String]) {
        self.sweptName = sweptName
        self.groups = groups
        self.sweptValues = sweptValues
        self.columns = columns
        self.columnNames = columnNames
    }

    /// Every variant its own column, no sweep: what a dashboard shows without dimensions.
    public static func plain(_ names: [String]) -> VariantDimensions {
        VariantDimensions(sweptName: nil, groups: names, sweptValues: names.map { _ in nil },
                          columns: names.indices.map { [$0] }, columnNames: names)
    }

    public var isSweep: Bool { sweptName != nil }
    /// The most seeds any column merges (1 when none does).
    public var seedsPerColumn: Int { columns.map(\.count).max() ?? 1 }

    /// The dimensions of `experiment`'s runs (variant by variant, each once per seed, as the
    /// runner orders them): its `sweep` and `seeds` where it declares them; otherwise read off the
    /// variants' settings (`inferred(from:)`).
    public static func of(_ experiment: ExperimentSpec) -> VariantDimensions {
        let seeds = max(1, experiment.seeds.count)
        var d = inferred(from: experiment)
        if let sweep = experiment.sweep {
            d.sweptName = sweep.name
            d.groups = experiment.variants.map(\.base)
            d.sweptValues = experiment.variants.map(\.sweepValue)
        }
        guard seeds > 1 else { return d }
        // Each variant's runs are `seeds` consecutive runs: one column, the mean of its seeds.
        return VariantDimensions(
            sweptName: d.sweptName, groups: d.groups.flatMap { Array(repeating: $0, count: seeds) },
            sweptValues: d.sweptValues.flatMap { Array(repeating: $0, count: seeds) },
            columns: d.columns.map { members in members.flatMap { v in (v * seeds)..<((v + 1) * seeds) } },
            columnNames: d.columnNames)
    }

    /// The dimensions read off `experiment`'s variants (see the file comment); `plain` for an
    /// experiment that does not train.
    public static func inferred(from experiment: ExperimentSpec) -> VariantDimensions {
        let names = experiment.variantNames
        let configs = experiment.variants.compactMap { v -> TrainingConfig? in
            if case .train(let plan) = v.plan { return plan.config } else { return nil }
        }
        guard configs.count == names.count, !configs.isEmpty else { return plain(names) }

        // Columns: equal settings but for the seed.
        func unseeded(_ c: TrainingConfig) -> TrainingConfig {
            var c = c
            c.seed = 0
            return c
        }
        var columns: [[Int]] = []
        var columnConfigs: [TrainingConfig] = []
        for (i, config) in configs.enumerated() {
            let key = unseeded(config)
            if let c = columnConfigs.firstIndex(of: key) { columns[c].append(i) } else {
                columns.append([i])
                columnConfigs.append(key)
            }
        }
        let columnNames = columns.map { commonName($0.map { names[$0] }) }

        // A sweep: exactly one numeric setting with three or more values across the columns.
        let settings: [(String, (TrainingConfig) -> Double, (inout TrainingConfig) -> Void)] = [
            ("learning_rate", { Double($0.optimizer.learningRate) }, { $0.optimizer = $0.optimizer.with(learningRate: 0) }),
            ("batch_size", { Double($0.batchSize) }, { $0.batchSize = 0 }),
            ("steps", { Double($0.steps) }, { $0.steps = 0 }),
        ]
        let varying = settings.filter { setting in Set(columnConfigs.map { setting.1($0) }).count >= 3 }
        guard varying.count == 1, let (sweptName, value, clear) = varying.first else {
            return VariantDimensions(sweptName: nil, groups: names, sweptValues: names.map { _ in nil },
                                     columns: columns, columnNames: columnNames)
        }
        // Groups: columns equal in everything but the swept setting.
        var groupKeys: [TrainingConfig] = []
        var groupMembers: [[Int]] = []
        var groupOf = [Int](repeating: 0, count: names.count)
        for (c, config) in columnConfigs.enumerated() {
            var key = config
            clear(&key)
            let g: Int
            if let found = groupKeys.firstIndex(of: key) { g = found } else {
                g = groupKeys.count
                groupKeys.append(key)
                groupMembers.append([])
            }
            groupMembers[g] += columns[c]
            for v in columns[c] { groupOf[v] = g }
        }
        let groupNames = groupMembers.map { commonName($0.map { names[$0] }) }
        return VariantDimensions(sweptName: sweptName, groups: groupOf.map { groupNames[$0] },
                                 sweptValues: configs.map { value($0) }, columns: columns, columnNames: columnNames)
    }

    /// The common start of `names` up to a separator (`plain_lr0_1`, `plain_lr1` → `plain`); the
    /// first name when they share none, or when there is just one.
    static func commonName(_ names: [String]) -> String {
        guard let first = names.first else { return "" }
        guard names.count > 1 else { return first }
        var prefix = Array(first)
        for name in names.dropFirst() {
            let chars = Array(name)
            var n = 0
            while n < min(prefix.count, chars.count), prefix[n] == chars[n] { n += 1 }
            prefix = Array(prefix[..<n])
        }
        let separators: Set<Character> = ["_", "-", " ", "."]
        // Cut back to the last separator unless every name continues with one right here.
        let atBoundary = names.allSatisfy { name in name.count == prefix.count || separators.contains(Array(name)[prefix.count]) }
        if !atBoundary, let cut = prefix.lastIndex(where: { separators.contains($0) }) { prefix = Array(prefix[..<cut]) }
        while let last = prefix.last, separators.contains(last) { prefix.removeLast() }
        return prefix.isEmpty ? first : String(prefix)
    }
}
