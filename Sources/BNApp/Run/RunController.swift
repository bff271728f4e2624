// Runs one experiment through the lesson engine's `ExperimentRunner` on a background thread and
// hands the UI a throttled `RunSnapshot` of every variant's latest record. The UI never touches a
// trainer; it only reads snapshots out of this mailbox.
//
// Pause is a flag the runner's progress callback waits on (so every variant stops between two
// steps); cancel sets the runner's `CancellationFlag` and wakes a paused run. Leaves out choosing
// what to run: `AppState` decides, the host passes the spec and options here.

import BNEngine
import BNLessons
import Foundation

/// The training thread's side of a run, and the flags the UI sets.
///
/// NOTE: `@unchecked Sendable` is safe because every stored mutable property is read and written
/// only while holding `lock`; the engine's trainers stay inside `ExperimentRunner`'s threads.
public final class RunController: @unchecked Sendable {
    private let lock = NSCondition()
    private let cancelFlag = CancellationFlag()
    private var pending: RunSnapshot?
    private var pausedFlag = false
    private var published = 0
    // The training thread's view of the run, guarded by `lock`.
    private var latest: [String: (steps: Int, record: RunRecord)] = [:]
    private var lastPublish = Date.distantPast
    private var kept: [String: Date] = [:]
    private var trainingStart: Date?
    private var pausedSeconds = 0.0
    private var pauseStart: Date?
    /// One per run: the variant's name, and its seed key (`name#seed` with `seeds`).
    private var names: [String] = []
    private var runKeys: [String] = []
    private var plannedSteps = 0
    private var runStart = Date()

    /// Seconds between two snapshots handed to the UI.
    public let publishInterval: Double

    public init(publishInterval: Double = 0.05) {
        self.publishInterval = publishInterval
    }

    /// Starts running `spec` with `options` on a new thread. `plannedSteps` is the total over
    /// variants (for the progress line; 0 for kinds that do not train).
    public func start(_ spec: ExperimentSpec, options: RunOptions) {
        lock.lock()
        (names, runKeys) = Self.runs(spec)
        plannedSteps = Self.plannedSteps(spec, options: options)
        runStart = Date()
        lock.unlock()
        publish(force: true, phase: .loading)
        let thread = Thread { [self] in run(spec, options: options) }
        thread.name = "bnlab training"
        thread.qualityOfService = .userInitiated
        thread.start()
    }

    /// Steps every run of `spec` will train, summed, after `options`' scale and knobs.
    public static func plannedSteps(_ spec: ExperimentSpec, options: RunOptions) -> Int {
        spec.variants.reduce(0) { total, variant in
            guard case .train(let plan) = variant.plan else { return total }
            return total + options.knobs.applied(to: plan.scaled(by: options.scale).config).steps * max(1, spec.seeds.count)
        }
    }

    /// The runs of `spec` in the runner's order (variant by variant, each once per seed): their
    /// variant names, and keys that tell a variant's seeds apart.
    public static func runs(_ spec: ExperimentSpec) -> (names: [String], keys: [String]) {
        let seeds: [UInt64?] = spec.seeds.isEmpty ? [nil] : spec.seeds.map(Optional.some)
        let runs = spec.variantNames.flatMap { name in seeds.map { (name, key(name, $0)) } }
        return (runs.map(\.0), runs.map(\.1))
    }

    static func key(_ name: String, _ seed: UInt64?) -> String { seed.map { "\(name)#\($0)" } ?? name }

    /// The newest snapshot since the last call, or nil if none arrived.
    public func takeSnapshot() -> RunSnapshot? {
        lock.lock()
        defer { lock.unlock() }
        let s = pending
        pending = nil
        return s
    }

    /// Snapshots published so far (for tests and stats).
    public var publishedCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return published
    }

    public var isPaused: Bool {
        lock.lock()
        defer { lock.unlock() }
        return pausedFlag
    }

    public func setPaused(_ paused: Bool) {
        lock.lock()
        if paused != pausedFlag {
            pausedFlag = paused
            if paused { pauseStart = Date() } else if let p = pauseStart { pausedSeconds += Date().timeIntervalSince(p); pauseStart = nil }
        }
        lock.broadcast()
        lock.unlock()
        if paused { publish(force: true, phase: .paused) }
    }

    /// Asks the run to stop after the current step; it publishes a `.cancelled` snapshot.
    public func cancel() {
        cancelFlag.cancel()
        lock.lock()
        lock.broadcast()
        lock.unlock()
    }

    private func run(_ spec: ExperimentSpec, options: RunOptions) {
        let result: ExperimentResult
        do {
            result = try ExperimentRunner.run(spec, options: options, cancel: cancelFlag) { [self] snapshot in
                progress(snapshot)
            }
        } catch {
            publish(force: true, phase: .failed(error.message))
            return
        }
        lock.lock()
        for v in result.variants {
            latest[Self.key(v.name, v.seed)] = (v.record.steps, v.record)
        }
        lock.unlock()
        if let failed = result.variants.first(where: \.failedUnexpectedly), let failure = failed.failure {
            publish(force: true, phase: .failed("variant '\(failed.name)' diverged: \(failure)"), result: result)
        } else {
            publish(force: true, phase: result.cancelled ? .cancelled : .finished, result: result)
        }
    }

    /// The runner's callback, on a variant's thread: keeps a variant's record at most every
    /// `publishInterval`, publishes as often, and blocks here while paused.
    private func progress(_ snapshot: VariantSnapshot) {
        lock.lock()
        let now = Date()
        if trainingStart == nil { trainingStart = now }
        // NOTE: a kept snapshot shares the trainer's arrays, so the trainer's next append copies them.
        // Keeping one per variant every `publishInterval`, not every step, keeps that copying rare.
        let finished = snapshot.stepsDone >= snapshot.totalSteps
        let run = Self.key(snapshot.variant, snapshot.seed)
        if finished || now.timeIntervalSince(kept[run] ?? .distantPast) >= publishInterval {
            latest[run] = (snapshot.stepsDone, snapshot.record)
            kept[run] = now
        }
        let due = now.timeIntervalSince(lastPublish) >= publishInterval
        while pausedFlag && !cancelFlag.isCancelled { lock.wait() }
        lock.unlock()
        if due { publish(force: false, phase: .training) }
    }

    private func publish(force: Bool, phase: RunPhase, result: ExperimentResult? = nil) {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        if !force && now.timeIntervalSince(lastPublish) < publishInterval { return }
        lastPublish = now
        let records = runKeys.map { latest[$0]?.record ?? RunRecord() }
        let steps = runKeys.reduce(0) { $0 + (latest[$1]?.steps ?? 0) }
        var paused = pausedSeconds
        if let p = pauseStart { paused += now.timeIntervalSince(p) }
        let elapsed = trainingStart.map { max(0, now.timeIntervalSince($0) - paused) } ?? 0
        let load = (trainingStart ?? now).timeIntervalSince(runStart)
        var shown = phase
        if pausedFlag && phase == .training { shown = .paused }
        pending = RunSnapshot(phase: shown, variantNames: names, records: records, stepsDone: steps,
                              totalSteps: plannedSteps, elapsed: elapsed, loadSeconds: load, result: result)
        published += 1
    }
}
