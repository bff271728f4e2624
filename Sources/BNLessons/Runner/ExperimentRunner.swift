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
        // The variants run side by side: together they must fit the budget too (shared data counted once).
        var together = loaded.reduce(0) { MemoryEstimate.add($0, MemoryEstimate.dataBytes(train: $1.1.train, test: $1.1.test)) }
        for (config, (_, plan)) in zip(configs, plans) {
            guard let data = loaded.first(where: { $0.0 == plan.data })?.1 else { continue }
            let e = MemoryEstimate(config, trainCount: data.train.count, testCount: data.test.count, features: data.train.features)
            together = MemoryEstimate.add(together, e.total - e.data)
        }
        if together > MemoryEstimate.budget {
            throw RunError(experiment: spec.name, message: "its \(configs.count) runs together would need about \(MemoryEstimate.format(together)), more than bnlab's limit of \(MemoryEstimate.format(MemoryEstimate.budget)); use fewer or smaller variants")
        }
        let datasets = plans.map { plan in loaded.first { $0.0 == plan.1.data }?.1 }
        let variantsToRun = plans.map(\.0), finalConfigs = configs, seedsToRun = runSeeds
        let results = ResultSlots(count: plans.count)
        let interval = max(1, options.snapshotInterval)
        // One worker per core; each owns every `workers`-th variant and steps its variants in turn,
        // a slice of steps at a time, so every variant advances together (the live view shows all
        // of them moving) while each core stays busy. Each Trainer is created on, and only touched
        // by, its worker's thread; results don't depend on the scheduling.
        let workers = options.parallel ? max(1, min(plans.count, ProcessInfo.processInfo.activeProcessorCount)) : 1
        let slice = 10, variantCount = plans.count
        let work = { @Sendable (worker: Int) in
            var running: [(index: Int, trainer: Trainer)] = []
            for index in stride(from: worker, to: variantCount, by: workers) {
                guard let data = datasets[index],
                      let trainer = try? Trainer(config: finalConfigs[index], train: data.train, test: data.test) else { continue }
                running.append((index, trainer))
            }
            // A run's result: its record and what the report says about the variant.
            func finish(_ index: Int, _ trainer: Trainer) {
                results.set(index, VariantResult(name: variantsToRun[index].name, record: trainer.record,
                                                 plannedSteps: finalConfigs[index].steps,
                                                 mayDiverge: variantsToRun[index].mayDiverge, tables: [],
                                                 normalizations: finalConfigs[index].network.layers.map(\.normalizationKind),
                                                 seed: seedsToRun[index], base: spec.sweep == nil ? nil : variantsToRun[index].base,
                                                 sweepValue: variantsToRun[index].sweepValue))
            }
            while !running.isEmpty && !(cancel?.isCancelled ?? false) {
                for (index, trainer) in running {
                    let variant = variantsToRun[index], config = finalConfigs[index]
                    for _ in 0..<slice where !trainer.isFinished && !(cancel?.isCancelled ?? false) {
                        trainer.step()
                        if trainer.stepsDone % interval == 0 || trainer.isFinished {
                            progress?(VariantSnapshot(experiment: spec.name, variant: variant.name, stepsDone: trainer.stepsDone,
                                                      totalSteps: config.steps, record: trainer.record, seed: seedsToRun[index]))
                        }
                    }
                }
                // A finished run keeps only its result: its trainer (network, optimizer, buffers) is freed now,
                // not when the worker's last run ends.
                for (index, trainer) in running where trainer.isFinished { finish(index, trainer) }
                running.removeAll { $0.trainer.isFinished }
            }
            for (index, trainer) in running { finish(index, trainer) }  // cancelled part-way
        }
        if workers > 1 {
            DispatchQueue.concurrentPerform(iterations: workers, execute: work)
        } else {
            work(0)
        }
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
