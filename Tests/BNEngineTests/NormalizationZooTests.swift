import Testing
@testable import BNEngine

/// LayerNorm, GroupNorm and Batch Renorm: finite-difference gradients, the properties that define them,
/// and each one through the network's seam (placements, folding, probes, training).
@Suite struct NormalizationZooTests {
    typealias Check = GradientCheckTests

    static func input(_ m: Int, _ n: Int, seed: UInt64, scale: Float = 2) -> Tensor {
        var rng = SplitMix64(seed: seed)
        return Tensor(rows: m, columns: n, values: Check.random(m * n, &rng, scale: scale).map { $0 + 0.5 })
    }

    /// Sets γ and β to values away from (1, 0), so a missing γ or β term shows.
    static func perturbAffine(_ layer: any Normalization, seed: UInt64) {
        var rng = SplitMix64(seed: seed)
        layer.gamma.value.copy(from: (0..<layer.features).map { _ in 1 + rng.normal(std: 0.5) })
        layer.beta.value.copy(from: (0..<layer.features).map { _ in rng.normal(std: 0.5) })
    }

    /// Backward of `layer` against central differences of L = Σ r ⊙ y, for x, γ and β.
    static func checkGradients(_ layer: any Normalization, rows m: Int, ghostSize g: Int, seed: UInt64, _ what: String) {
        let n = layer.features
        var rng = SplitMix64(seed: seed)
        let x = input(m, n, seed: seed + 100)
        let r = Check.random(m * n, &rng)
        let y = Tensor(rows: m, columns: n), cache = layer.makeCache(rows: m)
        func loss() -> Float {
            layer.forward(x, into: y, rows: m, mode: .train(ghostSize: g, updateRunningStatistics: false), cache: cache)
            return Check.weightedSum(y, r)
        }
        _ = loss()
        let dy = Tensor(rows: m, columns: n, values: r), dx = Tensor(rows: m, columns: n)
        layer.backward(dy, into: dx, rows: m, cache: cache)
        for (name, value, gradient) in [("x", x, dx), ("γ", layer.gamma.value, layer.gamma.gradient), ("β", layer.beta.value, layer.beta.gradient)] {
            Check.checkEveryEntry(of: value, against: gradient, loss: loss, "\(what) d\(name)")
        }
    }

    // MARK: Finite differences, layer by layer

    @Test(arguments: [1, 2, 3, 6])
    func groupNormBackwardMatchesFiniteDifferences(groups: Int) {
        let layer = GroupNorm(features: 6, groups: groups, epsilon: 1e-3)
        Self.perturbAffine(layer, seed: 3)
        // G = n: every group is one value, x̂ = 0 whatever x is, so dx must come out 0.
        Self.checkGradients(layer, rows: 4, ghostSize: 4, seed: 4, "GroupNorm(G=\(groups))")
    }

    /// r and d carry no gradient by design, so differences agree only where they are locally constant:
    /// running statistics far from the batch's clip both (r = 1/rmax, d = −dmax), and the clipped r and d
    /// still scale and shift every path the backward must get right.
    @Test(arguments: [nil, 2] as [Int?])
    func batchRenormBackwardMatchesFiniteDifferencesWhereRAndDAreClipped(ghostSize: Int?) {
        let layer = BatchRenorm(features: 3, epsilon: 1e-3, limits: BatchRenormLimits(rmax: 2, dmax: 0.5))
        Self.perturbAffine(layer, seed: 5)
        layer.runningStd.fill(20)
        layer.runningMean.fill(30)
        Self.checkGradients(layer, rows: 8, ghostSize: ghostSize ?? 8, seed: 6, "BatchRenorm(g=\(ghostSize ?? 8))")
        let cache = layer.makeCache(rows: 8)
        layer.forwardTrain(Self.input(8, 3, seed: 106), into: Tensor(rows: 8, columns: 3), rows: 8, ghostSize: 8, cache: cache,
                           updateRunningStatistics: false)
        #expect(cache.r.values.prefix(3).allSatisfy { $0 == 0.5 } && cache.d.values.prefix(3).allSatisfy { $0 == -0.5 })
    }

    // MARK: Properties

