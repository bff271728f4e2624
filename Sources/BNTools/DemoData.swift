// Synthetic, seeded data for the demo and the benchmark: Gaussian-ish activations, a decaying loss,
// rising accuracy, a drifting percentile band, a distribution over time. Nothing here is trained; the
// engine's seeded SplitMix64 makes the demo print the same picture every time.

import BNEngine
import BNPlots
import Foundation

extension SplitMix64 {
    /// Roughly standard normal: the sum of four uniforms (Irwin–Hall), rescaled.
    mutating func gaussian() -> Double {
        (nextUnitDouble() + nextUnitDouble() + nextUnitDouble() + nextUnitDouble() - 2) * 1.7320508
    }
}

enum DemoData {
    /// `count` activations with mean `mu` and std `sigma`, ReLU'd if asked.
    static func activations(count: Int, mu: Double, sigma: Double, relu: Bool = false, seed: UInt64) -> [Double] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { _ in
            let v = mu + sigma * rng.gaussian()
            return relu ? max(0, v) : v
        }
    }

    /// A noisy loss decaying from about 2.3 over `count` steps; faster when `fast`.
    static func loss(count: Int, fast: Bool, seed: UInt64) -> [DataPoint] {
        var rng = SplitMix64(seed: seed)
        let rate = fast ? 4.0 : 1.5
        return (0..<count).map { i in
            let t = Double(i) / Double(max(count, 1))
            let y = 2.2 * exp(-rate * t) + 0.08 + 0.05 * rng.gaussian() * exp(-t)
            return DataPoint(x: Double(i), y: max(y, 0.01))
        }
    }

    /// Accuracy rising toward `final` over `count` steps.
    static func accuracy(count: Int, final: Double, rate: Double, seed: UInt64) -> [DataPoint] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { i in
            let t = Double(i) / Double(max(count, 1))
            let y = final - (final - 0.1) * exp(-rate * t) + 0.01 * rng.gaussian()
            return DataPoint(x: Double(i), y: min(max(y, 0), 1))
        }
    }

    /// A unit's input percentiles drifting upward and widening over `count` steps, as without BN.
    static func band(count: Int, seed: UInt64) -> [PercentilePoint] {
        var rng = SplitMix64(seed: seed)
        return (0..<count).map { i in
            let t = Double(i) / Double(max(count - 1, 1))
            let centre = 0.6 * t + 0.1 * sin(6 * t) + 0.03 * rng.gaussian()
            let half = 0.4 + 0.3 * t
            return PercentilePoint(step: Double(i) * 100, p15: centre - half, p50: centre, p85: centre + half * 0.8)
        }
    }

    /// `count` slices of a distribution whose mean drifts and whose spread shrinks.
    static func slices(count: Int, bins: Int, range: ValueRange) -> [HeatmapSlice] {
        (0..<count).map { i in
            let t = Double(i) / Double(max(count - 1, 1))
            let mu = range.lower + range.span * (0.3 + 0.4 * t), sigma = range.span * (0.2 - 0.12 * t)
            let counts = (0..<bins).map { b -> Double in
                let x = range.lower + (Double(b) + 0.5) / Double(bins) * range.span
                return (1000 * exp(-0.5 * (x - mu) * (x - mu) / (sigma * sigma))).rounded()
            }
            return HeatmapSlice(step: Double(i) * 50, bins: counts)
        }
    }
}
