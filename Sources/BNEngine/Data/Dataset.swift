// A labelled dataset: features row by row, stored as Floats or as bytes decoded when a batch is gathered.
//
// m = number of examples, n = features. Example i is row i: x[i*n ..< (i+1)*n]. Labels are class
// indices 0..<classes.
//
// Pixel data (MNIST: 60,000 × 784) is kept as its bytes plus a decoding, value = table[byte], then
// (value − shift[j])·gain[j] per feature j when standardized. A full split as Float is 188 MB, as
// bytes 47 MB, shared (copy-on-write) by every dataset cut from the same split, so a lesson holding
// raw, ÷255 and z-scored MNIST at once holds the bytes once. Decoding performs the very operations
// the Float path performed when the data was prepared (Float(b), then ÷255 or the z-score), so every
// value is bit-identical to it.

import CPrefetch

/// A set of labelled examples, one row per example.
public struct Dataset: Sendable {
    public var name: String
    public var features: Int
    public var classes: Int
    public var labels: [Int32]
    private var storage: Storage

    /// How the features are held.
    private enum Storage: Sendable {
        case floats([Float])
        case bytes([UInt8], ByteDecoding)
    }

    public init(name: String, features: Int, classes: Int, x: [Float], labels: [Int32]) {
        precondition(x.count == features * labels.count, "Dataset: x has \(x.count) values, expected \(features) × \(labels.count)")
        self.name = name
        self.features = features
        self.classes = classes
        self.labels = labels
        storage = .floats(x)
    }

    /// A dataset of byte features (m × n, row-major) read through `decoding`.
    public init(name: String, features: Int, classes: Int, bytes: [UInt8], decoding: ByteDecoding, labels: [Int32]) {
        precondition(bytes.count == features * labels.count, "Dataset: \(bytes.count) bytes, expected \(features) × \(labels.count)")
        precondition(decoding.shift.map { $0.count == features } ?? true, "Dataset: a standardization for \(features) features")
        self.name = name
        self.features = features
        self.classes = classes
        self.labels = labels
        storage = .bytes(bytes, decoding)
    }

    /// Number of examples.
    public var count: Int { labels.count }

    /// Every feature as Float, row-major (m × n). For byte storage this decodes a copy; a hot loop
    /// reads rows with `copyRow(_:into:)` instead. Setting it stores Floats.
    public var x: [Float] {
        get {
            switch storage {
            case .floats(let values): return values
            case .bytes(let bytes, _):
                return [Float](unsafeUninitializedCapacity: bytes.count) { buffer, initialized in
                    guard let base = buffer.baseAddress else { initialized = 0; return }
                    for i in 0..<count { copyRow(i, into: base + i * features) }
                    initialized = bytes.count
                }
            }
        }
        set { storage = .floats(newValue) }
    }

    /// The byte features and their decoding, if the features are stored as bytes.
    public var byteStorage: (bytes: [UInt8], decoding: ByteDecoding)? {
        if case .bytes(let bytes, let decoding) = storage { return (bytes, decoding) }
        return nil
    }

    /// Replaces the decoding of byte features (same bytes); does nothing for Float features.
    public mutating func setDecoding(_ decoding: ByteDecoding) {
        guard case .bytes(let bytes, _) = storage else { return }
        precondition(decoding.shift.map { $0.count == features } ?? true, "Dataset: a standardization for \(features) features")
        storage = .bytes(bytes, decoding)
    }

    /// Writes example i's n features into `destination`.
    @inline(__always)
    public func copyRow(_ i: Int, into destination: UnsafeMutablePointer<Float>) {
        let n = features
        switch storage {
        case .floats(let values):
            values.withUnsafeBufferPointer { x in
                guard let base = x.baseAddress else { return }
                destination.update(from: base + i * n, count: n)
            }
        case .bytes(let bytes, let decoding):
            bytes.withUnsafeBufferPointer { x in
                guard let base = x.baseAddress else { return }
                decoding.decode(base + i * n, into: destination, count: n)
            }
        }
    }

    /// Asks the cache for every 64-byte line of example i's features and its label, without waiting for
    /// them (a software prefetch): the trainer names the next batch's rows while it trains on this one,
    /// so that `Workspace.load` finds them in cache instead of waiting on memory.
    func prefetchRow(_ i: Int) {
        labels.withUnsafeBufferPointer { bnlab_prefetch($0.baseAddress.map { UnsafeRawPointer($0 + i) }) }
        switch storage {
        case .floats(let values):
            values.withUnsafeBufferPointer { x in prefetchLines(x.baseAddress.map { UnsafeRawPointer($0 + i * features) }, bytes: 4 * features) }
        case .bytes(let bytes, _):
            bytes.withUnsafeBufferPointer { x in prefetchLines(x.baseAddress.map { UnsafeRawPointer($0 + i * features) }, bytes: features) }
        }
    }

    /// A prefetch of each line of `bytes` from `start` (the last line included).
    private func prefetchLines(_ start: UnsafeRawPointer?, bytes: Int) {
        guard let start, bytes > 0 else { return }
        for offset in Swift.stride(from: 0, to: bytes, by: 64) { bnlab_prefetch(start + offset) }
        bnlab_prefetch(start + (bytes - 1))
    }

