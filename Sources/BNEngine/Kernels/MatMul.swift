// Matrix products for dense layers, all row-major Float.
//
// Three shapes cover a dense layer's forward and backward (W is outputs × inputs):
//   forward   Z  = X · Wᵀ     (m × o) = (m × i)(i × o)      → `multiplyTransposedB`
//   backward  dX = dZ · W     (m × i) = (m × o)(o × i)      → `multiply`
//   backward  dW = dZᵀ · X    (o × i) = (o × m)(m × i)      → `multiplyTransposedA`
//
// Every kernel is written in "axpy" form, c[j] += a · b[j], whose inner loop runs over contiguous
// memory with no reduction, so the compiler vectorizes it on any target without fast-math.
// NOTE: no `addProduct`/fma here. On baseline x86-64 (no FMA in the target) Swift lowers SIMD fma to a
// libm call per lane, 25× slower than `c += a * b` (see shared/NOTES.md).
// `referenceMultiply` is the plain triple loop every kernel is tested against.

/// C (m × n) = A (m × k) · B (k × n), or C += A · B when `accumulate`.
@inline(__always)
func multiply(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    m: Int, k: Int, n: Int, accumulate: Bool = false
) {
    if !accumulate { c.update(repeating: 0, count: m * n) }
    for r in 0..<m {
        let cRow = c + r * n
        let aRow = a + r * k
        for p in 0..<k {
            let s = aRow[p]
            if s == 0 { continue }  // sparse inputs (MNIST is mostly zeros) skip a whole row of B
            let bRow = b + p * n
            for j in 0..<n { cRow[j] += s * bRow[j] }
        }
    }
}

/// C (m × n) = A (m × k) · Bᵀ, with B stored n × k. `scratch` holds k × n floats for Bᵀ.
@inline(__always)
func multiplyTransposedB(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    m: Int, k: Int, n: Int, scratch: UnsafeMutablePointer<Float>
) {
    // Transposing B costs k·n moves against m·k·n multiply-adds, and turns the dot products
    // (reductions the compiler may not reorder) into vectorizable axpys.
    for row in 0..<n {
        for col in 0..<k { scratch[col * n + row] = b[row * k + col] }
    }
    multiply(a, scratch, into: c, m: m, k: k, n: n)
}

/// C (m × n) = Aᵀ · B, with A stored k × m and B stored k × n.
@inline(__always)
func multiplyTransposedA(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    m: Int, k: Int, n: Int
) {
    // Row r of C gathers B's rows weighted by column r of A; C's row stays hot in L1 while B streams.
    c.update(repeating: 0, count: m * n)
    for r in 0..<m {
        let cRow = c + r * n
        for p in 0..<k {
            let s = a[p * m + r]
            if s == 0 { continue }
            let bRow = b + p * n
            for j in 0..<n { cRow[j] += s * bRow[j] }
        }
    }
}

/// The plain triple loop: C (m × n) = A (m × k) · B (k × n). The reference for the kernels above.
public func referenceMultiply(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k { sum += a[i * k + p] * b[p * n + j] }
            c[i * n + j] = sum
        }
    }
    return c
}

/// Array front ends to the kernels, for tests and non-hot code.
public enum MatMul {
    /// A (m × k) · B (k × n).
    public static func multiply(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        let (ta, tb, tc) = (Tensor(rows: m, columns: k, values: a), Tensor(rows: k, columns: n, values: b), Tensor(rows: m, columns: n))
        BNEngine.multiply(ta.pointer, tb.pointer, into: tc.pointer, m: m, k: k, n: n)
        return tc.values
    }

    /// A (m × k) · Bᵀ with B stored n × k.
    public static func multiplyTransposedB(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        let (ta, tb, tc) = (Tensor(rows: m, columns: k, values: a), Tensor(rows: n, columns: k, values: b), Tensor(rows: m, columns: n))
        let scratch = Tensor(rows: k, columns: n)
        BNEngine.multiplyTransposedB(ta.pointer, tb.pointer, into: tc.pointer, m: m, k: k, n: n, scratch: scratch.pointer)
        return tc.values
    }

    /// Aᵀ · B with A stored k × m and B stored k × n.
    public static func multiplyTransposedA(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        let (ta, tb, tc) = (Tensor(rows: k, columns: m, values: a), Tensor(rows: k, columns: n, values: b), Tensor(rows: m, columns: n))
        BNEngine.multiplyTransposedA(ta.pointer, tb.pointer, into: tc.pointer, m: m, k: k, n: n)
        return tc.values
    }
}
