// How mini-batches are drawn: shuffled (i.i.d., the default) or class-sorted (non-i.i.d.).
//
// `classSorted` draws each batch from k = 1 or 2 classes only: the case Batch Renorm was made for
// (Ioffe 2017), where a batch's statistics are far from the population's. Every draw comes from the
// run's seed, so a seed fixes the batches.

/// Which examples make up a mini-batch.
public enum BatchSampling: Sendable, Equatable {
    /// A fresh shuffle each epoch, consecutive batches of it, the last partial batch dropped.
    case random
    /// Each batch from `classesPerBatch` (1 or 2) classes picked at random, its rows alternating between
    /// them; each class's examples are taken in a shuffled order, reshuffled when used up.
    case classSorted(classesPerBatch: Int)

    /// What is wrong with this setting, or nil.
    public func problem(classesPresent: Int) -> String? {
        guard case .classSorted(let k) = self else { return nil }
        if k < 1 || k > 2 { return "class-sorted batches draw from 1 or 2 classes (got \(k))" }
        if k > classesPresent { return "class-sorted batches need \(k) classes with examples, the data has \(classesPresent)" }
        return nil
    }
}

/// Hands out mini-batches of example indices.
final class BatchSampler {
    private var order: [Int]
    private var position: Int
    private let batchSize: Int
    private var stream: SplitMix64
    /// Class-sorted sampling: each class's examples (shuffled), how far each is used, the batch buffer.
    private let classesPerBatch: Int
    private var pools: [[Int]] = []
    private var used: [Int] = []
    private var batch: [Int] = []

    init(count: Int, batchSize: Int, stream: SplitMix64, sampling: BatchSampling = .random, labels: [Int32] = []) {
        order = Array(0..<count)
        self.batchSize = batchSize
        self.stream = stream
        position = count  // forces a shuffle on the first call
        if case .classSorted(let k) = sampling {
            classesPerBatch = k
            var byClass = [Int32: [Int]]()
            for (index, label) in labels.prefix(count).enumerated() { byClass[label, default: []].append(index) }
            pools = byClass.keys.sorted().compactMap { byClass[$0] }
            used = pools.map(\.count)  // forces a shuffle of a pool on its first use
            batch = [Int](repeating: 0, count: batchSize)
        } else {
            classesPerBatch = 0
        }
    }

    /// The indices the next `nextBatch()` returns, when they are known without drawing from the stream:
    /// the next batch of this epoch's order. Nil when an epoch ends (a shuffle comes first) and for
    /// class-sorted batches (each draws its classes).
    func upcomingBatch() -> ArraySlice<Int>? {
        guard classesPerBatch == 0, epochHasAnotherBatch else { return nil }
        return order[position..<(position + batchSize)]
    }

    /// Whether this epoch's order holds one more whole batch (else the next batch reshuffles first).
    private var epochHasAnotherBatch: Bool { position + batchSize <= order.count }

    func nextBatch() -> ArraySlice<Int> {
        if classesPerBatch > 0 { return nextClassSortedBatch() }
        if !epochHasAnotherBatch {
            stream.shuffle(&order)
            position = 0
        }
        defer { position += batchSize }
        return order[position..<(position + batchSize)]
    }

    private func nextClassSortedBatch() -> ArraySlice<Int> {
        // (The config check makes ≥ 1 example per batch and the classes asked for; a data set with fewer
        // classes present than declared degrades to one class per batch rather than trapping.)
        let first = stream.index(below: max(1, pools.count))
        var second = first
        if classesPerBatch == 2 && pools.count >= 2 {
            second = stream.index(below: pools.count - 1)
            if second >= first { second += 1 }
        }
        for row in 0..<batchSize {
            let c = row % 2 == 0 ? first : second
            if used[c] == pools[c].count {
                stream.shuffle(&pools[c])
                used[c] = 0
            }
            batch[row] = pools[c][used[c]]
            used[c] += 1
        }
        return batch[...]
    }
}
