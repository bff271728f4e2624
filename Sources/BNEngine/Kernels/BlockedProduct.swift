// The register-blocked kernel behind `multiply` and `multiplyTransposedA`.
//
// C (m × n) = A·B, where element (r, p) of A is a[r·rowStride + p·depthStride] (so one kernel serves
// A and Aᵀ) and B is k × n row-major. Every element of C is
//
//   c = 0;  for p in 0..<k:  c = fma(a[r, p], b[p, j], c)        (one rounding per step, p in order)
//
// which `referenceMultiply` spells out and every path below computes bit for bit, whatever the blocking.
//
// The loops, outside in: depth blocks of at most 256 steps; panels of 16 columns of B, each copied into
// a contiguous 16 KB buffer on the stack; blocks of 6 rows of A (one block of 4 where 4 are left, then
// the axpy loop for the last 1–3 rows). So one panel of B stays in L1 while every block of rows passes
// over it (rows outside would stream all of B once per block: 1 MB for a 512 × 512 layer, more than
// this machine's L2), and its rows sit 64 bytes apart whatever n is (rows n floats apart, n a multiple
// of 64, fell into 16 of L1's 64 sets and missed on every row: 60×512·512×512 ran at 40 GFLOP/s
// unpacked, 55 packed). The last n mod 16 columns are one more panel, padded with zeros to 16 and
// computed into a 6 × 16 tile on the stack whose first columns go to C (every column is a sum of its
// own, so the padding changes none); this replaced 8- and 4-wide blocks of 4 rows and scalar columns,
// which ran at a quarter of the speed and were 1.6–2.1× slower on 60×100·100×10.
//
// A block: 6 rows of C × 16 columns live in twelve 8-lane accumulators while p runs over the depth;
// each step loads 2 vectors of B's row p and broadcasts 6 values of A, one at a time, so every load of B
// feeds 6 rows: 12 accumulators, 2 of B and 1 broadcast fill AVX2's 16 vector registers. Twelve
// independent fused multiply-adds per step keep both FMA pipes busy through the instruction's 4-cycle
// latency; 4 × 16 (eight accumulators) could not, and ran at 49 GFLOP/s against 77 for 6 × 16 on
// 60×512·512×512. (Before FMA the kernel was 4 × 16 with a separate multiply and add, 59 GFLOP/s:
// 6 × 16 did not fit then, as each multiply needs a register of its own.) The block of 4 rows runs the same
// loop with rows 5 and 6 repeating row 4 and left unstored. (Tried and reverted: the last m mod 6 rows,
// the block of 4 and the axpy loop, as one edge block whose A is copied with zero rows and computed
// through the tile, as the narrow panel is: same bits, but the 32 × 256 net trained at 0.91× in 6
// interleaved rounds, the 256 rows of its dW and dx products ending in such a block in every panel.)
//
// Zeros in A (a batch of MNIST pixels, 81% zeros; a ReLU's output): each block of rows lists the steps
// where one of its rows is nonzero (`listSteps`, without a branch per step) once per depth block, and
// every panel runs over that list. A dense A (no zero in a sample of it: a sigmoid's output, a gradient)
// runs over a list of every step, so both take the same loop. Replaced (measured on MNIST batches, same
// bits): an axpy loop over each row's nonzeros, 1.3–1.5× slower for 60×784·784×100 and its xᵀ·dz,
// 1.1–2.0× for the 512-wide first layer; and a zero test per step inside the block, which mispredicted on
// the edges of strokes once per panel. (Tried and reverted: each row of A compressed to a list of
// nonzeros with C's row accumulated in registers, 10% slower than the axpy loop.)
//
// A skipped zero of A would have left c unchanged (fma(0, b, c) = c for finite b), so skipping keeps
// every sum as it is. All fused steps go through `fusedMultiplyAdd` (at the end of this file), which
// gives the same bits in portable builds, whose target has no FMA instruction.

