// The register-blocked kernel behind `multiply` and `multiplyTransposedA`.
//
// C (m × n) = A·B, where element (r, p) of A is a[r·rowStride + p·depthStride] (so one kernel serves
// A and Aᵀ) and B is k × n row-major. Every element of C is
//
//   c = 0;  for p in 0..<k:  c = fma(a[r, p], b[p, j], c)        (one rounding per step, p in order)
//
// which `referenceMultiply` spells out and every path below computes bit for bit, whatever the blocking.
//
// Dense A: 6 rows of C × 16 columns live in twelve 8-lane accumulators while p runs over the depth k;
// each step loads 2 vectors of B's row p and broadcasts 6 values of A, one at a time, so every load of B
// feeds 6 rows: 12 accumulators, 2 of B and 1 broadcast fill AVX2's 16 vector registers. Twelve
// independent fused multiply-adds per step keep both FMA pipes busy through the instruction's 4-cycle
// latency; 4 × 16 (eight accumulators) could not, and ran at 49 GFLOP/s against 77 for 6 × 16 on
// 60×512·512×512. (Before FMA the kernel was 4 × 16 with a separate multiply and add, 59 GFLOP/s:
// 6 × 16 did not fit then, as each multiply needs a register of its own.) Rows past the last block of
// 6 take one block of 4 where 4 are left, then the axpy loop.
// A step whose 6 (or 4) values of A are all zero is skipped; the test runs on their bits in integer
// registers, and only where the sample of A holds a zero (a dense A, a sigmoid's output or a gradient,
// would pay the loads for nothing: that test cost more than the products it guards on this machine).
// Panels of 16 columns are the outer loop, blocks of rows the inner one, so one panel of B stays in
// cache while every block of rows uses it. For widths 256 and 512 the panel is first copied into a
// contiguous buffer on the stack, in depth blocks of 256 (`packsPanels`). (Tried and reverted: that
// buffer only on the packing path, through a nested function taking an optional buffer: every product
// 10–17% slower, packing or not; the 16 KB it zeroes costs less than that.)
// The last n mod 16 columns go 8 and 4 at a time in narrower vectors, four rows at a time, then one
// column at a time in four scalar accumulators (a vectorized loop over 1–3 columns cost more in set-up
// than in work: 60×100·100×10 took as long as 60×100·100×100); rows past those blocks take the axpy loop.
//
// Mostly-zero A (a batch of MNIST pixels, 81% zeros) goes to the axpy loop, skipping each zero of A:
// row by row for a row-major A, scattering B's rows into C for an A stored transposed (xᵀ·dz).
// (Tried and reverted: the row update written out in 8- and 4-lane vectors, +40% instructions; each
// row of A compressed to a list of nonzeros with C's row accumulated in registers, 10% slower.)
//
// A skipped zero of A would have left c unchanged (fma(0, b, c) = c for finite b), so skipping keeps
// every sum as it is. All fused steps go through `fusedMultiplyAdd` (at the end of this file), which
// gives the same bits in portable builds, whose target has no FMA instruction.

private typealias V8 = SIMD8<Float>
private typealias V4 = SIMD4<Float>

@inline(__always)
private func load<V: SIMD>(_: V.Type, _ p: UnsafePointer<Float>) -> V where V.Scalar == Float {
    UnsafeRawPointer(p).loadUnaligned(as: V.self)
}

@inline(__always)
private func store<V: SIMD>(_ v: V, _ p: UnsafeMutablePointer<Float>) where V.Scalar == Float {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
}

/// C = A·B (overwriting C) with A addressed through strides; see the file comment.
func blockedProduct(
    _ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
    _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int
) {
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
    // A sample without a single zero: A is dense (a sigmoid's output, a gradient), and the zero test
    // would only cost loads; with zeros in the sample, whole steps of 4 zeros are worth skipping.
    if zeros == 0 {
        denseProduct(a, rowStride: rowStride, depthStride: depthStride, b, into: c, m: m, k: k, n: n, skipsZeros: false)
    } else {
        denseProduct(a, rowStride: rowStride, depthStride: depthStride, b, into: c, m: m, k: k, n: n, skipsZeros: true)
    }
}

