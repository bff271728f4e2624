import Testing
@testable import BNEngine

/// The engine's gradient convention (Optim/Parameter.swift): a backward overwrites every parameter's
/// gradient, so the trainer never zeroes them between steps. Gradients filled with NaN before the
/// backward must come out exactly as gradients filled with 0 do.
@Suite struct GradientOverwriteTests {
    static let kinds: [NormalizationKind] = [.batch, .layer, .group(groups: 2), .batchRenorm(BatchRenormLimits(rmax: 2, dmax: 1))]

    /// Gradients after one forward and backward, each parameter's gradient first set to `fill`.
    static func gradients(_ spec: NetworkSpec, fill: Float) -> [[Float]] {
        let network = Network(spec, seed: 3)
        let m = 8
        let workspace = Workspace(network: network, capacity: m)
        var rng = SplitMix64(seed: 4)
        workspace.input.copy(from: (0..<(m * spec.inputs)).map { _ in rng.normal(std: 1) })
        for i in 0..<m { workspace.labels[i] = Int32(i % 3) }
        for parameter in network.parameters { parameter.gradient.fill(fill) }
        network.forward(workspace, rows: m, mode: .train(ghostSize: 4))
        SoftmaxCrossEntropy.evaluate(logits: workspace.logits, labels: workspace.labels, rows: m, gradient: workspace.logitsGradient)
        network.backward(workspace, rows: m)
        return network.parameters.map(\.gradient.values)
    }

    @Test(arguments: kinds, BNPlacement.allCases)
    func backwardOverwritesEveryGradient(_ kind: NormalizationKind, _ placement: BNPlacement) {
        let spec = NetworkSpec(inputs: 4, layers: [
            LayerSpec(outputs: 6, activation: .sigmoid, placement: placement, normalization: kind, hasBias: true),
            LayerSpec(outputs: 6, activation: .relu, placement: placement, normalization: kind, hasBias: false,
                      residual: Residual(span: 1, scale: .learnable(initial: 0.5))),
            LayerSpec(outputs: 3, activation: .identity, placement: .none, hasBias: true),
        ])
        let fromNaN = Self.gradients(spec, fill: .nan), fromZero = Self.gradients(spec, fill: 0)
        #expect(fromNaN.count == fromZero.count)
        for (a, b) in zip(fromNaN, fromZero) {
            #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "\(kind) \(placement)")
            #expect(a.allSatisfy { $0.isFinite })
        }
    }
}