private typealias V8 = SIMD8<Float>

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
    if k == 0 {  // an empty sum
        c.update(repeating: 0, count: m * n)
        return
    }
    // A sample of A without a single zero (a sigmoid's output, a gradient) takes the plain loop: listing
    // the steps would only cost loads. With a zero in the sample, each block of rows lists its steps.
    if sampleHasZero(a, count: m * k) {
        panelProduct(a, rowStride: rowStride, depthStride: depthStride, b, into: c, m: m, k: k, n: n, skipsZeros: true)
    } else {
        panelProduct(a, rowStride: rowStride, depthStride: depthStride, b, into: c, m: m, k: k, n: n, skipsZeros: false)
    }
}

/// Whether an evenly spaced sample of at most 1,024 of A's `count` contiguous values holds a ±0.
@inline(__always)
private func sampleHasZero(_ a: UnsafePointer<Float>, count: Int) -> Bool {
    for i in Swift.stride(from: 0, to: count, by: max(1, count / 1024)) where a[i] == 0 { return true }
    return false
}

/// Depth of one block: a panel of B (depthBlock × 16 floats) takes 16 KB, half of this machine's 32 KB
/// L1, leaving room for A's six rows and C.
private let depthBlock = 256

/// Steps listed per call (`listSteps`): 16 blocks of rows × a depth block of 256, on the stack.
private let listCapacity = 4096

/// The blocked product; with `skipsZeros`, each block of rows runs only over the steps p where one of
/// its rows of A is nonzero, listed once per block and depth block and then used for every panel.
@inline(__always)
private func panelProduct(
    _ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
    _ b: UnsafePointer<Float>, into c: UnsafeMutablePointer<Float>, m: Int, k: Int, n: Int, skipsZeros: Bool
) {
    // Rows in blocks of 6, then one block of 4 if 4 are left; the last 1–3 rows take the axpy loop.
    let sixBlocks = m / 6, blocks = m - 6 * sixBlocks >= 4 ? sixBlocks + 1 : sixBlocks
    let blockedRows = 6 * sixBlocks + (blocks - sixBlocks) * 4
    // Columns in panels of 16; the last n mod 16 form one narrower panel (below).
    let fullPanels = n / 16, panels = n % 16 == 0 ? fullPanels : fullPanels + 1
    // Depth blocks outside, panels inside them, blocks of rows innermost (see the file comment).
    // Splitting the depth changes no sum: a block's partial sums go to C and the next block goes on
    // from them, in the same p order as one pass.
    let depthStep = max(1, min(k, depthBlock))
    // With skipsZeros the blocks of rows go in groups whose lists fit the stack buffer (all 60 rows of
    // a training batch at once), at most 256 blocks.
    let groupBlocks = skipsZeros ? min(256, listCapacity / depthStep) : max(blocks, 1)
    // Scratch on the stack. (Tried: withUnsafeTemporaryAllocation, to skip zeroing it; it went to the
    // heap here, 11 allocations per training step.)
    var panelBuffer = InlineArray<4096, Float>(repeating: 0)  // depthBlock × 16
    var stepBuffer = InlineArray<4096, Int32>(repeating: 0)   // listCapacity steps
    var countBuffer = InlineArray<256, Int32>(repeating: 0)   // steps listed per block of the group
    var tileBuffer = InlineArray<96, Float>(repeating: 0)     // 6 rows × 16 of C for the narrow panel
    withUnsafeMutablePointer(to: &panelBuffer) { panelPointer in
    withUnsafeMutablePointer(to: &stepBuffer) { stepPointer in
    withUnsafeMutablePointer(to: &countBuffer) { countPointer in
    withUnsafeMutablePointer(to: &tileBuffer) { tilePointer in
        let panel = UnsafeMutableRawPointer(panelPointer).assumingMemoryBound(to: Float.self)
        let steps = UnsafeMutableRawPointer(stepPointer).assumingMemoryBound(to: Int32.self)
        let counts = UnsafeMutableRawPointer(countPointer).assumingMemoryBound(to: Int32.self)
        let tile = UnsafeMutableRawPointer(tilePointer).assumingMemoryBound(to: Float.self)
        var g0 = 0
        while g0 < blocks {
            let g1 = min(blocks, g0 + groupBlocks)
            var p0 = 0
            while p0 < k {
                let depth = min(depthStep, k - p0)
                if !skipsZeros {
                    for p in 0..<depth { steps[p] = Int32(truncatingIfNeeded: p) }  // every step, for every block
                } else {
                    for block in g0..<g1 {
                        counts[block - g0] = Int32(truncatingIfNeeded: listSteps(
                            a + 6 * block * rowStride + p0 * depthStride, rowStride: rowStride, depthStride: depthStride,
                            rows: block < sixBlocks ? 6 : 4, depth: depth, into: steps + (block - g0) * depthStep))
                    }
                }
                for panelIndex in 0..<panels {
                    let j = 16 * panelIndex, width = min(16, n - j)
                    // The narrow panel (width < 16) is copied with zeros after its columns and computed
                    // into a 6 × 16 tile, of which its columns go to C; every column is a sum of its own.
                    let narrow = width < 16
                    for p in 0..<depth {
                        let from = b + (p0 + p) * n + j, to = panel + p * 16
                        if narrow {
                            for t in 0..<16 { to[t] = t < width ? from[t] : 0 }
                        } else {
                            store(load(V8.self, from), to); store(load(V8.self, from + 8), to + 8)
                        }
                    }
                    let bPanel = UnsafePointer(panel)
                    let aBlock = a + 6 * g0 * rowStride + p0 * depthStride
                    let listStride = skipsZeros ? depthStep : 0, listCounts = skipsZeros ? UnsafePointer(counts) : nil
                    if !narrow {
                        rowBlocks(aBlock, rowStride: rowStride, depthStride: depthStride, bPanel,
                                  into: c + 6 * g0 * n + j, n: n, blocks: g0..<g1, sixBlocks: sixBlocks,
                                  steps: steps, listStride: listStride, counts: listCounts, depth: depth, accumulates: p0 > 0)
                    } else {
                        // The narrow panel, a block at a time through the tile (C's values in first when
                        // this is a later depth block).
                        for block in g0..<g1 {
                            let r = 6 * block, rows = block < sixBlocks ? 6 : 4, i = block - g0
                            if p0 > 0 {
                                for row in 0..<rows { (tile + 16 * row).update(from: c + (r + row) * n + j, count: width) }
                            }
                            rowBlocks(aBlock + 6 * i * rowStride, rowStride: rowStride, depthStride: depthStride, bPanel,
                                      into: tile, n: 16, blocks: block..<(block + 1), sixBlocks: sixBlocks,
                                      steps: steps + i * listStride, listStride: listStride, counts: listCounts.map { $0 + i },
                                      depth: depth, accumulates: p0 > 0)
                            for row in 0..<rows { (c + (r + row) * n + j).update(from: tile + 16 * row, count: width) }
                        }
                    }
                }
                p0 += depth
            }
            g0 = g1
        }
    }
    }
    }
    }
    if blockedRows < m {
        axpyRows(a, rowStride: rowStride, depthStride: depthStride, b, into: c, rows: blockedRows..<m, columns: 0..<n, k: k, n: n)
    }
}