/// Depth of one block of a packed product: a panel of B (depthBlock × 16 floats) takes 16 KB, half of
/// this machine's 32 KB L1, leaving room for A's four rows and C.
private let depthBlock = 256

/// Whether B's panels are copied into a contiguous buffer before use. B's rows are n floats apart; when
/// that is a multiple of 64 floats (256 bytes: widths 256 and 512), a panel's k rows fall into at most
/// 16 of L1's 64 sets, which hold 128 lines, and a deep panel missed L1 on every row (a 60×512·512×512
/// product ran at 40 GFLOP/s unpacked, 55 packed). Other widths spread over every set and gain nothing
/// from the copy.
@inline(__always)
private func packsPanels(k: Int, n: Int) -> Bool { n % 64 == 0 && k >= 16 }

/// The blocked product, its zero test compiled in or out by `skipsZeros`.
@inline(__always)
private func denseProduct(
    _ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
    _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int, skipsZeros: Bool
) {
    let panelColumns = n - n % 16
    // Rows in blocks of 6, then one block of 4 if 4 are left; the rest take the axpy loop.
    let sixRows = m - m % 6, panelRows = m - sixRows >= 4 ? sixRows + 4 : sixRows
    // Panels of 16 columns outside, (depth blocks,) blocks of rows inside: the panel of B stays in
    // cache while every block of rows passes over it (rows outside would stream all of B once per block:
    // 1 MB for a 512 × 512 layer, more than this machine's L2).
    // Splitting the depth changes no sum: a block's partial sums go to C and the next block goes on
    // from them, in the same p order as one pass.
    let packs = packsPanels(k: k, n: n)
    var panelBuffer = InlineArray<4096, Float>(repeating: 0)  // depthBlock × 16, on the stack
    withUnsafeMutablePointer(to: &panelBuffer) { buffer in
        let panel = UnsafeMutableRawPointer(buffer).assumingMemoryBound(to: Float.self)
        var j = 0
        while j < panelColumns {
            var p0 = 0
            while p0 < k {
                let depth = packs ? min(depthBlock, k - p0) : k
                if packs {
                    for p in 0..<depth {
                        let from = b + (p0 + p) * n + j, to = panel + p * 16
                        store(load(V8.self, from), to); store(load(V8.self, from + 8), to + 8)
                    }
                }
                let bPanel = packs ? UnsafePointer(panel) : b + j, bStride = packs ? 16 : n
                var r = 0
                while r < sixRows {
                    sixRowBlock(a + r * rowStride + p0 * depthStride, rowStride: rowStride, depthStride: depthStride,
                                bPanel, bStride: bStride, into: c + r * n + j, n: n, depth: depth,
                                accumulates: p0 > 0, skipsZeros: skipsZeros)
                    r += 6
                }
                if r < panelRows {
                    fourRowBlock(a + r * rowStride + p0 * depthStride, rowStride: rowStride, depthStride: depthStride,
                                 bPanel, bStride: bStride, into: c + r * n + j, n: n, depth: depth,
                                 accumulates: p0 > 0, skipsZeros: skipsZeros)
                }
                p0 += depth
            }
            j += 16
        }
    }
    if panelRows < m {
        axpyRows(a, rowStride: rowStride, depthStride: depthStride, b, into: c, rows: panelRows..<m, columns: 0..<panelColumns, k: k, n: n)
    }
    // The last n mod 16 columns: 8, then 4 at a time in narrower vectors, then one by one; 4 rows a block.
    let blockedRows = m - m % 4
    var r = 0
    while r < blockedRows {
        let a0 = a + r * rowStride, cBlock = c + r * n
        var t = panelColumns
        if t + 8 <= n { narrowBlock(V8.self, a0, rowStride: rowStride, depthStride: depthStride, b, into: cBlock, column: t, k: k, n: n, skipsZeros: skipsZeros); t += 8 }
        if t + 4 <= n { narrowBlock(V4.self, a0, rowStride: rowStride, depthStride: depthStride, b, into: cBlock, column: t, k: k, n: n, skipsZeros: skipsZeros); t += 4 }
        while t < n { scalarColumn(a0, rowStride: rowStride, depthStride: depthStride, b, into: cBlock, column: t, k: k, n: n, skipsZeros: skipsZeros); t += 1 }
        r += 4
    }
    if blockedRows < m && panelColumns < n {
        axpyRows(a, rowStride: rowStride, depthStride: depthStride, b, into: c, rows: blockedRows..<m, columns: panelColumns..<n, k: k, n: n)
    }
}

