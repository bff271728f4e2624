// The ranges in which an optimizer's hyper-parameters mean something, checked by
// `TrainingConfig.validate` (so lessons, knobs and `bnlab train` all get the same rules).

extension OptimizerSpec {
    /// Throws a ``ConfigurationError`` naming the field (`optimizer.<key>`) of the first value out of range:
    /// the learning rate ≥ 0 and finite; SGD's momentum μ in [0, 1) (at 1 the velocity never decays);
    /// Adam's, AdaMax's and AdamW's β₁, β₂ in [0, 1) (the bias corrections divide by 1 − βᵗ); ε > 0 and finite.
    public func validate() throws {
        let lr = learningRate
        if !(lr.isFinite && lr >= 0) {
            throw ConfigurationError(field: "learning_rate", "must be a non-negative number (got \(lr))")
        }
        switch self {
        case .sgd(_, let momentum):
            try Self.check(momentum, "momentum", "the velocity must decay, so μ < 1")
        case .adam(_, let beta1, let beta2, let epsilon), .adamax(_, let beta1, let beta2, let epsilon),
             .adamw(_, let beta1, let beta2, let epsilon):
            try Self.check(beta1, "beta1", "the bias correction divides by 1 − β₁ᵗ")
            try Self.check(beta2, "beta2", "the bias correction divides by 1 − β₂ᵗ")
            if !(epsilon.isFinite && epsilon > 0) {
                throw ConfigurationError(field: "optimizer.epsilon", "must be a positive number (got \(epsilon))")
            }
        }
    }

    /// A decay rate in [0, 1).
    private static func check(_ value: Float, _ key: String, _ why: String) throws {
        if !(value >= 0 && value < 1) {
            throw ConfigurationError(field: "optimizer.\(key)", "must be in [0, 1) (got \(value)): \(why)")
        }
    }
}
