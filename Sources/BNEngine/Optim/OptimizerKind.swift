// The optimizers by name: what lessons, knobs and the command line decode a name into, at the
// boundary, so no optimizer name travels inward as a string.

/// Which optimizer, without its hyper-parameters.
public enum OptimizerKind: String, Sendable, CaseIterable {
    case sgd, adam, adamax, adamw

    /// The kind called `name` in any case; nil if unknown.
    public init?(named name: String) { self.init(rawValue: name.lowercased()) }

    /// This optimizer with PyTorch's defaults for what isn't given.
    public func spec(learningRate lr: Float, momentum: Float = 0, beta1: Float = 0.9, beta2: Float = 0.999,
                     epsilon: Float = 1e-8) -> OptimizerSpec {
        switch self {
        case .sgd: return .sgd(learningRate: lr, momentum: momentum)
        case .adam: return .adam(learningRate: lr, beta1: beta1, beta2: beta2, epsilon: epsilon)
        case .adamax: return .adamax(learningRate: lr, beta1: beta1, beta2: beta2, epsilon: epsilon)
        case .adamw: return .adamw(learningRate: lr, beta1: beta1, beta2: beta2, epsilon: epsilon)
        }
    }

    /// The names, for hints and help texts.
    public static var names: [String] { allCases.map(\.rawValue) }
}

extension OptimizerSpec {
    public var kind: OptimizerKind {
        switch self {
        case .sgd: return .sgd
        case .adam: return .adam
        case .adamax: return .adamax
        case .adamw: return .adamw
        }
    }
}