/// Six rows × 16 columns of C over `depth` steps: B's rows `bStride` floats apart from `bPanel`, A's
/// six rows at a0, a0 + rowStride, … (depthStride floats per step). Starts from the values in C when
/// `accumulates` (a later depth block), else from 0.
@inline(__always)
private func sixRowBlock(
    _ a0: UnsafePointer<Float>, rowStride: Int, depthStride: Int, _ bPanel: UnsafePointer<Float>, bStride: Int,
    into cRow: UnsafeMutablePointer<Float>, n: Int, depth: Int, accumulates: Bool, skipsZeros: Bool
) {
    let a1 = a0 + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride, a4 = a3 + rowStride, a5 = a4 + rowStride
    let c1 = cRow + n, c2 = c1 + n, c3 = c2 + n, c4 = c3 + n, c5 = c4 + n
    var c00 = V8(), c01 = V8(), c10 = V8(), c11 = V8(), c20 = V8(), c21 = V8()
    var c30 = V8(), c31 = V8(), c40 = V8(), c41 = V8(), c50 = V8(), c51 = V8()
    if accumulates {
        c00 = load(V8.self, cRow); c01 = load(V8.self, cRow + 8)
        c10 = load(V8.self, c1); c11 = load(V8.self, c1 + 8)
        c20 = load(V8.self, c2); c21 = load(V8.self, c2 + 8)
        c30 = load(V8.self, c3); c31 = load(V8.self, c3 + 8)
        c40 = load(V8.self, c4); c41 = load(V8.self, c4 + 8)
        c50 = load(V8.self, c5); c51 = load(V8.self, c5 + 8)
    }
    var offset = 0
    var bRow = bPanel
    for _ in 0..<depth {
        if !skipsZeros || !allZero(a0, a1, a2, a3, offset) || !allZero(a4, a5, offset) {
            let b0 = load(V8.self, bRow), b1 = load(V8.self, bRow + 8)
            var x = V8(repeating: a0[offset])
            c00 = fusedMultiplyAdd(c00, x, b0); c01 = fusedMultiplyAdd(c01, x, b1)
            x = V8(repeating: a1[offset])
            c10 = fusedMultiplyAdd(c10, x, b0); c11 = fusedMultiplyAdd(c11, x, b1)
            x = V8(repeating: a2[offset])
            c20 = fusedMultiplyAdd(c20, x, b0); c21 = fusedMultiplyAdd(c21, x, b1)
            x = V8(repeating: a3[offset])
            c30 = fusedMultiplyAdd(c30, x, b0); c31 = fusedMultiplyAdd(c31, x, b1)
            x = V8(repeating: a4[offset])
            c40 = fusedMultiplyAdd(c40, x, b0); c41 = fusedMultiplyAdd(c41, x, b1)
            x = V8(repeating: a5[offset])
            c50 = fusedMultiplyAdd(c50, x, b0); c51 = fusedMultiplyAdd(c51, x, b1)
        }
        offset &+= depthStride
        bRow += bStride
    }
    store(c00, cRow); store(c01, cRow + 8)
    store(c10, c1); store(c11, c1 + 8)
    store(c20, c2); store(c21, c2 + 8)
    store(c30, c3); store(c31, c3 + 8)
    store(c40, c4); store(c41, c4 + 8)
    store(c50, c5); store(c51, c5 + 8)
}

