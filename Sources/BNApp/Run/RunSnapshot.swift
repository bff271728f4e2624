// What the UI knows about a run: copies of the variants' records plus progress and timing, and the
// lesson engine's `ExperimentResult` once the run ends. A value type, handed from the training
// thread to the UI thread through `RunController`.

import BNEngine
import BNLessons

/// Where a run is.
public enum RunPhase: Sendable, Equatable {
    case loading
    case training
    case paused
    case finished
    case cancelled
    /// Data or config could not be loaded; the message says what to fix.
    case failed(String)

    public var isActive: Bool { self == .loading || self == .training || self == .paused }
}

/// One moment of a run, as the dashboard draws it.
public struct RunSnapshot: Sendable {
    public var phase: RunPhase
    /// Variant names, in the experiment's order.
    public var variantNames: [String]
    /// Each variant's record (empty until its trainer exists).
    public var records: [RunRecord]
    /// Steps done, summed over variants, and the total to do.
    public var stepsDone: Int
    public var totalSteps: Int
    /// Seconds spent training (pauses and data loading excluded).
    public var elapsed: Double
    /// Seconds spent loading data and building networks.
    public var loadSeconds: Double
    /// What claims, plots and predictions read: set when the run has finished.
    public var result: ExperimentResult?

    public init(phase: RunPhase, variantNames: [String], records: [RunRecord], stepsDone: Int, totalSteps: Int,
                elapsed: Double, loadSeconds: Double = 0, result: ExperimentResult? = nil) {
        self.phase = phase
        self.variantNames = variantNames
        self.records = records
        self.stepsDone = stepsDone
        self.totalSteps = totalSteps
        self.elapsed = elapsed
        self.loadSeconds = loadSeconds
        self.result = result
    }

    /// Training steps per second over the run so far (all variants together).
    public var stepsPerSecond: Double { elapsed > 0 ? Double(stepsDone) / elapsed : 0 }

}
