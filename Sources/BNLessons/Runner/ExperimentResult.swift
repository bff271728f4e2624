// What running an experiment produced: each variant's record, and whether the run counts.

import BNEngine

/// A small table of numbers an experiment shows (a transform's x, μ, σ², x̂, y).
public struct NumberTable: Sendable, Equatable {
    public var title: String
    public var columns: [String]
    public var rows: [Row]

    public struct Row: Sendable, Equatable {
        public var label: String
        public var values: [Double]
    }
}

/// One variant's outcome.
public struct VariantResult: Sendable {
    public var name: String
    public var record: RunRecord
    /// The steps it was asked to run (after scale and overrides).
    public var plannedSteps: Int
    public var mayDiverge: Bool
    public var tables: [NumberTable]
    /// Each layer's normalization (index 0 is layer 1), nil where it has none: what plot labels name.
    public var normalizations: [NormalizationKind?] = []
    /// The seed of this run as the experiment's `seeds` lists it (before `--seed`'s offset); nil when the
    /// experiment has no `seeds` (one run per variant). Runs of one variant share `name` and differ here.
    public var seed: UInt64? = nil
    /// The variant as written before a sweep (`bn` for `bn_lr0_01`), and the swept value; nil without a sweep.
    public var base: String? = nil
    public var sweepValue: Double? = nil

    /// Divergence to NaN/Inf, if it happened.
    public var failure: TrainingFailure? { record.failure }
    /// A divergence the lesson did not expect.
    public var failedUnexpectedly: Bool { failure != nil && !mayDiverge }
}

/// One experiment's outcome.
public struct ExperimentResult: Sendable {
    public var name: String
    public var kind: ExperimentKind
    public var variants: [VariantResult]
    /// Knobs were turned: the lesson's claims do not apply, so they are "not judged".
    public var tweaked: Bool
    /// Stopped by the cancel flag before every variant finished.
    public var cancelled: Bool
    /// The experiment's `seeds` (as written): each variant ran once per seed. Empty: once per variant.
    public var seeds: [UInt64] = []
    /// The experiment's sweep, if any.
    public var sweep: Sweep? = nil

    /// The run of `name` (the first seed's, for a multi-seed variant: use ``runs(named:)`` for all).
    public func variant(named name: String) -> VariantResult? { variants.first { $0.name == name } }

    /// Every run of variant `name`, in seed order (one unless the experiment has `seeds`).
    public func runs(named name: String) -> [VariantResult] { variants.filter { $0.name == name } }

    /// The variant names, each once, in run order.
    public var variantNames: [String] {
        var seen = Set<String>()
        return variants.compactMap { seen.insert($0.name).inserted ? $0.name : nil }
    }
}

/// A run that could not happen (data missing, knobs out of range).
public struct RunError: Error, Sendable, CustomStringConvertible {
    public var experiment: String
    public var message: String

    public var description: String { "experiment '\(experiment)': \(message)" }
}

/// What the app sees while an experiment runs.
public struct VariantSnapshot: Sendable {
    public var experiment: String
    public var variant: String
    public var stepsDone: Int
    public var totalSteps: Int
    /// The record so far (a copy; the runner keeps going).
    public var record: RunRecord
    /// Which seed of a multi-seed variant this is (as in ``VariantResult/seed``); nil for single-seed experiments.
    public var seed: UInt64? = nil
}
