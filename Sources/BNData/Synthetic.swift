// Small seeded 2-D (and n-D) datasets for quick lessons: two moons, k-arm spirals, Gaussian blobs.
//
// Deliberately left out: anything image-like (that is MNIST's job), class imbalance, and label noise.
// Each generator is a pure function of its arguments: the same seed gives the same points.

import BNEngine
import Foundation

/// Seeded synthetic classification sets.
public enum Synthetic {
    /// Two interleaving half circles (as scikit-learn's `make_moons`): 2 features, 2 classes.
    ///
    /// Class 0 lies on (cos t, sin t), class 1 on (1 − cos t, ½ − sin t), t uniform in [0, π];
    /// `noise` is the standard deviation of Gaussian noise added to each coordinate.
    public static func moons(count: Int, noise: Double, seed: UInt64) throws -> Dataset {
        try check(count: count, noise: noise)
        var rng = SplitMix64(seed: seed)
        var x = [Float](), y = [Int32]()
        x.reserveCapacity(2 * count)
        y.reserveCapacity(count)
        for i in 0..<count {
            let label = i % 2
            let t = Double.pi * rng.nextUnitDouble()
            let (px, py) = label == 0 ? (cos(t), sin(t)) : (1 - cos(t), 0.5 - sin(t))
            x.append(Float(px + noise * rng.standardNormal()))
            x.append(Float(py + noise * rng.standardNormal()))
            y.append(Int32(label))
        }
        return Dataset(name: "moons", features: 2, classes: 2, x: x, labels: y)
    }

    /// `arms` interleaved spiral arms around the origin (CS231n's spiral): 2 features, `arms` classes.
    ///
    /// Arm k: radius r uniform in [0, 1], angle 2πk/arms + 4r; `noise` is the standard deviation of
    /// Gaussian noise added to each coordinate.
    public static func spirals(count: Int, arms: Int, noise: Double, seed: UInt64) throws -> Dataset {
        try check(count: count, noise: noise)
        guard arms >= 2 else { throw DataError.invalidRequest("spirals needs at least 2 arms, got \(arms).") }
        var rng = SplitMix64(seed: seed)
        var x = [Float](), y = [Int32]()
        x.reserveCapacity(2 * count)
        y.reserveCapacity(count)
        for i in 0..<count {
            let arm = i % arms
            let r = rng.nextUnitDouble()
            let angle = 2 * Double.pi * Double(arm) / Double(arms) + 4 * r
            x.append(Float(r * cos(angle) + noise * rng.standardNormal()))
            x.append(Float(r * sin(angle) + noise * rng.standardNormal()))
            y.append(Int32(arm))
        }
        return Dataset(name: "spirals", features: 2, classes: arms, x: x, labels: y)
    }

    /// Gaussian blobs, one per class, with feature j stretched by `featureScales[j]`.
    ///
    /// Centres are drawn uniformly from [−2, 2] per feature (seeded); points are centre + noise·N(0, 1)
    /// per feature; then feature j is multiplied by `featureScales[j]`. With scales [1, 100] the second
    /// feature spans ~100× the first — the setting where unnormalized inputs slow gradient descent.
    public static func blobs(count: Int, classes: Int, featureScales: [Double], noise: Double, seed: UInt64) throws -> Dataset {
        try check(count: count, noise: noise)
        guard classes >= 2 else { throw DataError.invalidRequest("blobs needs at least 2 classes, got \(classes).") }
        guard !featureScales.isEmpty, featureScales.allSatisfy({ $0.isFinite && $0 > 0 }) else {
            throw DataError.invalidRequest("blobs needs at least one feature scale, each finite and > 0; got \(featureScales).")
        }
        let n = featureScales.count
        var rng = SplitMix64(seed: seed)
        let centres = (0..<classes).map { _ in (0..<n).map { _ in 4 * rng.nextUnitDouble() - 2 } }
        var x = [Float](), y = [Int32]()
        x.reserveCapacity(n * count)
        y.reserveCapacity(count)
        for i in 0..<count {
            let label = i % classes
            for j in 0..<n {
                x.append(Float((centres[label][j] + noise * rng.standardNormal()) * featureScales[j]))
            }
            y.append(Int32(label))
        }
        return Dataset(name: "blobs", features: n, classes: classes, x: x, labels: y)
    }

    private static func check(count: Int, noise: Double) throws {
        guard count >= 0 else { throw DataError.invalidRequest("A dataset needs a count ≥ 0, got \(count).") }
        guard noise.isFinite, noise >= 0 else { throw DataError.invalidRequest("noise must be finite and ≥ 0, got \(noise).") }
    }
}
