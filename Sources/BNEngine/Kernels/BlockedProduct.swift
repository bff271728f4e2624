// The register-blocked kernel behind `multiply` and `multiplyTransposedA`.
//
// C (m × n) = A·B, where element (r, p) of A is a[r·rowStride + p·depthStride] (so one kernel serves
// A and Aᵀ) and B is k × n row-major. Blocking: 4 rows of C × 32 columns live in eight SIMD16
// accumulators while p runs over the depth k; each step broadcasts 4 values of A and loads 2 vectors
// of B's row p, so every load of B feeds 4 rows. When all 4 values of A are zero (MNIST's blank
// border pixels) the step is skipped. The last n mod 16 columns go 8 and 4 at a time in narrower
// vectors; rows past the last block of 4 take the plain axpy loop. An A that is mostly zeros (a
// batch of MNIST pixels, 81%) goes to the axpy loop altogether: skipping each zero there beats
// blocking. Measured by `bnlab bench` (AVX-512 machine, one sitting): 60×784·784×100 on an MNIST
// batch, blocked 83 against axpy 94 GFLOP/s-equivalent; dense 60×100·100×100, blocked 117 against 31.
// NOTE: written as `c += a * b`, never `addProduct`: without FMA in the target (BNLAB_PORTABLE=1 on
// baseline x86-64) `addProduct` becomes a libm call per lane. Each C element sums its k products in
// p order, exactly as the reference loop does, so results match it bit for bit.

@inline(__always)
private func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> {
    UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self)
}

@inline(__always)
private func store16(_ v: SIMD16<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self)
}

/// C = A·B (overwriting C) with A addressed through strides; see the file comment.
func blockedProduct(
    _ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
    _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int
) {
    c.update(repeating: 0, count: m * n)
    // Judge sparsity from an evenly spaced sample of at most 1,024 entries of A.
    let count = m * k, stride = max(1, count / 1024)
    var zeros = 0, sampled = 0
    for i in Swift.stride(from: 0, to: count, by: stride) {
        if a[i] == 0 { zeros += 1 }
        sampled += 1
    }
    if 2 * zeros > sampled {
        sparseProduct(a, rowStride: rowStride, depthStride: depthStride, b, into: c, m: m, k: k, n: n)
        return
    }
    var r = 0
    while r + 4 <= m {
        let a0 = a + r * rowStride, a1 = a0 + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride
        var j = 0
        while j + 32 <= n {
            var c00 = SIMD16<Float>(), c01 = SIMD16<Float>(), c10 = SIMD16<Float>(), c11 = SIMD16<Float>()
            var c20 = SIMD16<Float>(), c21 = SIMD16<Float>(), c30 = SIMD16<Float>(), c31 = SIMD16<Float>()
            for p in 0..<k {
                let offset = p * depthStride
                let x0 = a0[offset], x1 = a1[offset], x2 = a2[offset], x3 = a3[offset]
                if x0 == 0 && x1 == 0 && x2 == 0 && x3 == 0 { continue }
                let bRow = b + p * n + j
                let b0 = load16(bRow), b1 = load16(bRow + 16)
                c00 += x0 * b0; c01 += x0 * b1
                c10 += x1 * b0; c11 += x1 * b1
                c20 += x2 * b0; c21 += x2 * b1
                c30 += x3 * b0; c31 += x3 * b1
            }
            let cRow = c + r * n + j
            store16(c00, cRow); store16(c01, cRow + 16)
            store16(c10, cRow + n); store16(c11, cRow + n + 16)
            store16(c20, cRow + 2 * n); store16(c21, cRow + 2 * n + 16)
            store16(c30, cRow + 3 * n); store16(c31, cRow + 3 * n + 16)
            j += 32
        }
        while j + 16 <= n {
            var c0 = SIMD16<Float>(), c1 = SIMD16<Float>(), c2 = SIMD16<Float>(), c3 = SIMD16<Float>()
            for p in 0..<k {
                let offset = p * depthStride
                let x0 = a0[offset], x1 = a1[offset], x2 = a2[offset], x3 = a3[offset]
                if x0 == 0 && x1 == 0 && x2 == 0 && x3 == 0 { continue }
                let b0 = load16(b + p * n + j)
                c0 += x0 * b0; c1 += x1 * b0; c2 += x2 * b0; c3 += x3 * b0
            }
            let cRow = c + r * n + j
            store16(c0, cRow); store16(c1, cRow + n); store16(c2, cRow + 2 * n); store16(c3, cRow + 3 * n)
            j += 16
        }
        // The last n mod 16 columns: 8, then 4 at a time in narrower vectors, then one by one.
        if j + 8 <= n { narrowBlock(SIMD8<Float>.self, a0, a1, a2, a3, depthStride: depthStride, b, into: c + r * n, column: j, k: k, n: n); j += 8 }
        if j + 4 <= n { narrowBlock(SIMD4<Float>.self, a0, a1, a2, a3, depthStride: depthStride, b, into: c + r * n, column: j, k: k, n: n); j += 4 }
        if j < n { axpyRows(a, rowStride: rowStride, depthStride: depthStride, b, into: c, rows: r..<(r + 4), columns: j..<n, k: k, n: n) }
        r += 4
    }
    if r < m { axpyRows(a, rowStride: rowStride, depthStride: depthStride, b, into: c, rows: r..<m, columns: 0..<n, k: k, n: n) }
}

