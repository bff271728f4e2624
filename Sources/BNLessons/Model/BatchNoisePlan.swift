// A batch-noise measurement: how much μ_B wanders from batch to batch, for several batch sizes m.

import BNData
import BNEngine

/// Draws `batches` random mini-batches of each size and measures the spread of their means of a
/// layer's linear output z (see `BatchMeanSpread`). Nothing trains.
public struct BatchNoisePlan: Sendable {
    public var data: DataRequest
    public var network: NetworkSpec
    /// The 1-based layer whose z is measured.
    public var layer: Int
    public var batchSizes: [Int]
    public var batches: Int
    public var seed: UInt64

    public init(data: DataRequest, network: NetworkSpec, layer: Int, batchSizes: [Int], batches: Int, seed: UInt64) {
        self.data = data
        self.network = network
        self.layer = layer
        self.batchSizes = batchSizes
        self.batches = batches
        self.seed = seed
    }
}
