// Santurkar et al. 2018's view of the loss landscape along the gradient.
//
// At a probe step with gradient g at parameters θ on batch B, for each step size η = k·lr
// (k in the configured multipliers) it evaluates the same batch at θ − η·g:
//   loss_variation  = max_η L(θ − η·g) − min_η L(θ − η·g)   (how much the loss changes along the step)
//   gradient_change = max_η ‖∇L(θ − η·g) − g‖              (how far the gradient turns: "predictiveness")
// BN smooths the landscape if both are smaller with BN. Batch statistics are used, the running
// averages are untouched, and θ and g are restored afterwards, so training is unchanged.

final class LandscapeProbe {
    private let network: Network
    private let values: [Tensor]
    private let gradients: [Tensor]

    init(network: Network) {
        self.network = network
        values = network.parameters.map { Tensor(rows: $0.value.rows, columns: $0.value.columns) }
        gradients = network.parameters.map { Tensor(rows: $0.value.rows, columns: $0.value.columns) }
    }

    /// Measures around the current parameters and gradients (from a backward on `workspace`'s batch).
    func measure(workspace: Workspace, rows m: Int, ghostSize: Int?, learningRate: Float,
                 multipliers: [Float]) -> (lossVariation: Double, gradientChange: Double) {
        let parameters = network.parameters
        for (index, parameter) in parameters.enumerated() {
            values[index].copy(from: parameter.value)
            gradients[index].copy(from: parameter.gradient)
        }
        var lowest = Double.infinity, highest = -Double.infinity, largestChange = 0.0
        for multiplier in multipliers {
            let eta = multiplier * learningRate
            // θ ← θ₀ − η·g₀
            for (index, parameter) in parameters.enumerated() where !parameter.isFrozen {
                let p = parameter.value.pointer, v = values[index].pointer, g = gradients[index].pointer
                for i in 0..<parameter.count { p[i] = v[i] - eta * g[i] }
            }
            network.forward(workspace, rows: m, mode: .batchStatistics(ghostSize: ghostSize))
            let loss = SoftmaxCrossEntropy.evaluate(logits: workspace.logits, labels: workspace.labels, rows: m,
                                                    gradient: workspace.logitsGradient).loss
            network.backward(workspace, rows: m)
            lowest = min(lowest, loss)
            highest = max(highest, loss)
            var squares = 0.0
            for (index, parameter) in parameters.enumerated() {
                let g = parameter.gradient.pointer, g0 = gradients[index].pointer
                parameter.forEachOffset { i in
                    let d = Double(g[i] - g0[i])
                    squares += d * d
                }
            }
            largestChange = max(largestChange, squares.squareRoot())
        }
        for (index, parameter) in parameters.enumerated() {
            parameter.value.copy(from: values[index])
            parameter.gradient.copy(from: gradients[index])
        }
        return (highest - lowest, largestChange)
    }
}