/// Lists the steps p in 0..<depth where one of `rows` rows of A (from a0) is nonzero, in order, and
/// returns how many. Each step writes its p and advances the count only where the rows' bits say
/// nonzero: no branch per step. (A branch per step in the product loop mispredicted on MNIST's strokes,
/// and again for every panel.)
@inline(__always)
private func listSteps(
    _ a0: UnsafePointer<Float>, rowStride: Int, depthStride: Int, rows: Int, depth: Int,
    into steps: UnsafeMutablePointer<Int32>
) -> Int {
    let a1 = a0 + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride
    let a4 = rows == 6 ? a3 + rowStride : a3, a5 = rows == 6 ? a4 + rowStride : a3
    var count = 0
    var offset = 0
    for p in 0..<depth {
        let any = bits(a0, offset) | bits(a1, offset) | bits(a2, offset) | bits(a3, offset)
            | bits(a4, offset) | bits(a5, offset)
        steps[count] = Int32(truncatingIfNeeded: p)
        count &+= any & 0x7FFF_FFFF != 0 ? 1 : 0
        offset &+= depthStride
    }
    return count
}

/// The blocks of rows `blocks` over one panel of B. Block i of the range starts at a + 6i·rowStride in A
/// and at c + 6i·n in C; blocks below `sixBlocks` have 6 rows, the one after them 4. Block i runs over
/// the counts[i] steps listed at steps + i·listStride, or, without counts, over all `depth` steps
/// listed at `steps`. Out of line on purpose: inlined into the loops of `panelProduct`, the compiler
/// unrolled the step loop and kept accumulators on the stack (the 64 × 512 net trained at 0.6× speed);
/// alone, its step loops keep all twelve in registers (checked in the disassembly).
@inline(never)
private func rowBlocks(
    _ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int, _ bPanel: UnsafePointer<Float>,
    into c: UnsafeMutablePointer<Float>, n: Int, blocks: Range<Int>, sixBlocks: Int,
    steps: UnsafePointer<Int32>, listStride: Int, counts: UnsafePointer<Int32>?, depth: Int, accumulates: Bool
) {
    for block in blocks {
        let i = block - blocks.lowerBound
        let list = steps + i * listStride, count = counts.map { Int($0[i]) } ?? depth
        let a0 = a + 6 * i * rowStride, c0 = c + 6 * i * n
        sixRowBlock(a0, rowStride: rowStride, depthStride: depthStride, bPanel, into: c0, n: n, rows: block < sixBlocks ? 6 : 4,
                    steps: list, count: count, accumulates: accumulates)
    }
}

