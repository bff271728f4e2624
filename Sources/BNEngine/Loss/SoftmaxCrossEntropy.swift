// Mean softmax cross-entropy over a batch, forward and backward in one pass.
//
// m = batch size, c = classes. logits is m × c.
//   pᵢ = softmax(logitsᵢ)            (shifted by the row max for stability)
//   L  = −(1/m) Σᵢ log pᵢ[yᵢ]
//   dL/dlogitsᵢ = (pᵢ − onehot(yᵢ)) / m

import Foundation

public enum SoftmaxCrossEntropy {
    /// Returns the mean loss and the number of correct argmax predictions; writes dL/dlogits if asked.
    @discardableResult
    public static func evaluate(logits: Tensor, labels: UnsafePointer<Int32>, rows m: Int,
                                gradient: Tensor? = nil) -> (loss: Double, correct: Int) {
        let (total, correct) = sum(logits: logits, labels: labels, rows: m, gradient: gradient)
        return (total / Double(m), correct)
    }

    /// Σᵢ −log pᵢ[yᵢ] over the m rows, added one row at a time to `total` (so a batch summed in pieces,
    /// each piece starting from the previous one's sum, gives the very same Double), and the number of
    /// correct argmax predictions; writes dL/dlogits (for a batch of m) if asked.
    public static func sum(logits: Tensor, labels: UnsafePointer<Int32>, rows m: Int, startingAt start: Double = 0,
                           gradient: Tensor? = nil) -> (total: Double, correct: Int) {
        let c = logits.columns
        var total = start
        var correct = 0
        for i in 0..<m {
            let row = logits.row(i)
            var maxValue = row[0], argmax = 0
            for j in 1..<c where row[j] > maxValue { maxValue = row[j]; argmax = j }
            var sum: Float = 0
            for j in 0..<c { sum += expf(row[j] - maxValue) }
            let label = Int(labels[i])
            let logSum = logf(sum)
            total += Double(logSum - (row[label] - maxValue))
            if argmax == label { correct += 1 }
            if let gradient {
                let g = gradient.row(i)
                let invM = 1 / Float(m)
                for j in 0..<c { g[j] = expf(row[j] - maxValue - logSum) * invM }
                g[label] -= invM
            }
        }
        return (total, correct)
    }
}
