import Testing
@testable import BNEngine

/// Weight decay: coupled L2 for SGD, Adam and AdaMax, decoupled for AdamW, and which parameters it touches.
/// (Against PyTorch's own numbers in BNVerifyTests; here the forms themselves, step by step.)
@Suite struct WeightDecayTests {
    static func parameter(_ role: ParameterRole = .weight, values: [Float] = [1, -2, 0.5], gradient: [Float] = [0.1, 0.2, -0.3]) -> Parameter {
        let p = Parameter(name: "p", rows: 1, columns: values.count, role: role)
        p.value.copy(from: values)
        p.gradient.copy(from: gradient)
        return p
    }

    @Test func sgdDecayAddsLambdaTimesPToTheGradient() {
        let p = Self.parameter()
        Optimizer(.sgd(learningRate: 0.1), parameters: [p], weightDecay: WeightDecay(rate: 0.5)).step()
        // p − lr·(g + λ·p)
        let expected: [Float] = [1 - 0.1 * (0.1 + 0.5), -2 - 0.1 * (0.2 - 1), 0.5 - 0.1 * (-0.3 + 0.25)]
        for (a, b) in zip(p.value.values, expected) { #expect(abs(a - b) < 1e-6) }
    }

    @Test func coupledAdamEqualsAdamOnTheDecayedGradient() {
        let (decayed, manual) = (Self.parameter(), Self.parameter())
        let withDecay = Optimizer(.adam(learningRate: 0.01), parameters: [decayed], weightDecay: WeightDecay(rate: 0.3))
        let plain = Optimizer(.adam(learningRate: 0.01), parameters: [manual])
        for _ in 0..<5 {
            for i in 0..<manual.count { manual.gradient.pointer[i] = 0.1 + 0.3 * manual.value.pointer[i] }
            for i in 0..<decayed.count { decayed.gradient.pointer[i] = 0.1 }
            withDecay.step()
            plain.step()
        }
        #expect(decayed.value.values == manual.value.values)
    }

    @Test func adamwShrinksTheParameterOutsideTheMoments() {
        // With a zero gradient Adam's step is 0, so AdamW only shrinks: p ← p·(1 − lr·λ) per step.
        let p = Self.parameter(gradient: [0, 0, 0])
        let optimizer = Optimizer(.adamw(learningRate: 0.1), parameters: [p], weightDecay: WeightDecay(rate: 0.5))
        for _ in 0..<3 { optimizer.step() }
        let factor = Float(0.95 * 0.95 * 0.95)
        for (a, b) in zip(p.value.values, [1 * factor, -2 * factor, 0.5 * factor]) { #expect(abs(a - b) < 1e-6) }
        // Coupled Adam with the same λ takes a full-size step instead (the decay passes through m/√v).
        let coupled = Self.parameter(gradient: [0, 0, 0])
        Optimizer(.adam(learningRate: 0.1), parameters: [coupled], weightDecay: WeightDecay(rate: 0.5)).step()
        #expect(abs(coupled.value.pointer[0] - 0.9) < 1e-4)
    }

    @Test func adamwWithoutDecayIsAdam() {
        let (a, b) = (Self.parameter(), Self.parameter())
        let (adamw, adam) = (Optimizer(.adamw(learningRate: 0.01), parameters: [a]), Optimizer(.adam(learningRate: 0.01), parameters: [b]))
        for _ in 0..<4 { adamw.step(); adam.step() }
        #expect(a.value.values == b.value.values)
    }

    @Test(arguments: WeightDecayScope.allCases)
    func theScopeSelectsWhichParametersDecay(_ scope: WeightDecayScope) {
        let roles: [ParameterRole] = [.weight, .bias, .gamma, .beta]
        let parameters = roles.map { Self.parameter($0, gradient: [0, 0, 0]) }
        Optimizer(.sgd(learningRate: 0.1), parameters: parameters, weightDecay: WeightDecay(rate: 1, scope: scope)).step()
        for (role, p) in zip(roles, parameters) {
            let moved = p.value.values != [1, -2, 0.5]
            #expect(moved == (role == .weight || scope == .all), "\(role) under \(scope)")
        }
    }

    @Test func aNetworkLabelsItsParametersByRole() {
        let network = Network(.mlp(inputs: 4, hidden: [5], classes: 3, activation: .relu, batchNorm: .after), seed: 1)
        #expect(network.parameters.map(\.role) == [.weight, .bias, .gamma, .beta, .weight, .bias])
    }

    @Test func aNegativeOrNonFiniteDecayIsRefused() {
        for rate: Float in [-0.1, .nan, .infinity] {
            var config = TrainingTests.config(batchNorm: .before)
            config.weightDecay = WeightDecay(rate: rate)
            #expect(throws: ConfigurationError.self, "\(rate)") {
                try Trainer(config: config, train: LessonFeatureTests.data, test: LessonFeatureTests.test)
            }
        }
    }
}