/// Four rows × 16 columns of C: `sixRowBlock` for the last 4 rows of a product.
@inline(__always)
private func fourRowBlock(
    _ a0: UnsafePointer<Float>, rowStride: Int, depthStride: Int, _ bPanel: UnsafePointer<Float>, bStride: Int,
    into cRow: UnsafeMutablePointer<Float>, n: Int, depth: Int, accumulates: Bool, skipsZeros: Bool
) {
    let a1 = a0 + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride
    let c1 = cRow + n, c2 = c1 + n, c3 = c2 + n
    var c00 = V8(), c01 = V8(), c10 = V8(), c11 = V8()
    var c20 = V8(), c21 = V8(), c30 = V8(), c31 = V8()
    if accumulates {
        c00 = load(V8.self, cRow); c01 = load(V8.self, cRow + 8)
        c10 = load(V8.self, c1); c11 = load(V8.self, c1 + 8)
        c20 = load(V8.self, c2); c21 = load(V8.self, c2 + 8)
        c30 = load(V8.self, c3); c31 = load(V8.self, c3 + 8)
    }
    var offset = 0
    var bRow = bPanel
    for _ in 0..<depth {
        if !skipsZeros || !allZero(a0, a1, a2, a3, offset) {
            let b0 = load(V8.self, bRow), b1 = load(V8.self, bRow + 8)
            var x = V8(repeating: a0[offset])
            c00 = fusedMultiplyAdd(c00, x, b0); c01 = fusedMultiplyAdd(c01, x, b1)
            x = V8(repeating: a1[offset])
            c10 = fusedMultiplyAdd(c10, x, b0); c11 = fusedMultiplyAdd(c11, x, b1)
            x = V8(repeating: a2[offset])
            c20 = fusedMultiplyAdd(c20, x, b0); c21 = fusedMultiplyAdd(c21, x, b1)
            x = V8(repeating: a3[offset])
            c30 = fusedMultiplyAdd(c30, x, b0); c31 = fusedMultiplyAdd(c31, x, b1)
        }
        offset &+= depthStride
        bRow += bStride
    }
    store(c00, cRow); store(c01, cRow + 8)
    store(c10, c1); store(c11, c1 + 8)
    store(c20, c2); store(c21, c2 + 8)
    store(c30, c3); store(c31, c3 + 8)
}

/// The bits of A's value at `offset` from `p`, sign cleared by the caller.
@inline(__always)
private func bits(_ p: UnsafePointer<Float>, _ offset: Int) -> UInt32 {
    UnsafeRawPointer(p).loadUnaligned(fromByteOffset: offset &* 4, as: UInt32.self)
}

/// Whether the four A values at `offset` are all ±0, tested on their bits in integer registers so the
/// vector registers stay free for the accumulators.
@inline(__always)
private func allZero(_ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ a2: UnsafePointer<Float>,
                     _ a3: UnsafePointer<Float>, _ offset: Int) -> Bool {
    (bits(a0, offset) | bits(a1, offset) | bits(a2, offset) | bits(a3, offset)) & 0x7FFF_FFFF == 0
}

/// Whether the two A values at `offset` are both ±0.
@inline(__always)
private func allZero(_ a0: UnsafePointer<Float>, _ a1: UnsafePointer<Float>, _ offset: Int) -> Bool {
    (bits(a0, offset) | bits(a1, offset)) & 0x7FFF_FFFF == 0
}

/// Four rows of C, V.scalarCount columns from `column`, accumulated in one vector each.
@inline(__always)
private func narrowBlock<V: SIMD>(
    _: V.Type, _ a0: UnsafePointer<Float>, rowStride: Int, depthStride: Int, _ b: UnsafePointer<Float>,
    into c: UnsafeMutablePointer<Float>, column j: Int, k: Int, n: Int, skipsZeros: Bool
) where V.Scalar == Float {
    var c0 = V(), c1 = V(), c2 = V(), c3 = V()
    let a1 = a0 + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride
    var offset = 0
    var bRow = b + j
    for _ in 0..<k {
        if !skipsZeros || !allZero(a0, a1, a2, a3, offset) {
            let bv = load(V.self, bRow)
            c0 = fusedMultiplyAdd(c0, V(repeating: a0[offset]), bv)
            c1 = fusedMultiplyAdd(c1, V(repeating: a1[offset]), bv)
            c2 = fusedMultiplyAdd(c2, V(repeating: a2[offset]), bv)
            c3 = fusedMultiplyAdd(c3, V(repeating: a3[offset]), bv)
        }
        offset &+= depthStride
        bRow += n
    }
    store(c0, c + j); store(c1, c + n + j); store(c2, c + 2 * n + j); store(c3, c + 3 * n + j)
}

