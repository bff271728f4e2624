// Runs an experiment's variants: loads data once, trains each variant on its own thread, reports
// snapshots and honours a cancel flag. Knows nothing of terminals; the app and headless both call it.

import BNData
import BNEngine
import Foundation

public enum ExperimentRunner {
    /// Runs every variant of `spec`.
    ///
    /// `progress` gets a snapshot of a variant every `options.snapshotInterval` steps and at its end,
    /// possibly from several threads at once. Variants share the data and the seed.
    public static func run(_ spec: ExperimentSpec, options: RunOptions = RunOptions(), cancel: CancellationFlag? = nil,
                           progress: (@Sendable (VariantSnapshot) -> Void)? = nil) throws(RunError) -> ExperimentResult {
        let tweaked = options.knobs.isTweaked
        switch spec.kind {
        case .transform:
            let variants = spec.variants.compactMap { variant -> VariantResult? in
                guard case .transform(let plan) = variant.plan else { return nil }
                let (record, tables) = TransformRun.run(plan)
                progress?(VariantSnapshot(experiment: spec.name, variant: variant.name, stepsDone: 0, totalSteps: 0, record: record))
                return VariantResult(name: variant.name, record: record, plannedSteps: 0, mayDiverge: false, tables: tables)
            }
            return ExperimentResult(name: spec.name, kind: spec.kind, variants: variants, tweaked: tweaked, cancelled: false)
        case .batchNoise:
            var variants: [VariantResult] = []
            for variant in spec.variants {
                guard case .batchNoise(let plan) = variant.plan else { continue }
                let (record, tables) = try BatchNoiseRun.run(plan, experiment: spec.name, seedOffset: options.seedOffset)
                progress?(VariantSnapshot(experiment: spec.name, variant: variant.name, stepsDone: 0, totalSteps: 0, record: record))
                variants.append(VariantResult(name: variant.name, record: record, plannedSteps: 0, mayDiverge: false, tables: tables))
            }
            return ExperimentResult(name: spec.name, kind: spec.kind, variants: variants, tweaked: tweaked, cancelled: false)
        case .train:
            return try runTraining(spec, options: options, cancel: cancel, progress: progress, tweaked: tweaked)
        }
    }

