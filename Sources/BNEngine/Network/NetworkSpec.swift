// The description of a multilayer perceptron: what a lesson's experiment declares.

/// Where a layer's normalization (BN or another kind) sits relative to its activation.
public enum BNPlacement: String, Sendable, CaseIterable, Codable {
    /// No normalization: linear → activation.
    case none
    /// linear → norm → activation: the normalization takes z, the activation's input.
    case before
    /// linear → activation → norm: the normalization takes the activation's output.
    case after
}

/// Which normalization a layer uses where its placement is not `.none`. Each case is one file in Layers/.
public enum NormalizationKind: Sendable, Equatable {
    /// Batch normalization over the examples of a batch (Ioffe & Szegedy 2015): BatchNorm.swift.
    case batch
    /// Each example normalized over its own features (Ba et al. 2016): GroupNorm with one group, GroupNorm.swift.
    case layer
    /// Each example's features in `groups` contiguous groups, each normalized alone (Wu & He 2018): GroupNorm.swift.
    case group(groups: Int)
    /// BN corrected towards the running statistics by clipped r and d (Ioffe 2017): BatchRenorm.swift.
    case batchRenorm(BatchRenormLimits)

    /// Whether train mode takes statistics over the examples of a batch (so needs ≥ 2 per batch or ghost group).
    public var usesBatchStatistics: Bool {
        switch self {
        case .batch, .batchRenorm: return true
        case .layer, .group: return false
        }
    }

    /// What is wrong with this kind's settings on a layer of n features, or nil if it can run.
    public func problem(features n: Int) -> String? {
        switch self {
        case .batch, .layer: return nil
        case .group(let groups):
            return groups >= 1 && n % groups == 0 ? nil : "GroupNorm's \(groups) groups must divide the layer's \(n) units"
        case .batchRenorm(let limits): return limits.problem
        }
    }

    /// The layer, with the network's ε and momentum (kinds without running statistics ignore momentum).
    func make(features n: Int, epsilon: Float, momentum: Float, name: String) -> any Normalization {
        switch self {
        case .batch: return BatchNorm(features: n, epsilon: epsilon, momentum: momentum, name: name)
        case .layer: return GroupNorm.layerNorm(features: n, epsilon: epsilon, name: name)
        case .group(let groups): return GroupNorm(features: n, groups: groups, epsilon: epsilon, name: name)
        case .batchRenorm(let limits): return BatchRenorm(features: n, epsilon: epsilon, momentum: momentum, limits: limits, name: name)
        }
    }
}

/// Santurkar et al. 2018's "noisy BN": after each BN, a ← s·a + c with fresh noise every step.
/// Per layer and step: μ ~ U(−meanRange, meanRange), σ ~ U(scaleLower, scaleUpper);
/// per element: c ~ U(μ − meanJitter, μ + meanJitter), s ~ N(σ, scaleJitter).
public struct BNNoise: Sendable, Equatable {
    public var meanRange: Float = 0.5
    public var scaleLower: Float = 1
    public var scaleUpper: Float = 1.25
    public var meanJitter: Float = 0.1
    public var scaleJitter: Float = 0.1
    public init() {}
}

/// One dense layer and what follows it.
public struct LayerSpec: Sendable, Equatable {
    public var outputs: Int
    public var activation: Activation
    /// Where the normalization sits; `.none` = no normalization (then `normalization` is unused).
    public var placement: BNPlacement
    public var normalization: NormalizationKind
    public var hasBias: Bool
    /// A skip connection closing at this layer (Network/Residual.swift), or nil.
    public var residual: Residual?
    /// Multiplies the layer's initial weights (after `NetworkSpec.initialization` drew them): the
    /// lessons' way to scale one layer's W by α and nothing else. 1 by default.
    public var initScale: Float = 1

    public init(outputs: Int, activation: Activation, placement: BNPlacement = .none,
                normalization: NormalizationKind = .batch, hasBias: Bool = true, residual: Residual? = nil) {
        self.outputs = outputs
        self.activation = activation
        self.placement = placement
        self.normalization = normalization
        self.hasBias = hasBias
        self.residual = residual
    }

    /// A layer with BN at `batchNorm` (the lesson format's `batch_norm: before | after`).
    public init(outputs: Int, activation: Activation, batchNorm: BNPlacement, hasBias: Bool = true) {
        self.init(outputs: outputs, activation: activation, placement: batchNorm, normalization: .batch, hasBias: hasBias)
    }

    /// The placement under its older name; setting it keeps the kind (an override of "where", not "which").
    public var batchNorm: BNPlacement {
        get { placement }
        set { placement = newValue }
    }

    /// The normalization this layer has, if any.
    public var normalizationKind: NormalizationKind? { placement == .none ? nil : normalization }
}

/// A multilayer perceptron: dense layers in order, the last producing the logits.
public struct NetworkSpec: Sendable, Equatable {
    public var inputs: Int
    public var layers: [LayerSpec]
    public var initialization: Initialization
    /// ε of every normalization layer.
    public var bnEpsilon: Float
    /// The running statistics' momentum, for kinds that keep them.
    public var bnMomentum: Float
    /// Noise after every normalization layer (Santurkar et al. 2018), or nil.
    public var bnNoise: BNNoise?

    public init(inputs: Int, layers: [LayerSpec], initialization: Initialization = .pytorchDefault,
                bnEpsilon: Float = 1e-5, bnMomentum: Float = 0.1, bnNoise: BNNoise? = nil) {
        self.inputs = inputs
        self.layers = layers
        self.initialization = initialization
        self.bnEpsilon = bnEpsilon
        self.bnMomentum = bnMomentum
        self.bnNoise = bnNoise
    }

    /// Hidden layers of the given widths, all alike, then a linear output layer with a bias and no BN;
    /// `residual` closes a block every `span` hidden layers where the widths match.
    /// `bias` nil means: a bias unless a batch-statistics normalization follows the linear map directly
    /// (subtracting the batch mean makes it redundant; a per-example LayerNorm or GroupNorm does not).
    public static func mlp(inputs: Int, hidden: [Int], classes: Int, activation: Activation,
                           batchNorm: BNPlacement = .none, normalization: NormalizationKind = .batch, bias: Bool? = nil,
                           residual: Residual? = nil, initialization: Initialization = .pytorchDefault) -> NetworkSpec {
        let hasBias = bias ?? !(batchNorm == .before && normalization.usesBatchStatistics)
        var layers = hidden.map {
            LayerSpec(outputs: $0, activation: activation, placement: batchNorm, normalization: normalization, hasBias: hasBias)
        }
        // Residual blocks of `span` layers, back to back after the first hidden layer, wherever the widths match.
        if let residual, residual.span >= 1 {
            for i in stride(from: residual.span, to: hidden.count, by: residual.span) where hidden[i] == hidden[i - residual.span] {
                layers[i].residual = residual
            }
        }
        layers.append(LayerSpec(outputs: classes, activation: .identity, placement: .none, hasBias: true))
        return NetworkSpec(inputs: inputs, layers: layers, initialization: initialization)
    }

    /// The number of learnable values: weights, biases, γ and β.
    public var parameterCount: Int {
        var total = 0
        var fanIn = inputs
        for layer in layers {
            total += fanIn * layer.outputs + (layer.hasBias ? layer.outputs : 0)
            if layer.placement != .none { total += 2 * layer.outputs }
            if case .learnable? = layer.residual?.scale { total += 1 }
            fanIn = layer.outputs
        }
        return total
    }
}