/// Four rows of C, one column, in four scalar accumulators (the last n mod 4 columns).
@inline(__always)
private func scalarColumn(
    _ a0: UnsafePointer<Float>, rowStride: Int, depthStride: Int, _ b: UnsafePointer<Float>,
    into c: UnsafeMutablePointer<Float>, column j: Int, k: Int, n: Int, skipsZeros: Bool
) {
    let a1 = a0 + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride
    var c0: Float = 0, c1: Float = 0, c2: Float = 0, c3: Float = 0
    var offset = 0
    var bColumn = b + j
    for _ in 0..<k {
        if !skipsZeros || !allZero(a0, a1, a2, a3, offset) {
            let bv = bColumn.pointee
            c0 = fusedMultiplyAdd(c0, a0[offset], bv); c1 = fusedMultiplyAdd(c1, a1[offset], bv)
            c2 = fusedMultiplyAdd(c2, a2[offset], bv); c3 = fusedMultiplyAdd(c3, a3[offset], bv)
        }
        offset &+= depthStride
        bColumn += n
    }
    c[j] = c0; c[n + j] = c1; c[2 * n + j] = c2; c[3 * n + j] = c3
}

/// C[rows, columns] = A[rows, :]·B[:, columns], one row at a time (the unblocked edges).
@inline(__always)
private func axpyRows(
    _ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int, _ b: UnsafePointer<Float>,
    into c: UnsafeMutablePointer<Float>, rows: Range<Int>, columns: Range<Int>, k: Int, n: Int
) {
    for r in rows {
        let cRow = c + r * n + columns.lowerBound
        cRow.update(repeating: 0, count: columns.count)
        for p in 0..<k {
            let s = a[r * rowStride + p * depthStride]
            if s == 0 { continue }
            addScaled(s, b + p * n + columns.lowerBound, to: cRow, count: columns.count)
        }
    }
}
// MARK: Mostly-zero A

