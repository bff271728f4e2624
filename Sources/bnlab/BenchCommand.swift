// `bnlab bench`: training throughput of the Ioffe & Szegedy Fig. 1 network, the figure issue 7 tracks.

import ArgumentParser
import BNData
import CAllocationCounter
import BNEngine
import BNLessons
import BNPlots
import BNTools
import Dispatch
import Foundation

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time training steps of the 784-100-100-100-10 sigmoid network (batch 60, SGD), plain and with BN.",
        discussion: """
        Measure in a release build (swift run -c release bnlab bench). To compare with another framework, \
        time the same network, batch and optimizer there in the same sitting and report the ratio of medians.
        """
    )

    @Option(parsing: .unconditional, help: "Timed steps per repeat (1…1,000,000).") var steps = 3000
    @Option(parsing: .unconditional, help: "Repeats; the median is reported (1…100).") var repeats = 3
    @Option(parsing: .unconditional, help: "Timed steps of the deep net 32 × 256 with BN (64 × 512 gets a quarter); 0 skips both (0…100,000).")
    var deepSteps = 100
    @Flag(help: "Print the figures as JSON.") var json = false
    @Option(help: "Also time a full-scale headless run of this lesson (default: the Ioffe & Szegedy reproduction, if present; 'none' to skip).")
    var lesson: String?

    struct Figures: Codable {
        var plainStepsPerSecond: Double
        var bnStepsPerSecond: Double
        /// Two seeds of the BN network: steps per second (set-up, warm-up and evaluations included) as an
        /// experiment with `seeds: [0, 1]` runs them, one worker per core, and one after the other.
        var twoVariantsParallelStepsPerSecond: Double
        var twoVariantsSequentialStepsPerSecond: Double
        /// Their ratio, the median over the repeats of each repeat's own ratio.
        var parallelSpeedup: Double
        /// The peak loop on as many threads as the two seeds got workers, against one thread
        /// (MachinePeak.scaling), measured beside them in every repeat, median: the most two runs that
        /// share nothing can gain here.
        var machineLoopScaling: Double
        /// How much longer the BN network's timed steps take with the peak loop busy on another core than
        /// without (0.04: 4% longer), alone–beside–beside–alone in every repeat, median: two runs side by
        /// side each pay it, so 2 / (1 + this) is about what two seeds at once can gain here (a model, as
        /// noisy as the machine: one repeat may beat it; nil on one core).
        var busyNeighbourSlowdown: Double?
        var cores: Int
        /// Heap allocations per training step after warm-up (nil where it can't be counted).
        var allocationsPerStep: Double?
        /// Wall time of a full-scale headless run of `lesson`, if one was timed.
        var lesson: String?
        var lessonSeconds: Double?
        var lessonExitCode: Int32?
        /// The lesson run's own peak resident memory, MB (it runs in a child process).
        var lessonPeakResidentMegabytes: Double?
        /// Median time to render a full 200×60 dashboard frame into a grid (8 histograms, 2 line charts
        /// of 2,000 points, a band chart, a heatmap).
        var dashboardFrameMilliseconds: Double
        /// The machine's fp32 FMA peak on one core, measured (MachinePeak.swift).
        var peakGFLOPS: Double
        /// Flops of one BN step as PyTorch does them (every product dense), and the part bnlab computes
        /// (zero inputs of the first layer skipped in its forward and weight-gradient products).
        var bnStepMegaflopsDense: Double
        var bnStepMegaflopsEffective: Double
        /// Achieved GFLOP/s of the BN step, effective flops (what is computed) over time.
        var bnGFLOPS: Double
        /// Deep nets with BN before each sigmoid (median steps/s; nil if skipped).
        var deep32x256StepsPerSecond: Double?
        var deep64x512StepsPerSecond: Double?
        /// Their achieved GFLOP/s, effective flops (zero inputs of the first layer skipped) over time.
        var deep32x256GFLOPS: Double?
        var deep64x512GFLOPS: Double?
        /// The three products of one of the 64 × 512 net's hidden layers (512 → 512, batch 60), each timed
        /// warm (the same operands over and over), median milliseconds; and their sum times its 63 hidden
        /// layers: what a step of that net cannot go under with this kernel, before any normalization,
        /// activation, update or first layer, and with its 64 MB of weights in cache (nil if skipped).
        var layer512ForwardMilliseconds: Double?
        var layer512WeightGradientMilliseconds: Double?
        var layer512InputGradientMilliseconds: Double?
        var deep64x512ProductsMilliseconds: Double?
        /// The process's resident-memory high-water mark (getrusage ru_maxrss), MB.
        var peakResidentMegabytes: Double
        /// The matrix kernel's vector lanes and panel columns in this build (16 and 32 with AVX-512).
        var kernelLanes = KernelShape.lanes
        var kernelPanelColumns = KernelShape.panelColumns
    }

    func validate() throws {
        guard (1...1_000_000).contains(steps) else { throw ValidationError("--steps must be 1…1,000,000, got \(steps)") }
        guard (1...100).contains(repeats) else { throw ValidationError("--repeats must be 1…100, got \(repeats)") }
        guard (0...100_000).contains(deepSteps) else { throw ValidationError("--deep-steps must be 0…100,000, got \(deepSteps)") }
        _ = try Self.lessonToTime(lesson)   // a lesson that does not load fails now, not after minutes of timing
    }

    /// The lesson `--lesson` names: nil for 'none', or when it is not given and no lesson is the Ioffe &
    /// Szegedy reproduction; else the argument to run it by (an id or a path, as given) and its id. A
    /// lesson that does not load throws LessonLocator's located message.
    static func lessonToTime(_ lesson: String?) throws -> (argument: String, id: String)? {
        let directory = LessonLocator.directory()
        guard let lesson else {
            guard let lessons = try? LessonLocator.lessons([], directory: directory),
                  let ioffe = lessons.first(where: { $0.frontMatter.title.contains("Ioffe") || $0.frontMatter.id.contains("ioffe") })
            else { return nil }
            return (ioffe.frontMatter.id, ioffe.frontMatter.id)
        }
        if lesson == "none" { return nil }
        do {
            guard let found = try LessonLocator.lessons([lesson], directory: directory).first else { return nil }
            return (lesson, found.frontMatter.id)
        } catch {
            throw ValidationError("\(error)")
        }
    }

    func run() throws {
        let (train, _) = try DataCatalog.load(DataRequest(dataset: "mnist", scaling: .scaled, seed: 0))
        let steps = self.steps
        func timeOne(bn: Bool) throws -> Double { try Self.timedSteps(bn: bn, train: train, steps: steps).stepsPerSecond }
        var plain = [Double](), bn = [Double](), parallel = [Double](), sequential = [Double](), loopScaling = [Double]()
        var neighbourSlowdown = [Double]()
        let twoSeedWorkers = min(2, ProcessInfo.processInfo.activeProcessorCount)
        var deepSmall = [Double](), deepLarge = [Double]()
        for _ in 0..<repeats {
            let plainRate = try timeOne(bn: false), bnRate = try timeOne(bn: true)
            plain.append(plainRate)
            bn.append(bnRate)
            // The same BN steps with the peak loop busy on another core, twice, then alone again: how much
            // longer a step takes beside a busy core than beside an idle one (on one core the loop would
            // take turns with the steps instead).
            if twoSeedWorkers > 1 {
                let beside = try MachinePeak.besideBusyThread { try timeOne(bn: true) } + MachinePeak.besideBusyThread { try timeOne(bn: true) }
                let alone = bnRate + (try timeOne(bn: true))
                neighbourSlowdown.append(alone / beside - 1)  // steps/s alone over steps/s beside, less 1
            }
            // Two runs of the BN network with seeds 0 and 1, as a lesson's experiment with `seeds: [0, 1]`
            // runs them (ExperimentRunner: one worker per core), against the same two on one worker. The two
            // runs do the same work, so the ratio is the workers' scaling alone. One after the other, side by
            // side, side by side again, one after the other again: a drift of the machine's speed within
            // the repeat (seen here: the same loop 40% slower for seconds) weighs on both alike.
            let first = try Self.twoSeedSeconds(parallel: false, steps: steps)
            let together = try Self.twoSeedSeconds(parallel: true, steps: steps) + Self.twoSeedSeconds(parallel: true, steps: steps)
            let oneByOne = first + (try Self.twoSeedSeconds(parallel: false, steps: steps))
            let runSteps = Double(2 * 2 * Self.runLength(timed: steps))  // two measurements of two runs each
            sequential.append(runSteps / oneByOne)
            parallel.append(runSteps / together)
            // What two runs that share nothing at all gain on this machine, measured in the same breath.
            loopScaling.append(MachinePeak.scaling(threads: twoSeedWorkers, rounds: 1))
            if deepSteps > 0 {
                deepSmall.append(try Self.deepStepsPerSecond(depth: 32, width: 256, train: train, steps: deepSteps))
                deepLarge.append(try Self.deepStepsPerSecond(depth: 64, width: 512, train: train, steps: max(1, deepSteps / 4)))
            }
        }
        let allocations = try Self.allocationsPerStep(train: train)
        let sparse = KernelComparison.compare(a: train.prefix(60).x, m: 60, k: 784, n: 100)
        let dense = KernelComparison.compare(a: (0..<(60 * 100)).map { Float($0 % 7) / 7 + 0.1 }, m: 60, k: 100, n: 100)
        let peak = MachinePeak.fp32GFLOPS()
        let sample = train.prefix(6000).x  // the first 6,000 images give the fraction of nonzero pixels
        let nonzero = Double(sample.reduce(0) { $0 + ($1 != 0 ? 1 : 0) }) / Double(max(1, sample.count))
        let flops = Self.stepFlops(Self.config(bn: true).network, batch: 60, firstLayerDensity: nonzero)
        func deepFlops(_ depth: Int, _ width: Int) -> Double {
            Self.stepFlops(Self.deepConfig(depth: depth, width: width, steps: 1).network, batch: 60, firstLayerDensity: nonzero).effective
        }
        let products = deepSteps > 0 ? KernelComparison.layerProducts(width: 512) : nil
        let lessonTiming = timeLesson()
        let figures = Figures(plainStepsPerSecond: plain.upperMedian, bnStepsPerSecond: bn.upperMedian,
                              twoVariantsParallelStepsPerSecond: parallel.upperMedian,
                              twoVariantsSequentialStepsPerSecond: sequential.upperMedian,
                              parallelSpeedup: zip(parallel, sequential).map { $0 / $1 }.upperMedian,
                              machineLoopScaling: loopScaling.upperMedian,
                              busyNeighbourSlowdown: neighbourSlowdown.isEmpty ? nil : neighbourSlowdown.upperMedian,
                              cores: ProcessInfo.processInfo.activeProcessorCount,
                              allocationsPerStep: allocations,
                              lesson: lessonTiming?.id, lessonSeconds: lessonTiming?.seconds,
                              lessonExitCode: lessonTiming?.exitCode,
                              lessonPeakResidentMegabytes: lessonTiming?.peakMegabytes,
                              dashboardFrameMilliseconds: DashboardBenchmark.medianFrameMilliseconds(width: 200, height: 60, repeats: 51),
                              peakGFLOPS: peak, bnStepMegaflopsDense: flops.dense / 1e6,
                              bnStepMegaflopsEffective: flops.effective / 1e6,
                              bnGFLOPS: flops.effective * bn.upperMedian / 1e9,
                              deep32x256StepsPerSecond: deepSmall.isEmpty ? nil : deepSmall.upperMedian,
                              deep64x512StepsPerSecond: deepLarge.isEmpty ? nil : deepLarge.upperMedian,
                              deep32x256GFLOPS: deepSmall.isEmpty ? nil : deepFlops(32, 256) * deepSmall.upperMedian / 1e9,
                              deep64x512GFLOPS: deepLarge.isEmpty ? nil : deepFlops(64, 512) * deepLarge.upperMedian / 1e9,
                              layer512ForwardMilliseconds: products.map { $0.forward / 1e3 },
                              layer512WeightGradientMilliseconds: products.map { $0.weightGradient / 1e3 },
                              layer512InputGradientMilliseconds: products.map { $0.inputGradient / 1e3 },
                              deep64x512ProductsMilliseconds: products.map { 63 * ($0.forward + $0.weightGradient + $0.inputGradient) / 1e3 },
                              peakResidentMegabytes: Self.peakResidentMegabytes())
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(figures), as: UTF8.self))
        } else {
            // One figure per row, its label in a column of its own; a value too long for 80 columns
            // wraps under itself.
            func row(_ label: String, _ value: String) {
                let padded = label.padding(toLength: max(27, label.count + 1), withPad: " ", startingAt: 0)
                for line in TextLayout.wrap(value, width: 80, indent: String(repeating: " ", count: padded.count), firstPrefix: padded) {
                    print(line)
                }
            }
            func f(_ format: String, _ arguments: CVarArg...) -> String { String(format: format, arguments: arguments) }
            row("plain (bias, no BN):", f("%.0f steps/s (1 thread, median of %d)", figures.plainStepsPerSecond, repeats))
            row("bn (BN before sigmoid):", f("%.0f steps/s", figures.bnStepsPerSecond))
            row("bn step:", f("%.1f MFLOP dense, %.1f MFLOP computed (zero inputs skipped); %.1f GFLOP/s, %.0f%% of this core's measured fp32 FMA peak of %.1f GFLOP/s",
                              figures.bnStepMegaflopsDense, figures.bnStepMegaflopsEffective, figures.bnGFLOPS,
                              100 * figures.bnGFLOPS / figures.peakGFLOPS, figures.peakGFLOPS))
            if let small = figures.deep32x256StepsPerSecond, let large = figures.deep64x512StepsPerSecond,
               let smallRate = figures.deep32x256GFLOPS, let largeRate = figures.deep64x512GFLOPS {
                row("deep 32 × 256 with BN:", f("%.1f steps/s (%.1f GFLOP/s; batch 60, BN before sigmoid)", small, smallRate))
                row("deep 64 × 512 with BN:", f("%.2f steps/s (%.1f GFLOP/s)", large, largeRate))
            }
            if let fwd = figures.layer512ForwardMilliseconds, let dW = figures.layer512WeightGradientMilliseconds,
               let dx = figures.layer512InputGradientMilliseconds, let floor = figures.deep64x512ProductsMilliseconds,
               let large = figures.deep64x512StepsPerSecond {
                let gflops = { (ms: Double) in 2 * 60 * 512 * 512 / (ms * 1e6) }
                row("products of a 512 layer:", f("forward %.3f ms, dWᵀ %.3f, dx %.3f (%.0f, %.0f, %.0f GFLOP/s; warm, batch 60)",
                                                  fwd, dW, dx, gflops(fwd), gflops(dW), gflops(dx)))
                row("64 × 512 products floor:", f("%.1f ms: 63 hidden layers' products, warm; %.0f%% of its %.1f ms step",
                                                  floor, 100 * floor / (1e3 / large), 1e3 / large))
            }
            row("two seeds at once (bn):", f("%.0f steps/s on %d cores (an experiment's runner), %.2f× one after the other",
                                             figures.twoVariantsParallelStepsPerSecond, figures.cores, figures.parallelSpeedup))
            if let slowdown = figures.busyNeighbourSlowdown {
                row("beside a busy core:", f("a bn step %.1f%% slower than beside an idle one (the FMA peak loop next door), so two at once gain about %.2f× here; the loop itself %.2f× on 2 threads",
                                             100 * slowdown, 2 / (1 + slowdown), figures.machineLoopScaling))
            }
            row("kernel blocks:", "6 rows × \(figures.kernelPanelColumns) columns on \(figures.kernelLanes)-lane vectors")
            row("kernel 60×784 · 784×100:", f("blocked %.1f GFLOP/s, axpy %.1f (an MNIST batch, 81%% zeros)", sparse.blocked, sparse.axpy))
            row("kernel 60×100 · 100×100:", f("blocked %.1f GFLOP/s, axpy %.1f (dense)", dense.blocked, dense.axpy))
            if let t = lessonTiming {
                row("lesson at full scale:", f("%@: %.1f s wall (headless, exit %d), peak resident memory %@", t.id, t.seconds, t.exitCode,
                                             t.peakMegabytes.map { String(format: "%.0f MB", $0) } ?? "not measured"))
            }
            row("dashboard frame 200×60:", f("%.2f ms (median)", figures.dashboardFrameMilliseconds))
            row("heap allocations per step:", (figures.allocationsPerStep.map { String(format: "%.2f", $0) } ?? "not countable on this platform")
                + " (bn, after warm-up)")
            row("peak resident memory:", f("%.0f MB", figures.peakResidentMegabytes))
        }
    }
}

