// Matrix products for dense layers, all row-major Float.
//
// Two shapes cover a dense layer, which stores Wᵀ (inputs × outputs):
//   forward   Z   = X · Wᵀ     (m × o) = (m × i)(i × o)      → `multiply`
//   backward  dX  = dZ · W     (m × i) = (m × o)(o × i)      → `transpose`, then `multiply`
//   backward  dWᵀ = Xᵀ · dZ    (i × o) = (i × m)(m × o)      → `multiplyTransposedA`
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
    transpose(b, rows: n, columns: k, into: scratch)
    multiply(a, scratch, into: c, m: m, k: k, n: n)
}

/// C (m × n) = Aᵀ · B, with A stored k × m and B stored k × n.
@inline(__always)
func multiplyTransposedA(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    m: Int, k: Int, n: Int
) {
    // Each row p of A scatters B's row p into the rows of C it weights; zero weights are skipped.
    c.update(repeating: 0, count: m * n)
    for p in 0..<k {
        let aRow = a + p * m, bRow = b + p * n
        for r in 0..<m {
            let s = aRow[r]
            if s == 0 { continue }
            let cRow = c + r * n
            for j in 0..<n { cRow[j] += s * bRow[j] }
        }
    }
}

/// B (columns × rows) = Aᵀ for A stored rows × columns, in cache-sized tiles.
@inline(__always)
func transpose(_ a: UnsafePointer<Float>, rows: Int, columns: Int, into b: UnsafeMutablePointer<Float>) {
    let tile = 16
    for r0 in stride(from: 0, to: rows, by: tile) {
        for c0 in stride(from: 0, to: columns, by: tile) {
            for r in r0..<min(r0 + tile, rows) {
                for c in c0..<min(c0 + tile, columns) { b[c * rows + r] = a[r * columns + c] }
            }
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