    private static func runTraining(_ spec: ExperimentSpec, options: RunOptions, cancel: CancellationFlag?,
                                    progress: (@Sendable (VariantSnapshot) -> Void)?, tweaked: Bool) throws(RunError) -> ExperimentResult {
        // Plans after scale, seed and knobs: one per variant, or per variant and seed with `seeds`
        // (the run at seed s is the variant written with `seed: s`).
        var plans: [(VariantSpec, TrainPlan)] = []
        var runSeeds: [UInt64?] = []
        for variant in spec.variants {
            guard case .train(var plan) = variant.plan else { continue }
            plan = plan.scaled(by: options.scale)
            for seed in spec.seeds.isEmpty ? [nil] : spec.seeds.map(Optional.some) {
                var run = plan
                if let seed {
                    run.config.seed = seed
                    run.data.seed = seed
                }
                run.config.seed &+= options.seedOffset
                run.data.seed &+= options.seedOffset
                run.config = options.knobs.applied(to: run.config)
                plans.append((variant, run))
                runSeeds.append(seed)
            }
        }
        // Data: loaded once per distinct request (usually one per experiment), shared by the variants.
        var loaded: [(DataRequest, (train: Dataset, test: Dataset))] = []
        var configs: [TrainingConfig] = []
        for (variant, plan) in plans {
            let data: (train: Dataset, test: Dataset)
            if let hit = loaded.first(where: { $0.0 == plan.data }) {
                data = hit.1
            } else {
                do {
                    data = try DataCatalog.load(plan.data)
                } catch {
                    throw RunError(experiment: spec.name, message: "cannot load \(plan.data.dataset): \(error)")
                }
                loaded.append((plan.data, data))
            }
            let config = plan.config(features: data.train.features, classes: data.train.classes)
            do {
                try config.validate(trainCount: data.train.count, features: data.train.features, classes: data.train.classes,
                                     testCount: data.test.count)
            } catch {
                throw RunError(experiment: spec.name, message: "variant '\(variant.name)': \(error)")
            }
            configs.append(config)
        }
        // One worker per core.
        let workers = options.parallel ? max(1, min(plans.count, ProcessInfo.processInfo.activeProcessorCount)) : 1
        // The variants run side by side: together they must fit the budget too (shared data counted once,
        // the kernel's scratch once per worker).
        var together = loaded.reduce(0) { MemoryEstimate.add($0, MemoryEstimate.dataBytes(train: $1.1.train, test: $1.1.test)) }
        together = MemoryEstimate.add(together, MemoryEstimate.mul(workers, KernelShape.scratchBytesPerThread))
        for (config, (_, plan)) in zip(configs, plans) {
            guard let data = loaded.first(where: { $0.0 == plan.data })?.1 else { continue }
            let e = MemoryEstimate(config, trainCount: data.train.count, testCount: data.test.count, features: data.train.features)
            together = MemoryEstimate.add(together, e.total - e.data - e.scratch)
        }
        if together > MemoryEstimate.budget {
            throw RunError(experiment: spec.name, message: "its \(configs.count) runs together would need about \(MemoryEstimate.format(together)), more than bnlab's limit of \(MemoryEstimate.format(MemoryEstimate.budget)); use fewer or smaller variants")
        }
        let datasets = plans.map { plan in loaded.first { $0.0 == plan.1.data }?.1 }
        let variantsToRun = plans.map(\.0), finalConfigs = configs, seedsToRun = runSeeds
        let results = ResultSlots(count: plans.count)
        let interval = max(1, options.snapshotInterval)
        // The runs wait in a pool (RunPool.swift); a worker takes the run furthest behind (the
        // smallest share of its steps done) that no other worker holds, trains it a slice of steps and
        // puts it back. So every run advances together (the live view shows all of them moving), and
        // both cores stay busy until a single run is left, whatever the number of runs or their cost
        // per step. (Each worker used to own every second run: with 3 runs of equal cost one core idled
        // for a third of the time.) A run is only ever stepped by one worker at a time, in order, so its
        // numbers do not depend on the scheduling.
        let slice = 10
        let pool = RunPool(plannedSteps: finalConfigs.map(\.steps))
        // A run's result: its record and what the report says about the variant.
        let finish = { @Sendable (index: Int, trainer: Trainer) in
            results.set(index, VariantResult(name: variantsToRun[index].name, record: trainer.record,
                                             plannedSteps: finalConfigs[index].steps,
                                             mayDiverge: variantsToRun[index].mayDiverge, tables: [],
                                             normalizations: finalConfigs[index].network.layers.map(\.normalizationKind),
                                             seed: seedsToRun[index], base: spec.sweep == nil ? nil : variantsToRun[index].base,
                                             sweepValue: variantsToRun[index].sweepValue))
        }
        let work = { @Sendable (_: Int) in
            while !(cancel?.isCancelled ?? false), let taken = pool.take() {
                let (index, held) = taken
                guard let trainer = held ?? datasets[index].flatMap({ try? Trainer(config: finalConfigs[index], train: $0.train, test: $0.test) }) else {
                    pool.putBack(index, nil, stepsDone: 0, finished: true)
                    continue
                }
                let variant = variantsToRun[index], config = finalConfigs[index]
                for _ in 0..<slice where !trainer.isFinished && !(cancel?.isCancelled ?? false) {
                    trainer.step()
                    if trainer.stepsDone % interval == 0 || trainer.isFinished {
                        progress?(VariantSnapshot(experiment: spec.name, variant: variant.name, stepsDone: trainer.stepsDone,
                                                  totalSteps: config.steps, record: trainer.record, seed: seedsToRun[index]))
                    }
                }
                if trainer.isFinished {
                    // A finished run keeps only its result: its trainer (network, optimizer, buffers) is freed now.
                    finish(index, trainer)
                    pool.putBack(index, nil, stepsDone: trainer.stepsDone, finished: true)
                } else {
                    pool.putBack(index, trainer, stepsDone: trainer.stepsDone, finished: false)
                }
            }
        }
        if workers > 1 {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        } else {
            work(0)
        }
        for (index, trainer) in pool.unfinished { finish(index, trainer) }  // cancelled part-way
        let variants = results.all
        return ExperimentResult(name: spec.name, kind: spec.kind, variants: variants, tweaked: tweaked,
                                cancelled: cancel?.isCancelled ?? false, seeds: spec.seeds, sweep: spec.sweep)
    }
}

/// One slot per variant, filled from several threads.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [VariantResult?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: VariantResult) { lock.withLock { slots[index] = result } }

    var all: [VariantResult] { lock.withLock { slots.compactMap { $0 } } }
}
