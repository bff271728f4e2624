// The description of a multilayer perceptron: what a lesson's experiment declares.

/// Where a layer's BN sits relative to its activation.
public enum BNPlacement: String, Sendable, CaseIterable, Codable {
    /// No BN: linear → activation.
    case none
    /// linear → BN → activation: BN normalizes z, the activation's input.
    case before
    /// linear → activation → BN: BN normalizes the activation's output.
    case after
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
    public var batchNorm: BNPlacement
    public var hasBias: Bool

    public init(outputs: Int, activation: Activation, batchNorm: BNPlacement = .none, hasBias: Bool = true) {
        self.outputs = outputs
        self.activation = activation
        self.batchNorm = batchNorm
        self.hasBias = hasBias
    }
}

/// A multilayer perceptron: dense layers in order, the last producing the logits.
public struct NetworkSpec: Sendable, Equatable {
    public var inputs: Int
    public var layers: [LayerSpec]
    public var initialization: Initialization
    public var bnEpsilon: Float
    public var bnMomentum: Float
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

    /// Hidden layers of the given widths, all alike, then a linear output layer with a bias and no BN.
    /// `bias` nil means: a bias where no BN follows the linear map directly (BN before makes it redundant).
    public static func mlp(inputs: Int, hidden: [Int], classes: Int, activation: Activation,
                           batchNorm: BNPlacement = .none, bias: Bool? = nil,
                           initialization: Initialization = .pytorchDefault) -> NetworkSpec {
        let hasBias = bias ?? (batchNorm != .before)
        var layers = hidden.map { LayerSpec(outputs: $0, activation: activation, batchNorm: batchNorm, hasBias: hasBias) }
        layers.append(LayerSpec(outputs: classes, activation: .identity, batchNorm: .none, hasBias: true))
        return NetworkSpec(inputs: inputs, layers: layers, initialization: initialization)
    }

    /// The number of learnable values: weights, biases, γ and β.
    public var parameterCount: Int {
        var total = 0
        var fanIn = inputs
        for layer in layers {
            total += fanIn * layer.outputs + (layer.hasBias ? layer.outputs : 0)
            if layer.batchNorm != .none { total += 2 * layer.outputs }
            fanIn = layer.outputs
        }
        return total
    }
}
