// Optimizers with PyTorch's semantics, in order of increasing complexity.
//
// Each step reads every unfrozen parameter's gradient and updates its value in place.
// State (velocity, moments) is allocated once, at construction.
// Weight decay (`WeightDecay`, rate λ) is PyTorch's: for SGD, Adam and AdaMax it is coupled L2, the
// gradient becoming g + λ·p before the update (`weight_decay=λ`); AdamW decouples it (Loshchilov & Hutter
// 2019), shrinking p ← p − lr·λ·p before the Adam step. Which parameters decay is selectable.
// Deliberately absent: Nesterov, AMSGrad, learning-rate schedules.

import Foundation

/// Which optimizer, with its hyper-parameters.
public enum OptimizerSpec: Sendable, Equatable {
    case sgd(learningRate: Float, momentum: Float = 0)
    case adam(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8)
    case adamax(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8)
    /// Adam with decoupled weight decay (the rate comes from `WeightDecay`; PyTorch's torch.optim.AdamW).
    case adamw(learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8)

    public var learningRate: Float {
        switch self {
        case .sgd(let lr, _), .adam(let lr, _, _, _), .adamax(let lr, _, _, _), .adamw(let lr, _, _, _): return lr
        }
    }

    /// The same optimizer with another learning rate.
    public func with(learningRate lr: Float) -> OptimizerSpec {
        switch self {
        case .sgd(_, let mu): return .sgd(learningRate: lr, momentum: mu)
        case .adam(_, let b1, let b2, let e): return .adam(learningRate: lr, beta1: b1, beta2: b2, epsilon: e)
        case .adamax(_, let b1, let b2, let e): return .adamax(learningRate: lr, beta1: b1, beta2: b2, epsilon: e)
        case .adamw(_, let b1, let b2, let e): return .adamw(learningRate: lr, beta1: b1, beta2: b2, epsilon: e)
        }
    }

    public var name: String {
        switch self {
        case .sgd: return "sgd"
        case .adam: return "adam"
        case .adamax: return "adamax"
        case .adamw: return "adamw"
        }
    }
}

/// Which parameters weight decay shrinks.
public enum WeightDecayScope: String, Sendable, Equatable, CaseIterable {
    /// Only the weight matrices W (the usual choice: BN's γ and β and the biases are left alone).
    case weights
    /// Every parameter: W, biases, γ and β.
    case all

    public func includes(_ role: ParameterRole) -> Bool { self == .all || role == .weight }
}

/// Weight decay: a rate λ ≥ 0 and the parameters it applies to. λ = 0 is no decay.
public struct WeightDecay: Sendable, Equatable {
    public var rate: Float
    public var scope: WeightDecayScope

    public init(rate: Float = 0, scope: WeightDecayScope = .weights) {
        self.rate = rate
        self.scope = scope
    }

    public static let none = WeightDecay()
}

/// Updates a fixed list of parameters from their gradients.
public final class Optimizer {
    public let spec: OptimizerSpec
    public let parameters: [Parameter]
    public let weightDecay: WeightDecay
    /// SGD's velocity, or Adam's and AdaMax's first moment m (empty for SGD without momentum).
    private let first: [Tensor]
    /// Adam's second moment v, or AdaMax's infinity norm u (empty for SGD).
    private let second: [Tensor]
    /// Steps taken, t (for bias correction).
    public private(set) var stepCount = 0

    public init(_ spec: OptimizerSpec, parameters: [Parameter], weightDecay: WeightDecay = .none) {
        self.spec = spec
        self.parameters = parameters
        self.weightDecay = weightDecay
        // Only the state the update reads: plain SGD keeps none, SGD with momentum a velocity per parameter.
        let moments: Int
        switch spec {
        case .sgd(_, let mu): moments = mu == 0 ? 0 : 1
        case .adam, .adamw, .adamax: moments = 2
        }
        func state() -> [Tensor] { parameters.map { Tensor(rows: $0.value.rows, columns: $0.value.columns) } }
        first = moments >= 1 ? state() : []
        second = moments >= 2 ? state() : []
    }

    /// Applies one update to every unfrozen parameter.
    public func step() {
        startStep()
        update(parameters.indices)
    }

    /// Starts a step whose updates are then applied a few parameters at a time (`update(_:)`), each as
    /// soon as its gradient is final: a trainer updates each layer right after that layer's backward,
    /// while its W and dW are still in cache. Every parameter's update reads only its own value,
    /// gradient and state, so the order changes no bit.
    public func startStep() {
        stepCount += 1
    }

