// Accuracy and loss of a network over a whole split.

/// Accuracy and mean loss over a set of examples.
public struct EvaluationResult: Sendable, Equatable {
    public var accuracy: Double
    public var loss: Double
    public var count: Int
}

public enum Evaluator {
    /// Runs the first `count` examples (all by default) through `network` in chunks of `batchSize`.
    ///
    /// `.eval` mode normalizes with the running averages, as at inference. `.batchStatistics` normalizes
    /// each chunk with its own statistics, which is what "evaluating in train mode" means; a trailing
    /// chunk smaller than `batchSize` is dropped there, since its statistics would differ.
    /// Pass a `workspace` (of at least `batchSize` rows) to reuse its buffers across evaluations.
    public static func evaluate(_ network: Network, on data: Dataset, count: Int? = nil,
                                mode: ForwardMode = .eval, batchSize: Int = 1000,
                                workspace reused: Workspace? = nil) -> EvaluationResult {
        let total = min(count ?? data.count, data.count)
        let chunk = max(1, min(batchSize, total, reused?.capacity ?? .max))
        let workspace = reused ?? Workspace(network: network, capacity: chunk)
        var lossSum = 0.0, correct = 0, seen = 0
        var start = 0
        while start < total {
            let rows = min(chunk, total - start)
            if mode != .eval && rows < chunk { break }
            workspace.load(data, from: start, count: rows)
            network.measuring { network.forward(workspace, rows: rows, mode: mode) }
            let result = SoftmaxCrossEntropy.evaluate(logits: workspace.logits, labels: workspace.labels, rows: rows)
            lossSum += result.loss * Double(rows)
            correct += result.correct
            seen += rows
            start += rows
        }
        guard seen > 0 else { return EvaluationResult(accuracy: 0, loss: .nan, count: 0) }
        return EvaluationResult(accuracy: Double(correct) / Double(seen), loss: lossSum / Double(seen), count: seen)
    }
}