/// C += A·B for a mostly-zero A, skipping every zero of A; loops ordered for A's layout.
@inline(__always)
private func sparseProduct(
    _ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int, _ b: UnsafePointer<Float>,
    into c: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int
) {
    if depthStride == 1 {
        // A's rows are contiguous: row r of C gathers B's rows weighted by A's row r.
        axpyMultiply(a, b, into: c, m: m, k: k, n: n)
    } else {
        // A's columns are contiguous (A is stored transposed): row p of B scatters into C's rows.
        for p in 0..<k {
            let aColumn = a + p * depthStride, bRow = b + p * n
            for r in 0..<m {
                let s = aColumn[r * rowStride]
                if s == 0 { continue }
                let cRow = c + r * n
                for j in 0..<n { cRow[j] += s * bRow[j] }
            }
        }
    }
}

/// Four rows of C, V.scalarCount columns from `column`, accumulated in one vector each.
@inline(__always)
private func narrowBlock<V: SIMD>(
    _: V.Type, _ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
    _ a3: UnsafePointer<Float>, depthStride: Int, _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>,
    column j: Int, k: Int, n: Int
) where V.Scalar == Float {
    var c0 = V(), c1 = V(), c2 = V(), c3 = V()
    for p in 0..<k {
        let offset = p * depthStride
        let x0 = a0[offset], x1 = a1[offset], x2 = a2[offset], x3 = a3[offset]
        if x0 == 0 && x1 == 0 && x2 == 0 && x3 == 0 { continue }
        let bv = UnsafeRawPointer(b + p * n + j).loadUnaligned(as: V.self)
        c0 += x0 * bv; c1 += x1 * bv; c2 += x2 * bv; c3 += x3 * bv
    }
    let out = UnsafeMutableRawPointer(c + j)
    out.storeBytes(of: c0, as: V.self)
    (out + 4 * n).storeBytes(of: c1, as: V.self)
    (out + 8 * n).storeBytes(of: c2, as: V.self)
    (out + 12 * n).storeBytes(of: c3, as: V.self)
}

/// C[rows, columns] += A[rows, :]·B[:, columns], one row at a time (the unblocked edges).
@inline(__always)
private func axpyRows(
    _ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int, _ b: UnsafePointer<Float>,
    into c: UnsafeMutablePointer<Float>, rows: Range<Int>, columns: Range<Int>, k: Int, n: Int
) {
    for r in rows {
        let cRow = c + r * n
        for p in 0..<k {
            let s = a[r * rowStride + p * depthStride]
            if s == 0 { continue }
            let bRow = b + p * n
            for j in columns { cRow[j] += s * bRow[j] }
        }
    }
}