/// Six rows × 16 columns of C (rows n floats apart from cRow) over the `count` steps p listed at
/// `steps`: B's row p at bPanel + 16p, A's six values at a0 + p·depthStride, a0 + rowStride + …. Starts
/// from the values in C when `accumulates` (a later depth block), else from 0. The list is walked by
/// pointer and B's stride is the constant 16: with the frame pointer SwiftPM reserves, one more live
/// register here made the compiler keep accumulators on the stack.
/// With `rows` 4 (the last block of a product), rows 5 and 6 read row 4's A again and are neither
/// loaded from C nor stored: one loop for both (a copy for 4 rows was 40 lines of the same steps).
@inline(__always)
private func sixRowBlock(
    _ a0: UnsafePointer<Float>, rowStride: Int, depthStride: Int, _ bPanel: UnsafePointer<Float>,
    into cRow: UnsafeMutablePointer<Float>, n: Int, rows: Int, steps: UnsafePointer<Int32>, count: Int, accumulates: Bool
) {
    let six = rows == 6
    let a1 = a0 + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride
    let a4 = six ? a3 + rowStride : a3, a5 = six ? a4 + rowStride : a3
    let c1 = cRow + n, c2 = c1 + n, c3 = c2 + n, c4 = c3 + n, c5 = c4 + n
    var c00 = V8(), c01 = V8(), c10 = V8(), c11 = V8(), c20 = V8(), c21 = V8()
    var c30 = V8(), c31 = V8(), c40 = V8(), c41 = V8(), c50 = V8(), c51 = V8()
    if accumulates {
        c00 = load(V8.self, cRow); c01 = load(V8.self, cRow + 8)
        c10 = load(V8.self, c1); c11 = load(V8.self, c1 + 8)
        c20 = load(V8.self, c2); c21 = load(V8.self, c2 + 8)
        c30 = load(V8.self, c3); c31 = load(V8.self, c3 + 8)
        if six {
            c40 = load(V8.self, c4); c41 = load(V8.self, c4 + 8)
            c50 = load(V8.self, c5); c51 = load(V8.self, c5 + 8)
        }
    }
    var step = steps
    let end = steps + count
    while step != end {
        let p = Int(step.pointee)
        step += 1
        let offset = p &* depthStride, bRow = bPanel + p &* 16
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
    store(c00, cRow); store(c01, cRow + 8)
    store(c10, c1); store(c11, c1 + 8)
    store(c20, c2); store(c21, c2 + 8)
    store(c30, c3); store(c31, c3 + 8)
    if six {
        store(c40, c4); store(c41, c4 + 8)
        store(c50, c5); store(c51, c5 + 8)
    }
}

/// The bits of A's value at `offset` from `p`, sign cleared by the caller.
@inline(__always)
private func bits(_ p: UnsafePointer<Float>, _ offset: Int) -> UInt32 {
    UnsafeRawPointer(p).loadUnaligned(fromByteOffset: offset &* 4, as: UInt32.self)
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
