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

    @Option(help: "Timed steps per repeat.") var steps = 3000
    @Option(help: "Repeats; the median is reported.") var repeats = 3
    @Flag(help: "Print the figures as JSON.") var json = false
    @Option(help: "Also time a full-scale headless run of this lesson (default: the Ioffe & Szegedy reproduction, if present; 'none' to skip).")
    var lesson: String?

    struct Figures: Codable {
        var plainStepsPerSecond: Double
        var bnStepsPerSecond: Double
        var twoVariantsParallelStepsPerSecond: Double
        var twoVariantsSequentialStepsPerSecond: Double
        var parallelSpeedup: Double
        var cores: Int
        /// Heap allocations per training step after warm-up (nil where it can't be counted).
        var allocationsPerStep: Double?
        /// Wall time of a full-scale headless run of `lesson`, if one was timed.
        var lesson: String?
        var lessonSeconds: Double?
        var lessonExitCode: Int32?
        /// Median time to render a full 200×60 dashboard frame into a grid (8 histograms, 2 line charts
        /// of 2,000 points, a band chart, a heatmap).
        var dashboardFrameMilliseconds: Double
    }

    func run() throws {
        let (train, _) = try DataCatalog.load(DataRequest(dataset: "mnist", scaling: .scaled, seed: 0))
        let steps = self.steps
        func timeOne(bn: Bool) throws -> Double { try Self.stepsPerSecond(bn: bn, train: train, steps: steps) }
        func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
        var plain = [Double](), bn = [Double](), parallel = [Double](), sequential = [Double]()
        for _ in 0..<repeats {
            let plainRate = try timeOne(bn: false), bnRate = try timeOne(bn: true)
            plain.append(plainRate)
            bn.append(bnRate)
            // Two variants at once, one per core (warm-up and set-up included, so this is conservative),
            // against the same two one after the other.
            let start = DispatchTime.now().uptimeNanoseconds
            DispatchQueue.concurrentPerform(iterations: 2) { i in
                _ = try? Self.stepsPerSecond(bn: i == 1, train: train, steps: steps)
            }
            let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            parallel.append(Double(2 * (steps + 200)) / wall)
            sequential.append(2 / (1 / plainRate + 1 / bnRate))
        }
        let allocations = try Self.allocationsPerStep(train: train)
        let sparse = MatMul.compareKernels(a: Array(train.x[0..<(60 * 784)]), m: 60, k: 784, n: 100)
        let dense = MatMul.compareKernels(a: (0..<(60 * 100)).map { Float($0 % 7) / 7 + 0.1 }, m: 60, k: 100, n: 100)
        let lessonTiming = timeLesson()
        let figures = Figures(plainStepsPerSecond: median(plain), bnStepsPerSecond: median(bn),
                              twoVariantsParallelStepsPerSecond: median(parallel),
                              twoVariantsSequentialStepsPerSecond: median(sequential),
                              parallelSpeedup: median(parallel) / median(sequential),
                              cores: ProcessInfo.processInfo.activeProcessorCount,
                              allocationsPerStep: allocations,
                              lesson: lessonTiming?.id, lessonSeconds: lessonTiming?.seconds,
                              lessonExitCode: lessonTiming?.exitCode,
                              dashboardFrameMilliseconds: DashboardBenchmark.medianFrameMilliseconds(width: 200, height: 60, repeats: 51))
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(figures), as: UTF8.self))
        } else {
            print(String(format: "plain (bias, no BN):    %6.0f steps/s  (1 thread, median of %d)", figures.plainStepsPerSecond, repeats))
            print(String(format: "bn (BN before sigmoid): %6.0f steps/s", figures.bnStepsPerSecond))
            print(String(format: "two variants at once:   %6.0f steps/s on %d cores, %.2f× running them in sequence",
                         figures.twoVariantsParallelStepsPerSecond, figures.cores, figures.parallelSpeedup))
            print(String(format: "kernel, 60×784 · 784×100 (MNIST batch, 81%% zeros): blocked %.1f GFLOP/s, axpy %.1f", sparse.blocked, sparse.axpy))
            print(String(format: "kernel, 60×100 · 100×100 (dense):                blocked %.1f GFLOP/s, axpy %.1f", dense.blocked, dense.axpy))
            if let t = lessonTiming {
                print(String(format: "lesson %@ at full scale: %.1f s wall (headless, exit %d)", t.id, t.seconds, t.exitCode))
            }
            print(String(format: "dashboard frame, 200×60 grid: %.2f ms (median)", figures.dashboardFrameMilliseconds))
            print("heap allocations per step (bn, after warm-up): " + (figures.allocationsPerStep.map { String(format: "%.2f", $0) } ?? "not countable on this platform"))
        }
    }
}

extension BenchCommand {
    /// Runs the chosen lesson headless at scale 1, output discarded, and times it.
    func timeLesson() -> (id: String, seconds: Double, exitCode: Int32)? {
        if lesson == "none" { return nil }
        let id: String
        if let lesson {
            id = lesson
        } else {
            let directory = LessonLocator.directory()
            guard let lessons = try? LessonLocator.lessons([], directory: directory),
                  let ioffe = lessons.first(where: { $0.frontMatter.title.contains("Ioffe") || $0.frontMatter.id.contains("ioffe") }) else { return nil }
            id = ioffe.frontMatter.id
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let code = HeadlessRunner.run(HeadlessOptions(lessons: [id], scale: 1), output: { _ in }, errors: { _ in })
        return (id, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, code)
    }

    static func config(bn: Bool, steps: Int = 1 << 20) -> TrainingConfig {
        TrainingConfig(network: .mlp(inputs: 784, hidden: [100, 100, 100], classes: 10, activation: .sigmoid,
                                     batchNorm: bn ? .before : .none, initialization: .pytorchDefault),
                       optimizer: .sgd(learningRate: 0.5), batchSize: 60, steps: steps,
                       evaluationInterval: 0, trainEvaluationSize: 0,
                       probes: ProbeSettings(interval: 0, batchSize: 2), seed: 0)
    }

    /// Steps per second of one trainer, after 200 warm-up steps.
    static func stepsPerSecond(bn: Bool, train: Dataset, steps: Int) throws -> Double {
        let trainer = try Trainer(config: config(bn: bn, steps: steps + 201), train: train, test: train.prefix(100))
        for _ in 0..<200 { trainer.step() }
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<steps { trainer.step() }
        return Double(steps) / (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
}

extension BenchCommand {
    /// Allocations per plain training step (no probe or evaluation falls in the counted window).
    static func allocationsPerStep(train: Dataset) throws -> Double? {
        guard bnlab_allocation_counter_available() != 0 else { return nil }
        let counted = 1000
        let trainer = try Trainer(config: config(bn: true, steps: counted + 201), train: train, test: train.prefix(100))
        for _ in 0..<200 { trainer.step() }
        bnlab_allocation_counter_enable(1)
        let before = bnlab_allocation_count()
        for _ in 0..<counted { trainer.step() }
        let after = bnlab_allocation_count()
        bnlab_allocation_counter_enable(0)
        return Double(after - before) / Double(counted)
    }
}
