// Weight initialisations. fan_in = inputs, fan_out = outputs of the layer.

import Foundation

/// How a dense layer's weights (and bias, if any) start.
public enum Initialization: Sendable, Equatable {
    /// PyTorch's nn.Linear default: W ~ U(−1/√fan_in, 1/√fan_in) (Kaiming-uniform with a = √5),
    /// b ~ U(−1/√fan_in, 1/√fan_in).
    case pytorchDefault
    /// W ~ N(0, σ²) with a fixed σ; b = 0.
    case gaussian(std: Float)
    /// W ~ N(0, 1/fan_in) (LeCun normal, the σ = 1/√fan_in of Ioffe & Szegedy's reproduction); b = 0.
    case lecunNormal
    /// Xavier/Glorot uniform: W ~ U(−a, a), a = √(6/(fan_in + fan_out)); b = 0.
    case xavier
    /// He (Kaiming) normal: W ~ N(0, 2/fan_in); b = 0.
    case he

    /// The names lessons and the command line use.
    public static let names = ["pytorch_default", "gaussian", "lecun_normal", "xavier", "he"]

    /// The initialisation called `name`; `std` is the Gaussian's σ. Nil if unknown.
    public static func named(_ name: String, std: Float = 0.01) -> Initialization? {
        switch name {
        case "pytorch_default": return .pytorchDefault
        case "gaussian": return .gaussian(std: std)
        case "lecun_normal": return .lecunNormal
        case "xavier": return .xavier
        case "he": return .he
        default: return nil
        }
    }

    /// Fills `weight` (outputs × inputs, PyTorch's order) and `bias` from separate streams, so a layer's
    /// weights are the same with or without a bias.
    public func initialize(weight: Tensor, bias: Tensor?, weightStream: inout SplitMix64, biasStream: inout SplitMix64) {
        let fanOut = weight.rows, fanIn = weight.columns
        let w = weight.pointer
        switch self {
        case .pytorchDefault:
            let bound = 1 / Float(fanIn).squareRoot()
            for i in 0..<weight.count { w[i] = weightStream.uniform(-bound, bound) }
            if let bias {
                for i in 0..<bias.count { bias.pointer[i] = biasStream.uniform(-bound, bound) }
            }
            return
        case .gaussian(let std):
            for i in 0..<weight.count { w[i] = weightStream.normal(std: std) }
        case .lecunNormal:
            let std = 1 / Float(fanIn).squareRoot()
            for i in 0..<weight.count { w[i] = weightStream.normal(std: std) }
        case .xavier:
            let a = (6 / Float(fanIn + fanOut)).squareRoot()
            for i in 0..<weight.count { w[i] = weightStream.uniform(-a, a) }
        case .he:
            let std = (2 / Float(fanIn)).squareRoot()
            for i in 0..<weight.count { w[i] = weightStream.normal(std: std) }
        }
        bias?.fill(0)
    }
}
