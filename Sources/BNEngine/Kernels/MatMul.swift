// Matrix products for dense layers, all row-major Float.
//
// Three shapes cover a dense layer, which stores Wᵀ (inputs × outputs) in the kernel's panels
// (PanelLayout.swift), and with it dWᵀ:
//   forward   Z   = X · Wᵀ     (m × o) = (m × i)(i × o)      → `multiply`, Wᵀ read as it lies
//   backward  dX  = dZ · W     (m × i) = (m × o)(o × i)      → `multiplyTransposedB`, W read from Wᵀ
//   backward  dWᵀ = Xᵀ · dZ    (i × o) = (i × m)(m × o)      → `multiplyTransposedA`, written in panels
// Each also takes its matrices row-major (the defaults), as the tests and benchmarks give them.
//
// All three run through one register-blocked kernel (BlockedProduct.swift), whose inner steps
// are c = fma(a, b, c) over contiguous rows of B: no reductions, so no fast-math is needed.
// `referenceMultiply` is the plain triple loop, fused the same way, that every kernel is tested against.

/// C (m × n) = A (m × k) · B (k × n), B row-major or, with `bInPanels`, in panels.
@inline(__always)
func multiply(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, bInPanels: Bool = false, into c: UnsafeMutablePointer<Float>,
    m: Int, k: Int, n: Int, prefetching: UnsafeRawBufferPointer? = nil
) {
    blockedProduct(a, rowStride: k, depthStride: 1, b, bLayout: bInPanels ? .panels : .rows, into: c, m: m, k: k, n: n,
                   prefetching: prefetching)
}

/// C (m × n) = A · Bᵀ, with A stored m × k and B stored n × k, row-major or, with `bInPanels`, in panels.
@inline(__always)
func multiplyTransposedB(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, bInPanels: Bool = false, into c: UnsafeMutablePointer<Float>,
    m: Int, k: Int, n: Int, prefetching: UnsafeRawBufferPointer? = nil
) {
    blockedProduct(a, rowStride: k, depthStride: 1, b, bLayout: bInPanels ? .transposedPanels : .transposed, into: c,
                   m: m, k: k, n: n, prefetching: prefetching)
}

/// C (m × n) = Aᵀ · B, with A stored k × m and B stored k × n, C row-major or, with `cInPanels`, in panels;
/// or, with `subtractingScaled` s, C ← C − s·(Aᵀ·B) (k ≤ `fusedStepDepth`; see `blockedProduct`).
@inline(__always)
func multiplyTransposedA(
    _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>, cInPanels: Bool = false,
    m: Int, k: Int, n: Int, prefetching: UnsafeRawBufferPointer? = nil, subtractingScaled scale: Float? = nil
) {
    blockedProduct(a, rowStride: 1, depthStride: m, b, into: c, cPanels: cInPanels, m: m, k: k, n: n,
                   prefetching: prefetching, subtractingScaled: scale)
}

/// The transpose of one 8 × 8 block: row r of the block at from + r·rowStride goes to column r of the
/// block at to (rows rowStrideOut apart).
@inline(__always)
func transposeBlock(_ from: UnsafePointer<Float>, rowStride: Int, into to: UnsafeMutablePointer<Float>, rowStrideOut: Int) {
    typealias V8 = SIMD8<Float>
    func load(_ p: UnsafePointer<Float>) -> V8 { UnsafeRawPointer(p).loadUnaligned(as: V8.self) }
    func store(_ v: V8, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: V8.self) }
    let s = rowStride, t = rowStrideOut
    var block = (load(from), load(from + s), load(from + 2 * s), load(from + 3 * s),
                 load(from + 4 * s), load(from + 5 * s), load(from + 6 * s), load(from + 7 * s))
    // Element (r, c) of the block sits at index 8r + c, bits r₂r₁r₀c₂c₁c₀; in the transpose it belongs
    // at 8c + r, bits c₂c₁c₀r₂r₁r₀. Unzipping the 64 values (even indices first, then odd) moves the
    // lowest index bit to the top; three unzips move all three of c's bits: the transpose.
    unzip(&block); unzip(&block); unzip(&block)
    store(block.0, to); store(block.1, to + t); store(block.2, to + 2 * t); store(block.3, to + 3 * t)
    store(block.4, to + 4 * t); store(block.5, to + 5 * t); store(block.6, to + 6 * t); store(block.7, to + 7 * t)
}

