// Trains an experiment's variants on a background thread and hands copies of their records to the
// UI at a throttled rate. The UI never touches a `Trainer` (it is not thread-safe); it only reads
// `RunSnapshot` values out of the mailbox. Leaves out running variants on several threads: the
// machine has two cores and one of them draws the screen.

import BNEngine
import Foundation

/// Builds a variant's trainer (loads its data); injected so this module needs no data layer.
public typealias TrainerFactory = @Sendable (AppVariant) throws -> Trainer

/// The training thread's side of a run, and the flags the UI sets.
///
/// NOTE: `@unchecked Sendable` is safe here because every stored mutable property is read and
/// written only while holding `lock`; the `Trainer`s live in the thread's local variables and never
/// leave it.
public final class RunController: @unchecked Sendable {
    private let lock = NSCondition()
    private var pending: RunSnapshot?
    private var pausedFlag = false
    private var cancelledFlag = false
    private var published = 0

    /// Seconds between two snapshots handed to the UI.
    public let publishInterval: Double

    public init(publishInterval: Double = 0.05) {
        self.publishInterval = publishInterval
    }

    /// Starts training `variants` round-robin (one step of each in turn, so they advance together)
    /// on a new thread.
    public func start(_ variants: [AppVariant], factory: @escaping TrainerFactory) {
        let thread = Thread { [self] in train(variants, factory: factory) }
        thread.name = "bnlab training"
        thread.qualityOfService = .userInitiated
        thread.start()
    }

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
        pausedFlag = paused
        lock.broadcast()
        lock.unlock()
    }

    /// Asks the thread to stop after its current step; it publishes a `.cancelled` snapshot.
    public func cancel() {
        lock.lock()
        cancelledFlag = true
        lock.broadcast()
        lock.unlock()
    }

    private func publish(_ snapshot: RunSnapshot) {
        lock.lock()
        pending = snapshot
        published += 1
        lock.unlock()
    }

    /// Blocks while paused. Returns false once cancelled.
    private func waitWhilePaused() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        while pausedFlag && !cancelledFlag { lock.wait() }
        return !cancelledFlag
    }

    private var isCancelled: Bool {
        lock.lock()
        defer { lock.unlock() }
        return cancelledFlag
    }

    private func train(_ variants: [AppVariant], factory: TrainerFactory) {
        let names = variants.map(\.name)
        let total = variants.reduce(0) { $0 + $1.config.steps }
        var records = Array(repeating: RunRecord(), count: variants.count)
        publish(RunSnapshot(phase: .loading, variantNames: names, records: records, stepsDone: 0, totalSteps: total, elapsed: 0))

        let loadStart = Date()
        var trainers: [Trainer] = []
        do {
            for v in variants {
                if isCancelled { break }
                trainers.append(try factory(v))
            }
        } catch {
            publish(RunSnapshot(phase: .failed("\(error)"), variantNames: names, records: records, stepsDone: 0,
                                totalSteps: total, elapsed: 0))
            return
        }
        let loadSeconds = Date().timeIntervalSince(loadStart)
        records = trainers.map(\.record)

        var elapsed = 0.0
        var segmentStart = Date()
        var lastPublish = Date.distantPast
        func snapshot(_ phase: RunPhase, now: Date) -> RunSnapshot {
            let running = phase == .training ? now.timeIntervalSince(segmentStart) : 0
            return RunSnapshot(phase: phase, variantNames: names, records: trainers.map(\.record),
                               stepsDone: trainers.reduce(0) { $0 + $1.stepsDone }, totalSteps: total,
                               elapsed: elapsed + running, loadSeconds: loadSeconds)
        }
        while trainers.contains(where: { !$0.isFinished }) {
            if isPaused {
                elapsed += Date().timeIntervalSince(segmentStart)
                publish(snapshot(.paused, now: Date()))
                guard waitWhilePaused() else { break }
                segmentStart = Date()
            }
            if isCancelled { break }
            for trainer in trainers where !trainer.isFinished { trainer.step() }
            let now = Date()
            if now.timeIntervalSince(lastPublish) >= publishInterval {
                publish(snapshot(.training, now: now))
                lastPublish = now
            }
        }
        let now = Date()
        if !isPaused { elapsed += now.timeIntervalSince(segmentStart) }
        segmentStart = now
        publish(snapshot(isCancelled ? .cancelled : .finished, now: now))
    }
}