/// C = A·B for a mostly-zero A, skipping every zero of A; loops ordered for A's layout.
private func sparseProduct(
    _ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int, _ b: UnsafePointer<Float>,
    into c: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int
) {
    if depthStride == 1 {
        // A's rows are contiguous: row r of C gathers B's rows weighted by A's row r.
        axpyMultiply(a, b, into: c, m: m, k: k, n: n)
    } else {
        // A's columns are contiguous (A is stored transposed): row p of B scatters into C's rows.
        c.update(repeating: 0, count: m * n)
        for p in 0..<k {
            let aColumn = a + p * depthStride, bRow = b + p * n
            for r in 0..<m {
                let s = aColumn[r * rowStride]
                if s == 0 { continue }
                addScaled(s, bRow, to: c + r * n, count: n)
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

// MARK: The fused step
//
// c + a·b rounded once (IEEE 754 fusedMultiplyAdd): the one step every product above repeats. It lives in
// this file so that the loops above inline it in every build: debug builds compile file by file, and a
// generic function in another file stayed an unspecialized call per lane there (the MNIST training
// test took 630 s instead of 20).
//
// Native builds (and arm64, where it is baseline) run one FMA instruction per vector. Baseline x86-64
// (BNLAB_PORTABLE=1) has no FMA instruction, and Swift would call the C library's fmaf once per lane
// (0.8 GFLOP/s, see shared/NOTES.md). There the same correctly rounded value comes from double:
//
//   p = a·b        exact in double (two 24-bit significands make at most 48 bits)
//   s = p + c      rounded once, to double's 53 bits
//   Float(s)       rounded again, to float's 24 bits
//
// Rounding twice gives the correctly rounded float unless the first rounding landed exactly on a
// midpoint between two floats that the exact sum was not on (every midpoint is a double, so the first
// rounding can reach one but never cross it). A lane whose s is such a midpoint, or too small for
// float's normal range (where midpoints sit elsewhere), is recomputed by the C library's fmaf; that
// happens for about one lane in 2^28. So portable and native builds give the same bits, which
// `portableFusedMultiplyAdd` is tested for against the hardware instruction.

/// c + a·b rounded once, lane by lane.
@inline(__always)
func fusedMultiplyAdd<V: SIMD>(_ c: V, _ a: V, _ b: V) -> V where V.Scalar == Float {
    #if BNLAB_NATIVE || arch(arm64)
    return c.addingProduct(a, b)
    #else
    return portableFusedMultiplyAdd(c, a, b)
    #endif
}

/// c + a·b rounded once.
@inline(__always)
func fusedMultiplyAdd(_ c: Float, _ a: Float, _ b: Float) -> Float {
    #if BNLAB_NATIVE || arch(arm64)
    return c.addingProduct(a, b)
    #else
    return portableFusedMultiplyAdd(c, a, b)
    #endif
}

/// Double's bits at or below which a value is under float's smallest normal, 2^-126.
private let belowFloatNormal: UInt64 = 0x3810_0000_0000_0000
/// The 29 bits of double's significand that float drops, and their pattern at a midpoint.
private let droppedBits: UInt64 = 0x1FFF_FFFF, midpoint: UInt64 = 0x1000_0000

/// 1 where Float(s) may differ from the correctly rounded float (s is a float midpoint, or a nonzero
/// value under float's normal range), else 0; no branches, so the lane loop below stays a vector loop.
@inline(__always)
private func suspicion(_ bits: UInt64) -> UInt64 {
    let magnitude = bits & 0x7FFF_FFFF_FFFF_FFFF
    let atMidpoint: UInt64 = bits & droppedBits == midpoint ? 1 : 0
    let tiny: UInt64 = magnitude &- 1 < belowFloatNormal - 1 ? 1 : 0   // 0 < magnitude < 2^-126
    return atMidpoint | tiny
}

/// c + a·b through double, for targets without an FMA instruction (see the file comment).
@inline(__always)
func portableFusedMultiplyAdd(_ c: Float, _ a: Float, _ b: Float) -> Float {
    let s = Double(a) * Double(b) + Double(c)
    if suspicion(s.bitPattern) != 0 { return c.addingProduct(a, b) }
    return Float(s)
}

/// c + a·b through double, lane by lane; a lane that needs the library takes the scalar path.
@inline(__always)
func portableFusedMultiplyAdd<V: SIMD>(_ c: V, _ a: V, _ b: V) -> V where V.Scalar == Float {
    var result = V()
    var suspicious: UInt64 = 0
    for i in 0..<V.scalarCount {
        let s = Double(a[i]) * Double(b[i]) + Double(c[i])
        suspicious |= suspicion(s.bitPattern)
        result[i] = Float(s)
    }
    if suspicious != 0 {
        for i in 0..<V.scalarCount { result[i] = portableFusedMultiplyAdd(c[i], a[i], b[i]) }
    }
    return result
}

/// y[j] = fma(s, x[j], y[j]) for j in 0..<count: the axpy step of the products' unblocked paths.
@inline(__always)
func addScaled(_ s: Float, _ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
    #if BNLAB_NATIVE || arch(arm64)
    for j in 0..<count { y[j] = y[j].addingProduct(s, x[j]) }  // the compiler vectorizes this loop
    #else
    var j = 0
    let scale = SIMD8<Float>(repeating: s)
    while j + 8 <= count {
        let raw = UnsafeMutableRawPointer(y + j)
        let sum = portableFusedMultiplyAdd(raw.loadUnaligned(as: SIMD8<Float>.self), scale,
                                           UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<Float>.self))
        raw.storeBytes(of: sum, as: SIMD8<Float>.self)
        j += 8
    }
    while j < count { y[j] = portableFusedMultiplyAdd(y[j], s, x[j]); j += 1 }
    #endif
}
