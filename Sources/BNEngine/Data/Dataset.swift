// A labelled dataset held in one contiguous row-major buffer.
//
// m = number of examples, n = features. `x` is m × n, row-major: example i occupies
// x[i*n ..< (i+1)*n]. Labels are class indices 0..<classes.

/// A set of labelled examples, features stored contiguously, one row per example.
public struct Dataset: Sendable {
    public var name: String
    public var features: Int
    public var classes: Int
    public var x: [Float]
    public var labels: [Int32]

    public init(name: String, features: Int, classes: Int, x: [Float], labels: [Int32]) {
        precondition(x.count == features * labels.count, "Dataset: x has \(x.count) values, expected \(features) × \(labels.count)")
        self.name = name
        self.features = features
        self.classes = classes
        self.x = x
        self.labels = labels
    }

    /// Number of examples.
    public var count: Int { labels.count }

    /// The examples at `indices`, in that order.
    public func subset(_ indices: [Int], name: String? = nil) -> Dataset {
        var xs = [Float]()
        xs.reserveCapacity(indices.count * features)
        var ys = [Int32]()
        ys.reserveCapacity(indices.count)
        for i in indices {
            xs.append(contentsOf: x[(i * features)..<((i + 1) * features)])
            ys.append(labels[i])
        }
        return Dataset(name: name ?? self.name, features: features, classes: classes, x: xs, labels: ys)
    }

    /// The first `count` examples.
    public func prefix(_ count: Int) -> Dataset {
        subset(Array(0..<min(count, self.count)))
    }
}