    @Test func layerNormRowsHaveMeanZeroAndVarianceOne() {
        let (m, n) = (7, 50)
        let layer = GroupNorm.layerNorm(features: n, epsilon: 1e-5)
        let x = Self.input(m, n, seed: 7, scale: 3), y = Tensor(rows: m, columns: n)
        layer.forward(x, into: y, rows: m, mode: .eval, cache: layer.makeCache(rows: m))
        for i in 0..<m {
            let row = (0..<n).map { Double(y.row(i)[$0]) }
            let mean = row.reduce(0, +) / Double(n)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)
            #expect(abs(mean) < 1e-5, "row \(i) mean \(mean)")
            #expect(abs(variance - 1) < 1e-4, "row \(i) variance \(variance)")
        }
    }

    /// One train-mode forward and backward of each layer on the same x and dy (updating running
    /// statistics); the largest difference between their y, dx, dγ and dβ.
    static func worstDifference(_ a: any Normalization, _ b: any Normalization, x: Tensor, dy: Tensor, ghostSize: Int) -> Float {
        let (m, n) = (x.rows, x.columns)
        let outputs = [a, b].map { layer in
            let y = Tensor(rows: m, columns: n), dx = Tensor(rows: m, columns: n), cache = layer.makeCache(rows: m)
            layer.forward(x, into: y, rows: m, mode: .train(ghostSize: ghostSize, updateRunningStatistics: true), cache: cache)
            layer.backward(dy, into: dx, rows: m, cache: cache)
            return y.values + dx.values + layer.gamma.gradient.values + layer.beta.gradient.values
        }
        return zip(outputs[0], outputs[1]).map { abs($0 - $1) }.max() ?? .infinity
    }

    @Test func groupNormWithOneFeaturePerGroupOutputsBeta() {
        let (m, n) = (3, 4)
        let gn = GroupNorm(features: n, groups: n)
        Self.perturbAffine(gn, seed: 11)
        let y = Tensor(rows: m, columns: n)
        gn.forward(Self.input(m, n, seed: 12), into: y, rows: m, mode: .eval, cache: gn.makeCache(rows: m))
        for i in 0..<m { for j in 0..<n { #expect(y.row(i)[j] == gn.beta.value.pointer[j]) } }
    }

    @Test(arguments: [nil, 4] as [Int?])
    func batchRenormWithRmax1Dmax0EqualsBatchNormInTrainMode(ghostSize: Int?) {
        let (m, n) = (8, 5)
        let g = ghostSize ?? m
        let bn = BatchNorm(features: n, epsilon: 1e-5, momentum: 0.2)
        let brn = BatchRenorm(features: n, epsilon: 1e-5, momentum: 0.2, limits: BatchRenormLimits(rmax: 1, dmax: 0))
        Self.perturbAffine(bn, seed: 13)
        brn.gamma.value.copy(from: bn.gamma.value)
        brn.beta.value.copy(from: bn.beta.value)
        brn.runningStd.fill(3)  // far from the batch: r and d would be large without the limits
        brn.runningMean.fill(-2)
        let dy = Self.input(m, n, seed: 14)
        for step in 0..<3 {
            let worst = Self.worstDifference(bn, brn, x: Self.input(m, n, seed: 15 + UInt64(step)), dy: dy, ghostSize: g)
            #expect(worst <= 1e-6, "step \(step): worst difference \(worst)")
        }
    }

    @Test func batchRenormLimitsRampLinearlyFromBatchNorm() {
        let limits = BatchRenormLimits(rmax: 3, dmax: 5, rampStart: 10, rampSteps: 20)
        #expect(limits.limits(atStep: 0) == (1, 0))
        #expect(limits.limits(atStep: 10) == (1, 0))
        #expect(limits.limits(atStep: 20) == (2, 2.5))
        #expect(limits.limits(atStep: 30) == (3, 5))
        #expect(limits.limits(atStep: 1000) == (3, 5))
        #expect(BatchRenormLimits(rmax: 3, dmax: 5).limits(atStep: 0) == (3, 5))
    }

    @Test func batchRenormCountsOnlyUpdatingForwardsAsRampSteps() {
        let brn = BatchRenorm(features: 2, limits: BatchRenormLimits(rmax: 3, dmax: 5, rampSteps: 10))
        let x = Self.input(4, 2, seed: 16), y = Tensor(rows: 4, columns: 2), cache = brn.makeCache(rows: 4)
        brn.forwardTrain(x, into: y, rows: 4, ghostSize: 4, cache: cache, updateRunningStatistics: false)
        #expect(brn.trainSteps == 0)
        brn.forwardTrain(x, into: y, rows: 4, ghostSize: 2, cache: cache)
        #expect(brn.trainSteps == 1)  // one step, however many ghost groups
    }

    // MARK: Through the seam

    static let kinds: [NormalizationKind] = [.batch, .layer, .group(groups: 2), .batchRenorm(BatchRenormLimits(rmax: 1.5, dmax: 0.5))]

    /// The whole chain with each kind at each placement, against differences of the batch loss.
    /// Batch Renorm's running statistics are set far from the data so r and d sit on their limits.
    /// (GroupNorm with 2 groups of 4: groups of 2 make x̂ = ±1 almost everywhere, too sharp for differences.)
    @Test(arguments: kinds, [BNPlacement.before, .after])
    func networkBackwardMatchesFiniteDifferences(_ kind: NormalizationKind, _ placement: BNPlacement) {
        var rng = SplitMix64(seed: 17)
        let spec = NetworkSpec(inputs: 4, layers: [
            LayerSpec(outputs: 8, activation: .tanh, placement: placement, normalization: kind, hasBias: true),
            LayerSpec(outputs: 3, activation: .identity, placement: .none, hasBias: true),
        ])
        let network = Network(spec, seed: 9)
        if let brn = network.layers[0].normalization as? BatchRenorm {
            brn.runningStd.fill(50)
            brn.runningMean.fill(40)
        }
        Check.checkNetworkGradients(network, rng: &rng, stride: 3, "\(kind) \(placement)")
    }

    static func config(_ kind: NormalizationKind, placement: BNPlacement = .before, batchSize: Int = 20, steps: Int = 60) -> TrainingConfig {
        TrainingConfig(network: .mlp(inputs: 4, hidden: [16, 16], classes: 3, activation: .sigmoid, batchNorm: placement, normalization: kind),
                       optimizer: .sgd(learningRate: 0.5), batchSize: batchSize, steps: steps, evaluationInterval: 20,
                       probes: ProbeSettings(interval: 20, batchSize: 50), seed: 3)
    }

    @Test(arguments: kinds)
    func everyKindTrainsAndProbesRecordItsStages(_ kind: NormalizationKind) throws {
        let trainer = try Trainer(config: Self.config(kind, steps: 400), train: LessonFeatureTests.data, test: LessonFeatureTests.test)
        trainer.run()
        let accuracy = try #require(trainer.record.series("test_accuracy")?.values.last)
        // Learning through the seam, not a ranking of kinds: well above chance (1/3) on the three blobs.
        #expect(accuracy > 0.6, "\(kind): test accuracy \(accuracy)")
        #expect(trainer.record.histograms[HistogramKey(layer: 1, stage: .normalized)]?.isEmpty == false)
        #expect(trainer.record.series[MetricKey("gamma", layer: 1)] != nil)
        let running = trainer.record.series[MetricKey("running_mean", layer: 1)] != nil
        #expect(running == kind.usesBatchStatistics, "\(kind): running statistics recorded \(running)")
    }

    @Test func batchRenormRecordsRAndD() throws {
        let trainer = try Trainer(config: Self.config(.batchRenorm(BatchRenormLimits(rmax: 2, dmax: 1))), train: LessonFeatureTests.data,
                                  test: LessonFeatureTests.test)
        trainer.run()
        let r = try #require(trainer.record.series[MetricKey("renorm_r", layer: 1)]?.values)
        let d = try #require(trainer.record.series[MetricKey("renorm_d", layer: 1)]?.values)
        #expect(r.allSatisfy { $0 >= 0.5 && $0 <= 2 } && d.allSatisfy { abs($0) <= 1 })
        #expect(r.contains { $0 != 1 }, "r never left 1: \(r)")
    }

    @Test func perExampleKindsTrainWithABatchOfOne() throws {
        for kind in [NormalizationKind.layer, .group(groups: 2)] {
            let trainer = try Trainer(config: Self.config(kind, batchSize: 1, steps: 5), train: LessonFeatureTests.data, test: LessonFeatureTests.test)
            trainer.run()
            #expect(trainer.record.failure == nil)
        }
        #expect(throws: ConfigurationError.self) {
            try Trainer(config: Self.config(.batchRenorm(BatchRenormLimits()), batchSize: 1), train: LessonFeatureTests.data, test: LessonFeatureTests.test)
        }
    }

    @Test func badKindSettingsAreRefusedWithTheLayer() {
        for kind in [NormalizationKind.group(groups: 5), .group(groups: 0), .batchRenorm(BatchRenormLimits(rmax: 0.5)),
                     .batchRenorm(BatchRenormLimits(dmax: -1)), .batchRenorm(BatchRenormLimits(rmax: .nan))] {
            #expect(throws: ConfigurationError.self, "\(kind)") {
                try Trainer(config: Self.config(kind), train: LessonFeatureTests.data, test: LessonFeatureTests.test)
            }
        }
    }

    @Test func initScaleMultipliesOnlyItsLayersWeights() throws {
        var spec = Self.config(.batch).network
        let base = Network(spec, seed: 1)
        spec.layers[0].initScale = 4
        let scaled = Network(spec, seed: 1)
        #expect(scaled.layers[0].dense.weights() == base.layers[0].dense.weights().map { 4 * $0 })
        for l in 1..<spec.layers.count { #expect(scaled.layers[l].dense.weights() == base.layers[l].dense.weights()) }
        for bad: Float in [0, -1, .nan, .infinity, 2e6] {
            var config = Self.config(.batch)
            config.network.layers[1].initScale = bad
            #expect(throws: ConfigurationError.self, "\(bad)") {
                try Trainer(config: config, train: LessonFeatureTests.data, test: LessonFeatureTests.test)
            }
        }
    }

    /// BN right after a linear map makes the layer scale-invariant: W·4 gives the same loss and a
    /// gradient 4 times smaller (up to ε, which the test makes negligible).
    @Test func scalingALayerBeforeBNKeepsTheLossAndShrinksItsGradient() throws {
        var config = Self.config(.batch, steps: 1)
        config.network.bnEpsilon = 1e-12
        config.probes.interval = 1
        let base = try Trainer(config: config, train: LessonFeatureTests.data, test: LessonFeatureTests.test)
        config.network.layers[0].initScale = 4
        let scaled = try Trainer(config: config, train: LessonFeatureTests.data, test: LessonFeatureTests.test)
        base.run()
        scaled.run()
        let loss = { (t: Trainer) in t.record.series("batch_loss")?.values.first ?? .nan }
        let gradient = { (t: Trainer, l: Int) in t.record.series[MetricKey("gradient_norm", layer: l)]?.values.last ?? .nan }
        #expect(abs(loss(scaled) - loss(base)) <= 1e-6 * loss(base))
        #expect(abs(gradient(scaled, 1) / gradient(base, 1) - 0.25) < 1e-5)
        #expect(abs(gradient(scaled, 2) / gradient(base, 2) - 1) < 1e-5)
    }

    /// At step 0 the running statistics are (0, 1), γ = 1 and β = 0, so in eval mode BN's output is
    /// z/√(1 + ε): the eval-mode probe shows that, the batch-statistics probe shows a std of 1, and the
    /// running statistics' measurements are the same either way.
    @Test func evalModeProbesShowWhatTheRunningStatisticsMakeOfTheProbeBatch() throws {
        var config = Self.config(.batch, steps: 20)
        let batch = try Trainer(config: config, train: LessonFeatureTests.data, test: LessonFeatureTests.test)
        config.probes.evalMode = true
        let eval = try Trainer(config: config, train: LessonFeatureTests.data, test: LessonFeatureTests.test)
        let first = { (t: Trainer, name: String, stage: Stage?) in t.record.series[MetricKey(name, layer: 1, stage: stage)]?.values.first ?? .nan }
        let scale = 1 / (1 + Double(config.network.bnEpsilon)).squareRoot()
        #expect(abs(first(eval, "std", .normalized) - scale * first(eval, "std", .linear)) < 1e-5)
        #expect(abs(first(eval, "mean", .normalized) - scale * first(eval, "mean", .linear)) < 1e-5)
        #expect(abs(first(batch, "std", .normalized) - 1) < 1e-3)
        #expect(abs(first(eval, "std", .normalized) - 1) > 0.05)
        batch.run()
        eval.run()
        for name in ["running_mean_error", "running_variance_error", "batch_variance", "gamma"] {
            #expect(batch.record.series[MetricKey(name, layer: 1)] == eval.record.series[MetricKey(name, layer: 1)], "\(name)")
        }
        #expect(batch.record.series("test_accuracy") == eval.record.series("test_accuracy"))
    }

    @Test func foldingWorksForBatchRenormAndIsRefusedForPerExampleKinds() throws {
        let trainer = try Trainer(config: Self.config(.batchRenorm(BatchRenormLimits(rmax: 2, dmax: 1)), steps: 100),
                                  train: LessonFeatureTests.data, test: LessonFeatureTests.test)
        trainer.run()
        let folded = try #require(trainer.network.foldedForInference())
        let m = 50
        let (a, b) = (Workspace(network: trainer.network, capacity: m), Workspace(network: folded, capacity: m))
        a.load(LessonFeatureTests.test, from: 0, count: m)
        b.load(LessonFeatureTests.test, from: 0, count: m)
        trainer.network.forward(a, rows: m, mode: .eval)
        folded.forward(b, rows: m, mode: .eval)
        let worst = zip(a.logits.values, b.logits.values).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 1
        #expect(worst < 1e-4)
        #expect(trainer.record.series[MetricKey("fold_error")] != nil)
        for kind in [NormalizationKind.layer, .group(groups: 2)] {
            #expect(Network(Self.config(kind).network, seed: 1).foldedForInference() == nil)
        }
    }

    @Test func aBiasIsKeptBeforePerExampleKindsAndDroppedBeforeBatchKinds() {
        for kind in Self.kinds {
            let spec = NetworkSpec.mlp(inputs: 4, hidden: [5], classes: 3, activation: .relu, batchNorm: .before, normalization: kind)
            #expect(spec.layers[0].hasBias == !kind.usesBatchStatistics, "\(kind)")
        }
    }
}