    /// The learning rate when every weight matrix's update is plain SGD's p ← p − lr·g (no momentum,
    /// no decay on W, no W frozen): a backward can then take that step inside the product that computes
    /// g (`WeightGradientTarget.sgdStep`, the same bits). Nil for any other update.
    public var plainWeightStepRate: Float? {
        guard case let .sgd(lr, mu) = spec, mu == 0 else { return nil }
        if weightDecay.rate != 0 && weightDecay.scope.includes(.weight) { return nil }
        if parameters.contains(where: { $0.role == .weight && $0.isFrozen }) { return nil }
        return lr
    }

    /// The current step's update of parameters `indices` (positions in `parameters`), after `startStep`.
    /// With `weightGradient`, the weight matrix among them (role `.weight`; a layer has one) takes its
    /// gradient from there (a trainer's scratch) instead of from its own `gradient`.
    public func update(_ indices: Range<Int>, weightGradient: UnsafeMutablePointer<Float>? = nil) {
        let t = Float(stepCount)
        for index in indices where !parameters[index].isFrozen {
            let parameter = parameters[index]
            let p = parameter.value.pointer
            let g = parameter.role == .weight ? weightGradient ?? parameter.gradient.pointer : parameter.gradient.pointer
            let count = parameter.count
            // λ for this parameter, 0 if it does not decay; `decays` keeps the no-decay path exactly as it was.
            let wd = weightDecay.scope.includes(parameter.role) ? weightDecay.rate : 0
            let decays = wd != 0
            switch spec {
            case let .sgd(lr, mu):
                if mu == 0 {
                    // p ← p − lr·(g + λ·p)
                    for i in 0..<count {
                        let gi = decays ? g[i] + wd * p[i] : g[i]
                        p[i] -= lr * gi
                    }
                } else {
                    // v ← μ·v + (g + λ·p)  (PyTorch's form; the first step sets v = g + λ·p)
                    // p ← p − lr·v
                    let firstStep = stepCount == 1
                    let m = first[index].pointer
                    for i in 0..<count {
                        let gi = decays ? g[i] + wd * p[i] : g[i]
                        m[i] = firstStep ? gi : mu * m[i] + gi
                        p[i] -= lr * m[i]
                    }
                }
            case let .adam(lr, beta1, beta2, eps):
                adamStep(p, g, first[index].pointer, second[index].pointer, count: count, t: t, lr: lr, beta1: beta1, beta2: beta2, eps: eps, coupledDecay: wd)
            case let .adamw(lr, beta1, beta2, eps):
                // p ← p − lr·λ·p  (decoupled: the decay never enters the moments)
                if decays { for i in 0..<count { p[i] -= lr * wd * p[i] } }
                adamStep(p, g, first[index].pointer, second[index].pointer, count: count, t: t, lr: lr, beta1: beta1, beta2: beta2,
                         eps: eps, coupledDecay: 0)
            case let .adamax(lr, beta1, beta2, eps):
                let stepSize = lr / (1 - powf(beta1, t))
                let m = first[index].pointer, v = second[index].pointer
                for i in 0..<count {
                    let gi = decays ? g[i] + wd * p[i] : g[i]                // g + λ·p (coupled L2)
                    m[i] = beta1 * m[i] + (1 - beta1) * gi                    // update the first moment
                    v[i] = max(beta2 * v[i], abs(gi) + eps)                   // u ← max(β₂·u, |g| + ε)
                    p[i] -= stepSize * m[i] / v[i]                            // p ← p − lr/(1 − β₁ᵗ)·m/u
                }
            }
        }
    }

    /// One Adam update of `count` values; `coupledDecay` λ adds λ·p to the gradient first (0 = none).
    private func adamStep(_ p: UnsafeMutablePointer<Float>, _ g: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                          _ v: UnsafeMutablePointer<Float>, count: Int, t: Float, lr: Float, beta1: Float, beta2: Float,
                          eps: Float, coupledDecay wd: Float) {
        let decays = wd != 0
        let correction1 = 1 - powf(beta1, t), correction2 = 1 - powf(beta2, t)
        let stepSize = lr / correction1
        let sqrtCorrection2 = correction2.squareRoot()
        for i in 0..<count {
            let gi = decays ? g[i] + wd * p[i] : g[i]                 // g + λ·p (coupled L2)
            m[i] = beta1 * m[i] + (1 - beta1) * gi                    // update the first moment
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi               // update the second moment
            let denominator = v[i].squareRoot() / sqrtCorrection2 + eps // bias-correct v, then add ε
            p[i] -= stepSize * m[i] / denominator                     // bias-corrected m over √v̂
        }
    }
}