/// Eight vectors of 8 as one array of 64, its even-indexed values first, then its odd-indexed ones.
@inline(__always)
private func unzip(_ v: inout (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>,
                               SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)) {
    let p0 = SIMD16(lowHalf: v.0, highHalf: v.1), p1 = SIMD16(lowHalf: v.2, highHalf: v.3)
    let p2 = SIMD16(lowHalf: v.4, highHalf: v.5), p3 = SIMD16(lowHalf: v.6, highHalf: v.7)
    v = (p0.evenHalf, p1.evenHalf, p2.evenHalf, p3.evenHalf, p0.oddHalf, p1.oddHalf, p2.oddHalf, p3.oddHalf)
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

/// Array front ends to the kernels, for tests and non-hot code. With `inPanels`, the matrix a dense layer
/// keeps in panels is stored so (`PanelLayout`): B for `multiply` and `multiplyTransposedB` (W), C for
/// `multiplyTransposedA` (dWᵀ); the array versions take and return it row-major either way.
public enum MatMul {
    /// C (m × n) = A (m × k) · B (k × n) on preallocated tensors, without allocating: the kernel the
    /// dense layers run, for timing it (`bnlab bench`).
    public static func multiply(_ a: Tensor, _ b: Tensor, inPanels: Bool = false, into c: Tensor, m: Int, k: Int, n: Int) {
        precondition(m >= 0 && k >= 0 && n >= 0 && a.count >= m * k && b.count >= stored(k, n, inPanels) && c.count >= m * n,
                     "MatMul: tensors too small for \(m) × \(k) · \(k) × \(n)")
        BNEngine.multiply(a.pointer, b.pointer, bInPanels: inPanels, into: c.pointer, m: m, k: k, n: n)
    }

    /// C (m × n) = A · Bᵀ (B stored n × k) on preallocated tensors, without allocating: a dense layer's dx.
    public static func multiplyTransposedB(_ a: Tensor, _ b: Tensor, inPanels: Bool = false, into c: Tensor, m: Int, k: Int, n: Int) {
        precondition(m >= 0 && k >= 0 && n >= 0 && a.count >= m * k && b.count >= stored(n, k, inPanels) && c.count >= m * n,
                     "MatMul: tensors too small for \(m) × \(k) · (\(n) × \(k))ᵀ")
        BNEngine.multiplyTransposedB(a.pointer, b.pointer, bInPanels: inPanels, into: c.pointer, m: m, k: k, n: n)
    }

    /// C (m × n) = Aᵀ · B (A stored k × m) on preallocated tensors, without allocating: a dense layer's dWᵀ.
    public static func multiplyTransposedA(_ a: Tensor, _ b: Tensor, into c: Tensor, inPanels: Bool = false, m: Int, k: Int, n: Int) {
        precondition(m >= 0 && k >= 0 && n >= 0 && a.count >= k * m && b.count >= k * n && c.count >= stored(m, n, inPanels),
                     "MatMul: tensors too small for (\(k) × \(m))ᵀ · \(k) × \(n)")
        BNEngine.multiplyTransposedA(a.pointer, b.pointer, into: c.pointer, cInPanels: inPanels, m: m, k: k, n: n)
    }

    /// A (m × k) · B (k × n).
    public static func multiply(_ a: [Float], _ b: [Float], inPanels: Bool = false, m: Int, k: Int, n: Int) -> [Float] {
        let (ta, tb, tc) = (Tensor(rows: m, columns: k, values: a), storing(b, rows: k, columns: n, inPanels), Tensor(rows: m, columns: n))
        BNEngine.multiply(ta.pointer, tb.pointer, bInPanels: inPanels, into: tc.pointer, m: m, k: k, n: n)
        return tc.values
    }

    /// A · Bᵀ with A stored m × k and B stored n × k.
    public static func multiplyTransposedB(_ a: [Float], _ b: [Float], inPanels: Bool = false, m: Int, k: Int, n: Int) -> [Float] {
        let (ta, tb, tc) = (Tensor(rows: m, columns: k, values: a), storing(b, rows: n, columns: k, inPanels), Tensor(rows: m, columns: n))
        BNEngine.multiplyTransposedB(ta.pointer, tb.pointer, bInPanels: inPanels, into: tc.pointer, m: m, k: k, n: n)
        return tc.values
    }

    /// Aᵀ · B with A stored k × m and B stored k × n.
    public static func multiplyTransposedA(_ a: [Float], _ b: [Float], inPanels: Bool = false, m: Int, k: Int, n: Int) -> [Float] {
        let (ta, tb) = (Tensor(rows: k, columns: m, values: a), Tensor(rows: k, columns: n, values: b))
        let tc = Tensor(rows: 1, columns: stored(m, n, inPanels))
        BNEngine.multiplyTransposedA(ta.pointer, tb.pointer, into: tc.pointer, cInPanels: inPanels, m: m, k: k, n: n)
        return inPanels ? PanelLayout(rows: m, columns: n).rowMajor(tc.pointer) : tc.values
    }

    /// Floats a rows × columns matrix takes, row-major or in panels.
    private static func stored(_ rows: Int, _ columns: Int, _ inPanels: Bool) -> Int {
        inPanels ? PanelLayout(rows: rows, columns: columns).count : rows * columns
    }

    /// A tensor holding the row-major `values`, as they are or in panels.
    private static func storing(_ values: [Float], rows: Int, columns: Int, _ inPanels: Bool) -> Tensor {
        guard inPanels else { return Tensor(rows: rows, columns: columns, values: values) }
        let layout = PanelLayout(rows: rows, columns: columns)
        let t = Tensor(rows: rows, columns: layout.storedColumns)
        layout.store(values, into: t.pointer)
        return t
    }
}