/// Residual MLP blocks: finite differences through the skip, SkipInit's identity start, and validation.
@Suite struct ResidualTests {
    typealias Check = GradientCheckTests

    static func spec(span: Int, scale: SkipScale, placement: BNPlacement, kind: NormalizationKind = .batch) -> NetworkSpec {
        var spec = NetworkSpec.mlp(inputs: 4, hidden: [6, 6, 6, 6, 6], classes: 3, activation: .tanh, batchNorm: placement,
                                   normalization: kind, bias: true, residual: Residual(span: span, scale: scale))
        spec.bnEpsilon = 1e-3
        return spec
    }

    @Test(arguments: [1, 2], [BNPlacement.none, .before, .after])
    func residualBackwardMatchesFiniteDifferences(span: Int, placement: BNPlacement) {
        for scale in [SkipScale.none, .fixed(0.5), .learnable(initial: 0.7)] {
            let network = Network(Self.spec(span: span, scale: scale, placement: placement), seed: 4)
            #expect(network.layers.filter { $0.residual != nil }.count == (span == 1 ? 4 : 2))
            var rng = SplitMix64(seed: 18)
            Check.checkNetworkGradients(network, rng: &rng, stride: 5, "span \(span) \(placement) \(scale)")
        }
    }

    @Test func skipInitStartsEveryBlockAsTheIdentity() {
        let network = Network(Self.spec(span: 1, scale: .learnable(initial: 0), placement: .before), seed: 5)
        var rng = SplitMix64(seed: 19)
        let workspace = Workspace(network: network, capacity: 4)
        workspace.input.copy(from: Check.random(16, &rng))
        network.forward(workspace, rows: 4, mode: .eval)
        for l in 1..<5 { #expect(workspace.layers[l].output.values == workspace.layers[0].output.values, "block \(l)") }
        #expect(network.parameters.filter { $0.role == .skipScale }.count == 4)
    }

    @Test func aResidualBlockBetweenDifferentWidthsIsRefused() throws {
        var config = NormalizationZooTests.config(.batch)
        config.network.layers[1].residual = Residual(span: 1)
        config.network.layers[1].outputs = 16
        #expect(throws: Never.self) { try Trainer(config: config, train: LessonFeatureTests.data, test: LessonFeatureTests.test) }
        for (index, span, width) in [(1, 1, 12), (0, 1, 16), (1, 2, 16), (2, 1, 3)] {
            var bad = NormalizationZooTests.config(.batch)
            bad.network.layers[index].residual = Residual(span: span)
            if index == 1 { bad.network.layers[1].outputs = width }
            #expect(throws: ConfigurationError.self, "layer \(index) span \(span)") {
                try Trainer(config: bad, train: LessonFeatureTests.data, test: LessonFeatureTests.test)
            }
        }
    }
}

