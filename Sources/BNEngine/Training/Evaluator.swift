// Accuracy and loss of a network over a whole split.
//
// Memory: in `.eval` mode a row's logits don't depend on the other rows of its chunk (every layer,
// BN with its running averages included, maps each row on its own, and the matrix product sums each
// element's products in the same order whatever the rows: Kernels/BlockedProduct.swift). So a chunk
// of 1,000 examples runs through buffers of ``rowsAtOnce`` rows, a piece at a time, its loss summed
// row by row across the pieces: the same numbers, bit for bit, as one 1,000-row pass, from buffers a
// quarter the size (a 64-layer BN net needs ~200 KB per row).

/// Accuracy and mean loss over a set of examples.
public struct EvaluationResult: Sendable, Equatable {
    public var accuracy: Double
    public var loss: Double
    public var count: Int
}

public enum Evaluator {
    /// The most rows an `.eval`-mode evaluation runs through the network at once.
    public static let rowsAtOnce = 250

    /// Runs the first `count` examples (all by default) through `network` in chunks of `batchSize`.
    ///
    /// `.eval` mode normalizes with the running averages, as at inference. `.batchStatistics` normalizes
    /// each chunk with its own statistics, which is what "evaluating in train mode" means; a trailing
    /// chunk smaller than `batchSize` is dropped there, since its statistics would differ.
    /// The loss is the mean over chunks of each chunk's mean, weighted by its rows.
    /// Pass a `workspace` to reuse its buffers across evaluations: in `.eval` mode any capacity will do
    /// (a chunk runs in pieces of its capacity); in `.batchStatistics` mode one smaller than a chunk is
    /// not used.
    public static func evaluate(_ network: Network, on data: Dataset, count: Int? = nil,
                                mode: ForwardMode = .eval, batchSize: Int = 1000,
                                workspace reused: Workspace? = nil) -> EvaluationResult {
        let total = min(count ?? data.count, data.count)
        let chunk = max(1, min(batchSize, total))
        let piece = mode == .eval ? min(chunk, reused?.capacity ?? rowsAtOnce) : chunk
        let workspace = reused.flatMap { $0.capacity >= piece ? $0 : nil } ?? Workspace(network: network, capacity: piece)
        var lossSum = 0.0, correct = 0, seen = 0
        var start = 0
        while start < total {
            let rows = min(chunk, total - start)
            if mode != .eval && rows < chunk { break }
            var chunkLoss = 0.0
            var done = 0
            while done < rows {
                let n = min(piece, rows - done)
                workspace.load(data, from: start + done, count: n)
                network.measuring { network.forward(workspace, rows: n, mode: mode) }
                let result = SoftmaxCrossEntropy.sum(logits: workspace.logits, labels: workspace.labels, rows: n, startingAt: chunkLoss)
                chunkLoss = result.total
                correct += result.correct
                done += n
            }
            // The chunk's mean times its rows, not the sum itself: x / m · m need not equal x in Double,
            // and this is the value the unsplit evaluation added, so every reported loss keeps its bits.
            lossSum += chunkLoss / Double(rows) * Double(rows)
            seen += rows
            start += rows
        }
        guard seen > 0 else { return EvaluationResult(accuracy: 0, loss: .nan, count: 0) }
        return EvaluationResult(accuracy: Double(correct) / Double(seen), loss: lossSum / Double(seen), count: seen)
    }
}
