// Folding a normalization into the linear layer before it, for inference (Ioffe & Szegedy 2015, Algorithm 2).
//
// A normalization whose eval mode is a fixed affine map per unit j (BN, Batch Renorm: see
// `Normalization.evalAffineMap`), placed before the activation,
//   ẑⱼ = scaleⱼ·(zⱼ − centerⱼ) + shiftⱼ,   zⱼ = Wⱼ·x + bⱼ
// (for BN: scaleⱼ = γⱼ/√(Varⱼ + ε), centerⱼ = Eⱼ, shiftⱼ = βⱼ) multiplies into the linear layer:
//   W′ⱼ = scaleⱼ·Wⱼ
//   b′ⱼ = shiftⱼ + scaleⱼ·(bⱼ − centerⱼ)      (bⱼ = 0 for a bias-free layer)
// Deliberately left out: a normalization after the activation (it would fold into the next layer), and
// per-example kinds (LayerNorm, GroupNorm), whose eval output depends on the example: no fold exists.

extension Network {
    /// An equivalent network for inference with every normalization folded into its linear layer.
    /// Returns nil if some normalization sits after its activation or has no eval-mode affine map.
    public func foldedForInference() -> Network? {
        guard layers.allSatisfy({ $0.placement != .after }) else { return nil }
        var maps = [NormalizationAffineMap?]()
        for layer in layers {
            guard let normalization = layer.normalization else { maps.append(nil); continue }
            guard let map = normalization.evalAffineMap() else { return nil }
            maps.append(map)
        }
        var foldedSpec = spec
        foldedSpec.layers = spec.layers.map { LayerSpec(outputs: $0.outputs, activation: $0.activation, placement: .none, hasBias: true) }
        let folded = Network(foldedSpec, seed: 0)
        for ((source, target), map) in zip(zip(layers, folded.layers), maps) {
            let inputs = source.dense.inputs, outputs = source.dense.outputs
            let w = source.dense.weights()
            var foldedW = w
            var foldedB = source.dense.bias?.value.values ?? [Float](repeating: 0, count: outputs)
            if let map {
                for j in 0..<outputs {
                    let scale = map.scale[j]
                    for i in 0..<inputs { foldedW[j * inputs + i] = scale * w[j * inputs + i] }
                    foldedB[j] = map.shift[j] + scale * (foldedB[j] - map.center[j])
                }
            }
            target.dense.setWeights(foldedW)
            target.dense.bias?.value.copy(from: foldedB)
        }
        return folded
    }
}
