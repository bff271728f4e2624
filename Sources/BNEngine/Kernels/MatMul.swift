// Matrix products for dense layers, all row-major Float.
//
// Two shapes cover a dense layer, which stores Wᵀ (inputs × outputs):
//   forward   Z   = X · Wᵀ     (m × o) = (m × i)(i × o)      → `multiply`
//   backward  dX  = dZ · W     (m × i) = (m × o)(o × i)      → `transpose`, then `multiply`
//   backward  dWᵀ = Xᵀ · dZ    (i × o) = (i × m)(m × o)      → `multiplyTransposedA`
//
// Both products run through one register-blocked kernel (BlockedProduct.swift), whose inner steps
// are c = fma(a, b, c) over contiguous rows of B: no reductions, so no fast-math is needed.
// `referenceMultiply` is the plain triple loop, fused the same way, that every kernel is tested against.

/// C (m × n) = A (m × k) · B (k × n).
@inline(__always)
func multiply(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    m: Int, k: Int, n: Int
) {
    blockedProduct(a, rowStride: k, depthStride: 1, b, into: c, m: m, k: k, n: n)
}

/// C (m × n) = Aᵀ · B, with A stored k × m and B stored k × n.
@inline(__always)
func multiplyTransposedA(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    m: Int, k: Int, n: Int
) {
    blockedProduct(a, rowStride: 1, depthStride: m, b, into: c, m: m, k: k, n: n)
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

/// C (m × n) = A (m × k) · B (k × n) in plain axpy form, one row of C at a time, skipping zeros in A:
/// the unblocked kernel, kept to measure the blocked one against (`bnlab bench`).
public func axpyMultiply(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
                         m: Int, k: Int, n: Int) {
    c.update(repeating: 0, count: m * n)
    for r in 0..<m {
        let cRow = c + r * n, aRow = a + r * k
        for p in 0..<k {
            let s = aRow[p]
            if s == 0 { continue }
            addScaled(s, b + p * n, to: cRow, count: n)
        }
    }
}

/// The plain triple loop: C (m × n) = A (m × k) · B (k × n). The reference for the kernels above.
public func referenceMultiply(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k { sum = sum.addingProduct(a[i * k + p], b[p * n + j]) }  // fma, one rounding
            c[i * n + j] = sum
        }
    }
    return c
}

/// Array front ends to the kernels, for tests and non-hot code.
public enum MatMul {
    /// C (m × n) = A (m × k) · B (k × n) on preallocated tensors, without allocating: the kernel the
    /// dense layers run, for timing it (`bnlab bench`).
    public static func multiply(_ a: Tensor, _ b: Tensor, into c: Tensor, m: Int, k: Int, n: Int) {
        precondition(m >= 0 && k >= 0 && n >= 0 && a.count >= m * k && b.count >= k * n && c.count >= m * n,
                     "MatMul: tensors too small for \(m) × \(k) · \(k) × \(n)")
        BNEngine.multiply(a.pointer, b.pointer, into: c.pointer, m: m, k: k, n: n)
    }

    /// A (m × k) · B (k × n).
    public static func multiply(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        let (ta, tb, tc) = (Tensor(rows: m, columns: k, values: a), Tensor(rows: k, columns: n, values: b), Tensor(rows: m, columns: n))
        BNEngine.multiply(ta.pointer, tb.pointer, into: tc.pointer, m: m, k: k, n: n)
        return tc.values
    }

    /// Aᵀ for A stored rows × columns.
    public static func transpose(_ a: [Float], rows: Int, columns: Int) -> [Float] {
        let (ta, tb) = (Tensor(rows: rows, columns: columns, values: a), Tensor(rows: columns, columns: rows))
        BNEngine.transpose(ta.pointer, rows: rows, columns: columns, into: tb.pointer)
        return tb.values
    }

    /// Aᵀ · B with A stored k × m and B stored k × n.
    public static func multiplyTransposedA(_ a: [Float], _ b: [Float], m: Int, k: Int, n: Int) -> [Float] {
        let (ta, tb, tc) = (Tensor(rows: k, columns: m, values: a), Tensor(rows: k, columns: n, values: b), Tensor(rows: m, columns: n))
        BNEngine.multiplyTransposedA(ta.pointer, tb.pointer, into: tc.pointer, m: m, k: k, n: n)
        return tc.values
    }
}
