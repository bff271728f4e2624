// Input scalings for a (train, test) pair: raw, ÷255, per-feature z-score, binarized.
//
// Deliberately left out: whitening/PCA, per-example normalization and data augmentation. `scaled` and
// `binarized` assume pixel data 0…255; DataCatalog refuses them for the synthetic sets.
//
// m = examples, n = features. x is m × n, row-major.

import BNEngine

/// How input features are scaled before training.
public enum InputScaling: String, CaseIterable, Sendable {
    /// Pixel values as stored, 0…255.
    case raw
    /// Pixel values ÷ 255, so 0…1.
    case scaled
    /// Per feature: (x − μ) / σ with μ, σ fitted on the training split and applied to both splits.
    /// Features constant on the training split (σ = 0) become 0.
    case zscore
    /// Pixel > 127 → 1, else 0: binary images, as Ioffe & Szegedy (2015) used for MNIST.
    case binarized

    /// One line for a lesson or a help screen.
    public var summary: String {
        switch self {
        case .raw: "raw values (pixels 0…255)"
        case .scaled: "pixels ÷ 255, in 0…1"
        case .zscore: "per-feature z-score fitted on the training split"
        case .binarized: "pixels > 127 → 1, else 0"
        }
    }
}

/// Per-feature mean and (population) standard deviation of a dataset.
public struct FeatureStatistics: Sendable, Equatable {
    public var mean: [Float]
    public var std: [Float]

    public init(mean: [Float], std: [Float]) {
        self.mean = mean
        self.std = std
    }

    /// Fits the statistics on `data`: μ_j = Σ_i x_ij / m, σ_j = √(Σ_i (x_ij − μ_j)² / m).
    ///
    /// Two passes in Double, so a constant feature gets σ exactly 0 (one pass with E[x²] − μ² would
    /// leave rounding noise there). An empty dataset gives μ = 0, σ = 0.
    public init(of data: Dataset) {
        let n = data.features, m = data.count
        var sum = [Double](repeating: 0, count: n)
        var squares = [Double](repeating: 0, count: n)
        // Row by row through one row buffer, so byte-stored data is never decoded whole.
        var row = [Float](repeating: 0, count: max(1, n))
        row.withUnsafeMutableBufferPointer { x in
            sum.withUnsafeMutableBufferPointer { s in
                for i in 0..<m {
                    data.copyRow(i, into: x.baseAddress!)
                    accumulate(UnsafeBufferPointer(x), rows: 1, features: n, into: s, centre: nil)
                }
            }
        }
        let mu = sum.map { m > 0 ? $0 / Double(m) : 0 }
        row.withUnsafeMutableBufferPointer { x in
            mu.withUnsafeBufferPointer { c in
                squares.withUnsafeMutableBufferPointer { s in
                    for i in 0..<m {
                        data.copyRow(i, into: x.baseAddress!)
                        accumulate(UnsafeBufferPointer(x), rows: 1, features: n, into: s, centre: c)
                    }
                }
            }
        }
        mean = mu.map { Float($0) }
        std = squares.map { m > 0 ? Float(($0 / Double(m)).squareRoot()) : 0 }
    }
}

/// Adds each row of x (minus `centre`, squared, when given) into `acc`, feature by feature.
@_optimize(speed)
private func accumulate(_ x: UnsafeBufferPointer<Float>, rows m: Int, features n: Int,
                        into acc: UnsafeMutableBufferPointer<Double>, centre: UnsafeBufferPointer<Double>?) {
    guard let base = x.baseAddress, let a = acc.baseAddress else { return }
    var row = base
    for _ in 0..<m {
        var j = 0
        if let c = centre?.baseAddress {
            while j < n { let d = Double(row[j]) - c[j]; a[j] += d * d; j += 1 }
        } else {
            while j < n { a[j] += Double(row[j]); j += 1 }
        }
        row += n
    }
}

/// Applying an `InputScaling`.
public enum Preprocessing {
    /// Scales a (train, test) pair; z-score statistics come from `train` only, so `test` stays held out.
    public static func apply(_ scaling: InputScaling, train: Dataset, test: Dataset) -> (train: Dataset, test: Dataset) {
        switch scaling {
        case .raw:
            return (train, test)
        case .scaled:
            return (map(train) { $0 / 255 }, map(test) { $0 / 255 })
        case .binarized:
            return (map(train) { $0 > 127 ? 1 : 0 }, map(test) { $0 > 127 ? 1 : 0 })
        case .zscore:
            let stats = FeatureStatistics(of: train)
            return (zscore(train, using: stats), zscore(test, using: stats))
        }
    }

    /// (x − μ) / σ per feature; features with σ = 0 become 0.
    public static func zscore(_ data: Dataset, using stats: FeatureStatistics) -> Dataset {
        precondition(stats.mean.count == data.features, "zscore: statistics for \(stats.mean.count) features, data has \(data.features)")
        // Multiply by 1/σ (0 for constant features), so constant features come out 0 without a branch.
        let shift = stats.mean
        let gain = stats.std.map { $0 > 0 ? 1 / $0 : 0 }
        var out = data
        if let (_, decoding) = data.byteStorage, decoding.shift == nil {
            // Bytes stay bytes: the same (x − μ)·(1/σ) is applied when a batch is gathered.
            out.setDecoding(decoding.standardized(shift: shift, gain: gain))
            return out
        }
        let n = data.features, m = data.count
        out.x.withUnsafeMutableBufferPointer { x in
            shift.withUnsafeBufferPointer { mu in
                gain.withUnsafeBufferPointer { g in standardize(x, rows: m, features: n, mu: mu, gain: g) }
            }
        }
        return out
    }

    /// Applies `f` to every value of `data.x`.
    private static func map(_ data: Dataset, _ f: (Float) -> Float) -> Dataset {
        var out = data
        if let (_, decoding) = data.byteStorage, decoding.shift == nil {
            // Bytes stay bytes: f goes into the decoding table (f of each byte's current value).
            let table = decoding.table
            out.setDecoding(ByteDecoding { f(table[Int($0)]) })
            return out
        }
        out.x.withUnsafeMutableBufferPointer { x in
            guard let p = x.baseAddress else { return }
            var k = 0
            while k < x.count { p[k] = f(p[k]); k += 1 }
        }
        return out
    }
}

@_optimize(speed)
private func standardize(_ x: UnsafeMutableBufferPointer<Float>, rows m: Int, features n: Int,
                         mu: UnsafeBufferPointer<Float>, gain: UnsafeBufferPointer<Float>) {
    guard let base = x.baseAddress, let c = mu.baseAddress, let g = gain.baseAddress else { return }
    var row = base
    for _ in 0..<m {
        var j = 0
        while j < n { row[j] = (row[j] - c[j]) * g[j]; j += 1 }
        row += n
    }
}