extension BenchCommand {
    /// Runs the chosen lesson headless at scale 1, output discarded, and times it. It runs in a child
    /// process of this executable, so its peak resident memory is its own, not the bench's own work's
    /// (nil if the child cannot be started or measured; then the lesson runs in this process).
    func timeLesson() -> (id: String, seconds: Double, exitCode: Int32, peakMegabytes: Double?)? {
        // Validated before the timing began (`validate`); the lesson's files could have gone since.
        guard let chosen = (try? Self.lessonToTime(lesson)) ?? nil else { return nil }
        let (argument, id) = chosen
        let start = DispatchTime.now().uptimeNanoseconds
        if let executable = Bundle.main.executableURL {
            let child = Process()
            child.executableURL = executable
            child.arguments = ["--headless", argument]
            child.standardOutput = FileHandle.nullDevice
            child.standardError = FileHandle.nullDevice
            let before = Self.childrenPeakResidentMegabytes()
            if (try? child.run()) != nil {
                child.waitUntilExit()
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                // The largest waited-for child's peak: the lesson's, unless an earlier child was larger.
                let after = Self.childrenPeakResidentMegabytes()
                return (id, seconds, child.terminationStatus, after > before ? after : nil)
            }
        }
        let code = HeadlessRunner.run(HeadlessOptions(lessons: [argument], scale: 1), output: { _ in }, errors: { _ in })
        return (id, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, code, nil)
    }