    /// One value from each 64-byte cache line of example i's features, and its label, summed: reading
    /// them brings the row into cache (Workspace.load runs this over a batch before decoding it).
    @inline(__always)
    public func touchRow(_ i: Int) -> UInt32 {
        var sum = UInt32(truncatingIfNeeded: labels[i])
        switch storage {
        case .floats(let values):
            values.withUnsafeBufferPointer { x in
                for j in Swift.stride(from: i * features, to: (i + 1) * features, by: 16) { sum &+= x[j].bitPattern }
            }
        case .bytes(let bytes, _):
            bytes.withUnsafeBufferPointer { x in
                for j in Swift.stride(from: i * features, to: (i + 1) * features, by: 64) { sum &+= UInt32(x[j]) }
            }
        }
        return sum
    }

    /// The examples at `indices`, in that order.
    public func subset(_ indices: [Int], name: String? = nil) -> Dataset {
        var ys = [Int32]()
        ys.reserveCapacity(indices.count)
        for i in indices { ys.append(labels[i]) }
        switch storage {
        case .floats(let x):
            var xs = [Float]()
            xs.reserveCapacity(indices.count * features)
            for i in indices { xs.append(contentsOf: x[(i * features)..<((i + 1) * features)]) }
            return Dataset(name: name ?? self.name, features: features, classes: classes, x: xs, labels: ys)
        case .bytes(let bytes, let decoding):
            var bs = [UInt8]()
            bs.reserveCapacity(indices.count * features)
            for i in indices { bs.append(contentsOf: bytes[(i * features)..<((i + 1) * features)]) }
            return Dataset(name: name ?? self.name, features: features, classes: classes, bytes: bs, decoding: decoding, labels: ys)
        }
    }

    /// The first `count` examples.
    public func prefix(_ count: Int) -> Dataset {
        subset(Array(0..<min(count, self.count)))
    }
}

/// How a byte feature becomes a Float: value = table[byte], then, if standardized,
/// (value − shift[j])·gain[j] for feature j.
public struct ByteDecoding: Sendable, Equatable {
    /// The Float each of the 256 byte values stands for.
    public let table: [Float]
    /// Per-feature standardization, applied after the table; nil for none.
    public let shift: [Float]?
    public let gain: [Float]?

    /// value = table[byte], table computed as `f(Float(byte))` for each byte.
    public init(_ f: (Float) -> Float) {
        table = (0..<256).map { f(Float($0)) }
        shift = nil
        gain = nil
    }

    /// This decoding followed by (value − shift[j])·gain[j].
    public func standardized(shift: [Float], gain: [Float]) -> ByteDecoding {
        precondition(shift.count == gain.count, "ByteDecoding: \(shift.count) shifts, \(gain.count) gains")
        precondition(self.shift == nil, "ByteDecoding: already standardized")
        return ByteDecoding(table: table, shift: shift, gain: gain)
    }

    private init(table: [Float], shift: [Float]?, gain: [Float]?) {
        self.table = table
        self.shift = shift
        self.gain = gain
    }

    /// Writes features 0..<n 8 at a time: 8 zero bytes (most of an MNIST row, 81% zeros, in runs)
    /// take `zeros(j)` as one vector, anything else `one(j)` byte by byte. The vector computes each lane
    /// with the same operations as `one`, so the values are the same bits either way.
    @inline(__always)
    private func decodeRuns(_ source: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<Float>, count n: Int,
                            zeros: (Int) -> SIMD8<Float>, one: (Int) -> Float) {
        var j = 0
        while j + 8 <= n {
            if UnsafeRawPointer(source + j).loadUnaligned(as: UInt64.self) == 0 {
                UnsafeMutableRawPointer(destination + j).storeBytes(of: zeros(j), as: SIMD8<Float>.self)
            } else {
                for t in j..<(j + 8) { destination[t] = one(t) }
            }
            j += 8
        }
        while j < n { destination[j] = one(j); j += 1 }
    }

    @inline(__always)
    private func load(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

    /// Decodes `count` bytes (one row, features 0..<count) into `destination`.
    @inline(__always)
    func decode(_ source: UnsafePointer<UInt8>, into destination: UnsafeMutablePointer<Float>, count n: Int) {
        table.withUnsafeBufferPointer { t in
            guard let table = t.baseAddress else { return }
            if let shift, let gain {
                shift.withUnsafeBufferPointer { c in
                    gain.withUnsafeBufferPointer { g in
                        guard let c = c.baseAddress, let g = g.baseAddress else { return }
                        let zero = SIMD8<Float>(repeating: table[0])
                        decodeRuns(source, into: destination, count: n,
                                   zeros: { j in (zero - load(c + j)) * load(g + j) },
                                   one: { j in (table[Int(source[j])] - c[j]) * g[j] })
                    }
                }
            } else {
                let zero = SIMD8<Float>(repeating: table[0])
                decodeRuns(source, into: destination, count: n, zeros: { _ in zero }, one: { j in table[Int(source[j])] })
            }
        }
    }
}
