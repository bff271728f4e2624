// How noisy are a mini-batch's statistics? The spread of μ_B across random batches of size m.
//
// μ_B = (1/m) Σᵢ zᵢ over a batch drawn without replacement. Across batches its standard deviation
// is about σ/√m (times √((N − m)/(N − 1)), ≈ 1 for m ≪ N), so on log-log axes it falls with slope −1/2:
// the noise BN injects shrinks as the batch grows.

import Foundation

public enum BatchMeanSpread {
    /// For each batch size, the standard deviation of μ_B across `batches` random batches of a layer's
    /// linear output z, averaged over the layer's units. `network` runs in eval mode (its BN, if any,
    /// does not matter for z).
    public static func measure(network: Network, data: Dataset, layer: Int, batchSizes: [Int],
                               batches: Int, seed: UInt64) -> [Double] {
        precondition(layer >= 1 && layer <= network.layers.count, "BatchMeanSpread: no layer \(layer)")
        var stream = SplitMix64.stream(seed: seed, 0x5B12EAD)
        let units = network.layers[layer - 1].outputs
        return batchSizes.map { m in
            let workspace = Workspace(network: network, capacity: m)
            var sum = [Double](repeating: 0, count: units), sumSquares = [Double](repeating: 0, count: units)
            var order = Array(0..<data.count)
            for _ in 0..<batches {
                // A partial Fisher–Yates shuffle draws m distinct examples.
                for i in 0..<m { order.swapAt(i, i + stream.index(below: data.count - i)) }
                workspace.load(data, indices: order.prefix(m))
                network.forward(workspace, rows: m, mode: .eval)
                let z = workspace.layers[layer - 1].z
                for j in 0..<units {
                    var mean = 0.0
                    for r in 0..<m { mean += Double(z[r, j]) }
                    mean /= Double(m)
                    sum[j] += mean
                    sumSquares[j] += mean * mean
                }
            }
            var spread = 0.0
            for j in 0..<units {
                let mean = sum[j] / Double(batches)
                spread += max(0, sumSquares[j] / Double(batches) - mean * mean).squareRoot()
            }
            return spread / Double(units)
        }
    }

    /// The least-squares slope of log(y) against log(x).
    public static func logLogSlope(x: [Double], y: [Double]) -> Double {
        let points = zip(x, y).filter { $0.0 > 0 && $0.1 > 0 }.map { (log($0.0), log($0.1)) }
        guard points.count >= 2 else { return .nan }
        let mx = points.map(\.0).reduce(0, +) / Double(points.count)
        let my = points.map(\.1).reduce(0, +) / Double(points.count)
        let sxy = points.map { ($0.0 - mx) * ($0.1 - my) }.reduce(0, +)
        let sxx = points.map { ($0.0 - mx) * ($0.0 - mx) }.reduce(0, +)
        return sxx > 0 ? sxy / sxx : .nan
    }
}
