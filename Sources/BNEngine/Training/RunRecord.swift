// What a training run records: scalar series and histogram snapshots, keyed by metric.
//
// Steps count updates: step 0 is the initial network, step t the network after t updates.

/// Where in a layer a value is measured.
public enum Stage: String, Sendable, CaseIterable, Codable, Hashable {
    /// z = x·Wᵀ + b, the linear map's output.
    case linear
    /// BN's output (before or after the activation, wherever BN sits).
    case normalized
    /// The activation's input: ẑ with BN before, else z. The "input to a sigmoid" of Ioffe & Szegedy's Fig. 1.
    case preActivation = "pre_activation"
    /// The activation's output.
    case activation
}

/// Names one recorded series: a metric, optionally of a layer (1-based), a stage and a unit.
public struct MetricKey: Hashable, Sendable, Codable, CustomStringConvertible {
    public var name: String
    public var layer: Int?
    public var stage: Stage?
    public var unit: Int?

    public init(_ name: String, layer: Int? = nil, stage: Stage? = nil, unit: Int? = nil) {
        self.name = name
        self.layer = layer
        self.stage = stage
        self.unit = unit
    }

    public var description: String {
        var parts = [name]
        if let layer { parts.append("layer \(layer)") }
        if let stage { parts.append(stage.rawValue) }
        if let unit { parts.append("unit \(unit)") }
        return parts.joined(separator: " ")
    }
}

/// One metric's recorded values, at increasing steps.
public struct MetricSeries: Sendable, Codable, Equatable {
    public var steps: [Int] = []
    public var values: [Double] = []

    public init(steps: [Int] = [], values: [Double] = []) {
        self.steps = steps
        self.values = values
    }

    /// An empty series with room for `capacity` values, so appending never reallocates.
    public init(reservingCapacity capacity: Int) {
        steps.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    public mutating func append(step: Int, _ value: Double) {
        steps.append(step)
        values.append(value)
    }

    public var isEmpty: Bool { values.isEmpty }
    public var last: Double? { values.last }
}

/// Counts of values in `bins.count` equal bins over lower...upper, with what fell outside.
public struct HistogramSnapshot: Sendable, Codable, Equatable {
    public var step: Int
    public var lower: Double
    public var upper: Double
    public var bins: [Double]
    public var below: Int
    public var above: Int
    public var nonFinite: Int
    public var mean: Double
    public var std: Double
    /// Fraction of saturated activations (activation stage only; else 0).
    public var saturation: Double

    public init(step: Int, lower: Double, upper: Double, bins: [Double], below: Int, above: Int,
                nonFinite: Int, mean: Double, std: Double, saturation: Double) {
        self.step = step
        self.lower = lower
        self.upper = upper
        self.bins = bins
        self.below = below
        self.above = above
        self.nonFinite = nonFinite
        self.mean = mean
        self.std = std
        self.saturation = saturation
    }
}

/// Identifies a histogram's layer (1-based) and stage.
public struct HistogramKey: Hashable, Sendable, Codable, CustomStringConvertible {
    public var layer: Int
    public var stage: Stage

    public init(layer: Int, stage: Stage) {
        self.layer = layer
        self.stage = stage
    }

    public var description: String { "layer \(layer) \(stage.rawValue)" }
}

/// Why a run stopped early.
public struct TrainingFailure: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    public var step: Int
    public var message: String

    public init(step: Int, message: String) {
        self.step = step
        self.message = message
    }

    public var description: String { "diverged at step \(step): \(message)" }
}

/// Everything one run measured.
public struct RunRecord: Sendable {
    public var series: [MetricKey: MetricSeries] = [:]
    public var histograms: [HistogramKey: [HistogramSnapshot]] = [:]
    public var failure: TrainingFailure?
    /// Updates done so far.
    public var steps = 0

    public init() {}

    public mutating func append(_ key: MetricKey, step: Int, _ value: Double) {
        series[key, default: MetricSeries()].append(step: step, value)
    }

    public subscript(_ key: MetricKey) -> MetricSeries? { series[key] }

    /// The series of a metric by name, optionally narrowed to a layer, stage and unit.
    public func series(_ name: String, layer: Int? = nil, stage: Stage? = nil, unit: Int? = nil) -> MetricSeries? {
        series[MetricKey(name, layer: layer, stage: stage, unit: unit)]
    }
}