/// The training options beside the zoo: class-sorted batches, training only γ and β, and the opt-in metrics.
@Suite struct TrainingOptionTests {
    @Test(arguments: [1, 2])
    func classSortedBatchesDrawFromTheirClassesOnly(_ k: Int) {
        let data = LessonFeatureTests.data
        let sampler = BatchSampler(count: data.count, batchSize: 20, stream: SplitMix64(seed: 1),
                                   sampling: .classSorted(classesPerBatch: k), labels: data.labels)
        var seen = Set<Int>(), classesSeen = Set<Int32>()
        for _ in 0..<100 {
            let batch = Array(sampler.nextBatch())
            let classes = Set(batch.map { data.labels[$0] })
            #expect(classes.count == k)
            #expect(Set(batch).count == batch.count, "an example twice in one batch")
            seen.formUnion(batch)
            classesSeen.formUnion(classes)
        }
        #expect(classesSeen.count == 3)
        #expect(seen.count == data.count)  // 2,000 draws over 600 examples reach every one
    }

    @Test func theUpcomingBatchIsTheNextOneWheneverItIsKnown() {
        // 600 examples in batches of 70: eight batches an epoch, then a reshuffle (the last 40 dropped).
        let data = LessonFeatureTests.data
        let sampler = BatchSampler(count: data.count, batchSize: 70, stream: SplitMix64(seed: 2))
        #expect(sampler.upcomingBatch() == nil)  // the first batch comes after the first shuffle
        var known = 0
        for draw in 1...40 {
            let upcoming = sampler.upcomingBatch().map(Array.init)
            let batch = Array(sampler.nextBatch())
            if let upcoming { #expect(upcoming == batch, "draw \(draw)"); known += 1 }
            // Unknown only before an epoch's first batch: draws 1, 9, 17, ...
            #expect((upcoming == nil) == (draw % 8 == 1), "draw \(draw)")
        }
        #expect(known == 35)
        let sorted = BatchSampler(count: data.count, batchSize: 20, stream: SplitMix64(seed: 1),
                                  sampling: .classSorted(classesPerBatch: 2), labels: data.labels)
        _ = sorted.nextBatch()
        #expect(sorted.upcomingBatch() == nil)  // each class-sorted batch draws its classes
    }

    @Test func classSortedSamplingIsRefusedForMoreThanTwoClasses() {
        var config = NormalizationZooTests.config(.batch)
        config.sampling = .classSorted(classesPerBatch: 3)
        #expect(throws: ConfigurationError.self) { try Trainer(config: config, train: LessonFeatureTests.data, test: LessonFeatureTests.test) }
    }

    @Test func freezingWeightsAndBiasesTrainsOnlyGammaAndBeta() throws {
        var config = NormalizationZooTests.config(.batch, placement: .after, steps: 20)
        config.frozen = [.weights, .bias]
        let trainer = try Trainer(config: config, train: LessonFeatureTests.data, test: LessonFeatureTests.test)
        let before = trainer.network.parameters.map(\.value.values)
        trainer.run()
        for (parameter, initial) in zip(trainer.network.parameters, before) {
            let moved = parameter.value.values != initial
            #expect(moved == (parameter.role == .gamma || parameter.role == .beta), "\(parameter.name)")
        }
    }

    @Test func weightNormsAndTheTrainEvalGapAreRecordedOnlyWhenAsked() throws {
        var config = NormalizationZooTests.config(.batch, steps: 40)
        let plain = try Trainer(config: config, train: LessonFeatureTests.data, test: LessonFeatureTests.test)
        plain.run()
        #expect(plain.record.series[MetricKey("weight_norm", layer: 1)] == nil)
        #expect(plain.record.series[MetricKey("train_eval_gap")] == nil)
        config.probes.weightNorms = true
        config.probes.trainEvalGap = true
        let trainer = try Trainer(config: config, train: LessonFeatureTests.data, test: LessonFeatureTests.test)
        trainer.run()
        let norm = try #require(trainer.record.series[MetricKey("weight_norm", layer: 2)]?.values.last)
        let w = trainer.network.layers[1].dense.weights()
        #expect(abs(norm - w.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()) < 1e-9 * max(1, norm))
        let lr = try #require(trainer.record.series[MetricKey("effective_lr", layer: 2)]?.values.last)
        #expect(abs(lr - 0.5 / (norm * norm)) < 1e-12)
        #expect(trainer.record.series[MetricKey("effective_lr", layer: 3)] == nil)  // the output layer has no BN
        let gap = try #require(trainer.record.series[MetricKey("train_eval_gap")]?.values.last)
        let trainMode = try #require(trainer.record.series[MetricKey("train_mode_train_accuracy")]?.values.last)
        let eval = try #require(trainer.record.series[MetricKey("train_accuracy")]?.values.last)
        #expect(abs(gap - (trainMode - eval)) < 1e-12)
        // The network's own numbers are the same with or without the extra metrics.
        #expect(trainer.record.series("batch_loss")?.values == plain.record.series("batch_loss")?.values)
    }
}
