// Residual MLP blocks: a skip connection around one or two layers, with an optional scalar on the branch.
//
// m = batch size, n = the block's width (its input and output have the same n). A layer l that closes a
// block of `span` layers (1 or 2) outputs
//   a_l = a_{l−span} + α·f(a_{l−span})
// where f is the chain of those layers as usual (linear, normalization, activation in the layer's
// placement order) and α is 1, a fixed scalar, or a learnable one initialised at 0 (SkipInit, De &
// Smith 2020: every block starts as the identity). f's output stays in the layer's `a`; the block's
// output goes to `blockOutput`, which the next layer reads.
//
// Backward, with g = dL/da_l (the closing layer's output gradient):
//   dL/df         = α·g                       (into the branch, which then runs its usual backward)
//   dα            = Σ g ⊙ f                  (over every example and unit)
//   dL/da_{l−span} = (through the branch) + g  (the skip: added after the branch wrote its part)
// The "+ g" is a sum inside one backward call; the engine's convention (every backward overwrites) holds.
// Deliberately left out: projection shortcuts between widths, and blocks that start at the network input.

/// A skip connection closing at this layer.
public struct Residual: Sendable, Equatable {
    /// How many layers the branch f spans: 1 or 2.
    public var span: Int
    public var scale: SkipScale

    public init(span: Int = 1, scale: SkipScale = .none) {
        self.span = span
        self.scale = scale
    }
}

/// The scalar α on a residual branch.
public enum SkipScale: Sendable, Equatable {
    /// α = 1: a_l = a_{l−span} + f(a_{l−span}).
    case none
    /// A fixed α.
    case fixed(Float)
    /// A learnable α, starting at `initial` (0 is SkipInit).
    case learnable(initial: Float = 0)
}

extension NetworkLayer {
    /// α for a fixed or absent scale (a learnable one lives in `skipScale`).
    var fixedSkipScale: Float {
        if case .fixed(let alpha)? = residual?.scale { return alpha }
        return 1
    }

    var skipScaleValue: Float { skipScale?.value.pointer[0] ?? fixedSkipScale }
}

extension NetworkSpec {
    /// What is wrong with layer `index`'s residual block, or nil.
    func residualProblem(at index: Int) -> String? {
        guard let residual = layers[index].residual else { return nil }
        if residual.span < 1 || residual.span > 2 { return "a residual branch spans 1 or 2 layers (got \(residual.span))" }
        if index == layers.count - 1 { return "the output layer cannot close a residual block" }
        if index - residual.span < 0 { return "a residual block needs \(residual.span) layer(s) before it to skip from" }
        let source = layers[index - residual.span].outputs
        if source != layers[index].outputs {
            return "a residual block needs equal widths: \(source) units skip to \(layers[index].outputs)"
        }
        if case .fixed(let alpha) = residual.scale, !alpha.isFinite { return "the branch scale must be a number" }
        if case .learnable(let alpha) = residual.scale, !alpha.isFinite { return "the branch scale must be a number" }
        return nil
    }
}

extension Network {
    /// blockOutput = a_{l−span} + α·f for layer l (no-op unless it closes a block).
    func closeResidualBlock(_ l: Int, _ workspace: Workspace, rows m: Int) {
        let layer = layers[l]
        guard let residual = layer.residual else { return }
        let buffers = workspace.layers[l], source = workspace.layers[l - residual.span].output
        let alpha = layer.skipScaleValue
        let f = buffers.a.pointer, skip = source.pointer, out = buffers.blockOutput.pointer
        for i in 0..<(m * layer.outputs) { out[i] = skip[i] + alpha * f[i] }
    }

    /// Before layer l's branch backward: keeps g for the skip, writes dα, and scales g by α in place.
    func enterResidualBackward(_ l: Int, _ workspace: Workspace, rows m: Int) {
        let layer = layers[l]
        guard layer.residual != nil else { return }
        let buffers = workspace.layers[l], count = m * layer.outputs
        let g = buffers.gradient.pointer, f = buffers.a.pointer
        buffers.skipGradient.pointer.update(from: g, count: count)
        if let alpha = layer.skipScale {
            // dα = Σ g ⊙ f
            var dAlpha: Float = 0
            for i in 0..<count { dAlpha += g[i] * f[i] }
            alpha.gradient.pointer[0] = dAlpha
        }
        // dL/df = α·g
        let scale = layer.skipScaleValue
        for i in 0..<count { g[i] *= scale }
    }

    /// After layer k's linear backward wrote dL/da_{k−1}: adds the skip gradient of every block that
    /// starts at layer k − 1.
    func addSkipGradients(into k: Int, _ workspace: Workspace, rows m: Int) {
        let target = k - 1
        guard target >= 0 else { return }
        for span in 1...2 where target + span < layers.count {
            let closing = target + span
            guard layers[closing].residual?.span == span else { continue }
            let dTarget = workspace.layers[target].gradient.pointer, skip = workspace.layers[closing].skipGradient.pointer
            for i in 0..<(m * layers[closing].outputs) { dTarget[i] += skip[i] }
        }
    }
}