    static func config(bn: Bool, steps: Int = 1 << 20) -> TrainingConfig {
        TrainingConfig(network: .mlp(inputs: 784, hidden: [100, 100, 100], classes: 10, activation: .sigmoid,
                                     batchNorm: bn ? .before : .none, initialization: .pytorchDefault),
                       optimizer: .sgd(learningRate: 0.5), batchSize: 60, steps: steps,
                       evaluationInterval: 0, trainEvaluationSize: 0,
                       probes: ProbeSettings(interval: 0, batchSize: 2), seed: 0)
    }

    /// Untimed steps before the timed ones of the small network, as the PyTorch peer takes them.
    static let warmUp = 200

    /// Steps of a small-network run that times `timed` of them: the warm-up, the timed steps, and one more,
    /// the last, which probes and evaluates, as no timed step should.
    static func runLength(timed: Int) -> Int { warmUp + timed + 1 }

    /// `warmUp` steps, then `steps` timed, of the small network.
    static func timedSteps(bn: Bool, train: Dataset, steps: Int) throws -> StepTiming {
        try timedSteps(config(bn: bn, steps: runLength(timed: steps)), train: train, warmUp: warmUp, steps: steps)
    }

    /// Wall seconds of two runs of the BN network, seeds 0 and 1, each `runLength(timed: steps)` long (set-up
    /// and evaluations included, the MNIST files already decoded). In parallel, as a lesson's experiment
    /// with `seeds: [0, 1]` runs them (ExperimentRunner, one worker per core); else one after the other,
    /// each an experiment of its own on one worker (not the runner's one worker over both, which would
    /// switch runs every slice). Throws if a run stopped short of its steps.
    static func twoSeedSeconds(parallel: Bool, steps: Int) throws -> Double {
        let location = SourceLocation(line: 1)
        let plan = TrainPlan(data: DataRequest(dataset: "mnist", scaling: .scaled), config: config(bn: true, steps: runLength(timed: steps)),
                             minSteps: 1)
        func experiment(seeds: [UInt64]) -> ExperimentSpec {
            ExperimentSpec(name: "two_seeds", kind: .train, location: location,
                           variants: [VariantSpec(name: "bn", location: location, mayDiverge: false, plan: .train(plan))],
                           seeds: seeds)
        }
        let start = DispatchTime.now().uptimeNanoseconds
        var runs: [VariantResult] = []
        do {
            for seeds: [UInt64] in parallel ? [[0, 1]] : [[0], [1]] {
                runs += try ExperimentRunner.run(experiment(seeds: seeds), options: RunOptions(parallel: parallel)).variants
            }
        } catch {
            throw ValidationError("bench: \(error)")
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let taken = runs.map { $0.record.series(.batchLoss)?.values.count ?? 0 }
        guard taken.count == 2, taken.allSatisfy({ $0 == runLength(timed: steps) }) else {
            throw ValidationError("bench: the two seeds' runs took \(taken) steps, not \(runLength(timed: steps)) each")
        }
        return seconds
    }

    /// A trainer of `config`, `warmUp` steps untimed, then `steps` timed (StepTiming.swift). Throws if the
    /// trainer fails to start or stops early, so no step is credited that was not taken.
    static func timedSteps(_ config: TrainingConfig, train: Dataset, warmUp: Int, steps: Int) throws -> StepTiming {
        let trainer = try Trainer(config: config, train: train, test: train.prefix(100))
        do {
            return try StepTiming.measure(trainer, warmUp: warmUp, steps: steps)
        } catch let error as StepTimingError {
            throw ValidationError("bench: \(error)")
        }
    }

    /// Steps per second of a deep MLP, `depth` hidden layers of `width` with BN before each sigmoid.
    static func deepStepsPerSecond(depth: Int, width: Int, train: Dataset, steps: Int) throws -> Double {
        try timedSteps(deepConfig(depth: depth, width: width, steps: 10 + steps + 1), train: train, warmUp: 10, steps: steps)
            .stepsPerSecond
    }

    /// The deep net: 784, `depth` bias-free layers of `width` with BN before each sigmoid, 10 (bench/torch_deep.py
    /// is the same net in PyTorch).
    static func deepConfig(depth: Int, width: Int, steps: Int) -> TrainingConfig {
        TrainingConfig(
            network: .mlp(inputs: 784, hidden: Array(repeating: width, count: depth), classes: 10, activation: .sigmoid,
                          batchNorm: .before, initialization: .pytorchDefault),
            optimizer: .sgd(learningRate: 0.1), batchSize: 60, steps: steps,
            evaluationInterval: 0, trainEvaluationSize: 0, probes: ProbeSettings(interval: 0, batchSize: 2), seed: 0)
    }

    /// Flops of one training step of `spec` on a batch of m: per dense layer i → o, forward z = x·Wᵀ and
    /// dWᵀ = xᵀ·dz cost 2·m·i·o each, dx = dz·W another 2·m·i·o except for the first layer. `effective`
    /// scales the first layer's two products by the fraction of nonzero inputs (the kernels skip zeros).
    static func stepFlops(_ spec: NetworkSpec, batch m: Int, firstLayerDensity: Double) -> (dense: Double, effective: Double) {
        var dense = 0.0, effective = 0.0, fanIn = spec.inputs
        for (l, layer) in spec.layers.enumerated() {
            let product = 2 * Double(m * fanIn * layer.outputs)
            dense += (l == 0 ? 2 : 3) * product
            effective += l == 0 ? 2 * product * firstLayerDensity : 3 * product
            fanIn = layer.outputs
        }
        return (dense, effective)
    }

    /// The resident-set high-water mark of the largest terminated child of this process, in MB.
    static func childrenPeakResidentMegabytes() -> Double { peakResidentMegabytes(children: true) }

    /// The resident-set high-water mark of this process, in MB (Linux reports ru_maxrss in KB, macOS in bytes).
    static func peakResidentMegabytes(children: Bool = false) -> Double {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_maxrss) / 1024
        #else
        getrusage(children ? RUSAGE_CHILDREN : RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / (1024 * 1024)
        #endif
    }
}

extension BenchCommand {
    /// Allocations per plain training step (no probe or evaluation falls in the counted window).
    static func allocationsPerStep(train: Dataset) throws -> Double? {
        guard bnlab_allocation_counter_available() != 0 else { return nil }
        let counted = 1000
        let trainer = try Trainer(config: config(bn: true, steps: runLength(timed: counted)), train: train, test: train.prefix(100))
        for _ in 0..<warmUp { trainer.step() }
        bnlab_allocation_counter_enable(1)
        let before = bnlab_allocation_count()
        for _ in 0..<counted { trainer.step() }
        let after = bnlab_allocation_count()
        bnlab_allocation_counter_enable(0)
        return Double(after - before) / Double(counted)
    }
}
