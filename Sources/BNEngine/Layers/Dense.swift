// A fully connected layer: z = x·Wᵀ + b, forward and backward.
//
// m = batch size, i = inputs, o = outputs. x is m × i, z is m × o, W is o × i (PyTorch's
// [outputs][inputs]), b is 1 × o. The bias is optional: before BN it is redundant (BN subtracts
// the batch mean, which absorbs any constant), so BN layers usually go without.

/// A linear map with an optional bias.
public final class Dense {
    public let inputs: Int
    public let outputs: Int
    /// W, outputs × inputs.
    public let weight: Parameter
    /// b, 1 × outputs, or nil for a bias-free layer.
    public let bias: Parameter?
    /// Wᵀ for the forward kernel, then dWᵀ for the backward one (inputs × outputs).
    private let transposed: Tensor

    public init(inputs: Int, outputs: Int, hasBias: Bool, name: String = "layer") {
        self.inputs = inputs
        self.outputs = outputs
        weight = Parameter(name: "\(name) W", rows: outputs, columns: inputs)
        bias = hasBias ? Parameter(name: "\(name) b", rows: 1, columns: outputs) : nil
        transposed = Tensor(rows: inputs, columns: outputs)
    }

    /// z = x·Wᵀ + b for the first m rows of x.
    public func forward(_ x: Tensor, into z: Tensor, rows m: Int) {
        multiplyTransposedB(x.pointer, weight.value.pointer, into: z.pointer,
                            m: m, k: inputs, n: outputs, scratch: transposed.pointer)
        if let bias {
            let b = bias.value.pointer
            for r in 0..<m {
                let zr = z.row(r)
                for j in 0..<outputs { zr[j] += b[j] }
            }
        }
    }

    /// Given dL/dz, writes dL/dW and dL/db (overwriting) and, if `dx` is given, dL/dx.
    ///   dW = dzᵀ·x       (o × i)
    ///   db = Σᵢ dzᵢ      (sum over the m examples)
    ///   dx = dz·W        (m × i)
    public func backward(_ dz: Tensor, input x: Tensor, into dx: Tensor?, rows m: Int) {
        // dWᵀ = xᵀ·dz accumulates one row of dz per nonzero input, skipping zero inputs (about 80% of
        // MNIST's pixels), then lands in dW's [outputs][inputs] layout with one transpose.
        let dWT = transposed.pointer
        dWT.update(repeating: 0, count: inputs * outputs)
        for r in 0..<m {
            let xr = x.row(r), dzr = dz.row(r)
            for p in 0..<inputs {
                let s = xr[p]
                if s == 0 { continue }
                let row = dWT + p * outputs
                for j in 0..<outputs { row[j] += s * dzr[j] }
            }
        }
        let dW = weight.gradient.pointer
        for p in 0..<inputs {
            for j in 0..<outputs { dW[j * inputs + p] = dWT[p * outputs + j] }
        }
        if let bias {
            let db = bias.gradient.pointer
            db.update(repeating: 0, count: outputs)
            for r in 0..<m {
                let dzr = dz.row(r)
                for j in 0..<outputs { db[j] += dzr[j] }
            }
        }
        if let dx {
            multiply(dz.pointer, weight.value.pointer, into: dx.pointer, m: m, k: outputs, n: inputs)
        }
    }
}
