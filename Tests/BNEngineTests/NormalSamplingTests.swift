// The polar method's pairs (SplitMix64.standardNormalPair, noisy BN's normals) and Box–Muller's samples
// (the weight initializations') held to the standard normal's moments and quantiles, with two negative
// controls: samplers that are wrong in scale and in shape fail the same checks.

import Testing
@testable import BNEngine

@Suite struct NormalSamplingTests {
    /// The properties of a standard normal that `samples` violate, each bound at about five standard
    /// errors for 200,000 samples: mean 0 (standard error 0.0022), variance 1 (0.0032), fourth moment 3
    /// (0.022), P(|z| < 1) = 0.682689 (0.0010) and P(|z| < 2) = 0.954500 (0.00047).
    static func violations(_ samples: [Double]) -> [String] {
        let n = Double(samples.count)
        let mean = samples.reduce(0, +) / n
        let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n
        let fourth = samples.reduce(0) { $0 + $1 * $1 * $1 * $1 } / n
        let within1 = Double(samples.filter { abs($0) < 1 }.count) / n
        let within2 = Double(samples.filter { abs($0) < 2 }.count) / n
        var found: [String] = []
        if abs(mean) >= 0.011 { found.append("mean \(mean)") }
        if abs(variance - 1) >= 0.016 { found.append("variance \(variance)") }
        if abs(fourth - 3) >= 0.11 { found.append("fourth moment \(fourth)") }
        if abs(within1 - 0.682689) >= 0.005 { found.append("P(|z| < 1) \(within1)") }
        if abs(within2 - 0.954500) >= 0.0024 { found.append("P(|z| < 2) \(within2)") }
        return found
    }

    /// 100,000 pairs from `seed`, first values and second values apart.
    static func pairs(seed: UInt64) -> (first: [Double], second: [Double]) {
        var rng = SplitMix64(seed: seed)
        var first: [Double] = [], second: [Double] = []
        for _ in 0..<100_000 {
            let (a, b) = rng.standardNormalPair()
            first.append(a)
            second.append(b)
        }
        return (first, second)
    }

    @Test(arguments: [1, 17, 2026] as [UInt64])
    func polarPairsAreStandardNormal(seed: UInt64) {
        let (first, second) = Self.pairs(seed: seed)
        #expect(Self.violations(first + second) == [])
        // The two values of a pair are uncorrelated: |r| under five standard errors (1/√100,000 each).
        let r = zip(first, second).reduce(0) { $0 + $1.0 * $1.1 } / Double(first.count)
        #expect(abs(r) < 0.016)
    }

    @Test func boxMullerSamplesPassTheSameChecks() {
        // The weight initializations' sampler (`standardNormal`), held to the same standard.
        var rng = SplitMix64(seed: 17)
        #expect(Self.violations((0..<200_000).map { _ in rng.standardNormal() }) == [])
    }

    @Test func theSameSeedGivesTheSamePairs() {
        let a = Self.pairs(seed: 5), b = Self.pairs(seed: 5), c = Self.pairs(seed: 6)
        #expect(a.first == b.first && a.second == b.second)
        #expect(a.first != c.first)
    }

    @Test func samplersWrongInScaleOrShapeFailTheChecks() {
        let (first, second) = Self.pairs(seed: 17)
        // √(−ln s / s) instead of √(−2 ln s / s): variance 1/2.
        let halfVariance = (first + second).map { $0 / 2.0.squareRoot() }
        #expect(Self.violations(halfVariance).contains { $0.hasPrefix("variance") })
        // Uniform on [−√3, √3): mean 0 and variance 1, but not normal (P(|z| < 1) = 0.577, fourth moment 1.8).
        var rng = SplitMix64(seed: 17)
        let uniform = (0..<200_000).map { _ in (2 * rng.nextUnitDouble() - 1) * 3.0.squareRoot() }
        let found = Self.violations(uniform)
        #expect(!found.contains { $0.hasPrefix("mean") || $0.hasPrefix("variance") })
        #expect(found.contains { $0.hasPrefix("P(|z| < 1)") } && found.contains { $0.hasPrefix("fourth moment") })
    }
}
