// Folding BN into the linear layer before it, for inference (Ioffe & Szegedy 2015, Algorithm 2).
//
// In eval mode BN before the activation is a fixed affine map per unit j:
//   ẑⱼ = γⱼ·(zⱼ − Eⱼ)/√(Varⱼ + ε) + βⱼ,   zⱼ = Wⱼ·x + bⱼ
// so it can be multiplied into the linear layer:
//   W′ⱼ = γⱼ·Wⱼ/√(Varⱼ + ε)
//   b′ⱼ = βⱼ + γⱼ·(bⱼ − Eⱼ)/√(Varⱼ + ε)      (bⱼ = 0 for a bias-free layer)
// Deliberately left out: folding BN placed after the activation (it would fold into the next layer).

extension Network {
    /// An equivalent network for inference with every BN-before folded into its linear layer.
    /// Returns nil if some BN sits after its activation.
    public func foldedForInference() -> Network? {
        guard layers.allSatisfy({ $0.placement != .after }) else { return nil }
        var foldedSpec = spec
        foldedSpec.layers = spec.layers.map { LayerSpec(outputs: $0.outputs, activation: $0.activation, batchNorm: .none, hasBias: true) }
        let folded = Network(foldedSpec, seed: 0)
        for (source, target) in zip(layers, folded.layers) {
            let inputs = source.dense.inputs, outputs = source.dense.outputs
            let w = source.dense.weights()
            var foldedW = w
            var foldedB = source.dense.bias?.value.values ?? [Float](repeating: 0, count: outputs)
            if let bn = source.batchNorm {
                for j in 0..<outputs {
                    let scale = bn.gamma.value.pointer[j] / (bn.runningVariance.pointer[j] + bn.epsilon).squareRoot()
                    for i in 0..<inputs { foldedW[j * inputs + i] = scale * w[j * inputs + i] }
                    foldedB[j] = bn.beta.value.pointer[j] + scale * (foldedB[j] - bn.runningMean.pointer[j])
                }
            }
            target.dense.setWeights(foldedW)
            target.dense.bias?.value.copy(from: foldedB)
        }
        return folded
    }
}
