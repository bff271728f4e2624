// The register-blocked kernel behind `multiply`, `multiplyTransposedA` and `multiplyTransposedB`.
//
// C (m × n) = A·B, where element (r, p) of A is a[r·rowStride + p·depthStride] (so one kernel serves
// A and Aᵀ) and B is k × n row-major, or given as Bᵀ (n × k: a dense layer's dx = dz·W reads W from the
// stored Wᵀ), either of them row-major or stored in the kernel's panels (PanelLayout.swift), as is C
// when it is a dense layer's dWᵀ. Every element of C is
//
//   c = 0;  for p in 0..<k:  c = fma(a[r, p], b[p, j], c)        (one rounding per step, p in order)
//
// which `referenceMultiply` spells out and every path below computes bit for bit, whatever the blocking.
//
// The loops, outside in: depth blocks of 16 KB of B per panel (256 steps, 128 with AVX-512); panels of
// `panelWidth` columns of B (16, or 32 with AVX-512), packed contiguously into a per-thread scratch, up
// to 32 panels at a time, by reading B a row at a time (from Bᵀ, 8 × 8 blocks turned in registers), or
// read where they lie when B is stored in panels (a dense layer's forward z = x·Wᵀ);
// blocks of 6 rows of A (the last block with the m mod 6 rows left, if any). So
// one panel of B stays in L1 while every block of rows passes over it (rows outside would stream all of
// B once per block: 1 MB for a 512 × 512 layer), and its rows sit 64 or 128 bytes apart whatever n is
// (rows n floats apart, n a multiple of 64, fell into 16 of L1's 64 sets and missed on every row:
// 60×512·512×512 ran at 40 GFLOP/s unpacked, 55 packed). Packing waits on B's loads: a deep net's
// weights (8 MB for 32 × 256) come from L3 or memory every step. Read a row at a time, B streams in
// address order (packing Bᵀ a panel at a time, 16 rows k floats apart, took 17.6% of a 32 × 256 step);
// and the caller names what the next product will read (`prefetching`: the next layer's W during a
// forward, a layer's own W during its dWᵀ), which each product asks for a few lines at a time while
// it computes (`PrefetchCursor`): packing fell from 16.6% to 9.5% of the 32 × 256 step, which ran 1.075×
// faster (64 × 512: 1.085×). The last n mod panelWidth columns are one more panel of 16 (or panelWidth, if more than 16
// are left), padded with zeros and computed into a tile on the stack whose first columns go to C (every
// column is a sum of its own, so the padding changes none); this replaced 8- and 4-wide blocks of 4
// rows and scalar columns, which ran at a quarter of the speed and were 1.6–2.1× slower on 60×100·100×10.
//
// A block: 6 rows of C × 2 vectors of columns live in twelve accumulators while p runs over the depth;
// each step loads 2 vectors of B's row p and broadcasts 6 values of A, one at a time, so every load of B
// feeds 6 rows: 12 accumulators, 2 of B and 1 broadcast fill AVX2's 16 vector registers with 8 lanes.
// Twelve independent fused multiply-adds per step keep both FMA pipes busy through the instruction's
// 4-cycle latency; 4 × 16 (eight accumulators) could not, and ran at 49 GFLOP/s against 77 for 6 × 16
// on 60×512·512×512. (Before FMA the kernel was 4 × 16 with a separate multiply and add, 59 GFLOP/s:
// 6 × 16 did not fit then, as each multiply needs a register of its own.) With AVX-512 the same twelve
// accumulators hold 16 lanes each (6 × 32; a Zen 4 core executes a 16-lane FMA as two 8-lane halves, so
// the peak is the same, but each step issues half the instructions per FLOP): on 256- and 512-wide
// layers 1.13× (forward) and 1.17× (dWᵀ) the 6 × 16 block, warm, in a same-process microbenchmark.
// (Tried: 12 × 16 on 8 lanes, 24 accumulators, which AVX-512's 32 registers hold: 12 row pointers
// exhausted the integer registers, it spilled, 0.6×.) A last block of 1–5 rows runs the same loop,
// the rows past its own repeating its last row and left unstored. (Tried and reverted: the last m mod 6
// rows as one edge block whose A is copied with zero rows and computed through the tile, as the narrow
// panel is: same bits, but the 32 × 256 net trained at 0.91× in 6 interleaved rounds, the 256 rows of
// its dW and dx products ending in such a block in every panel.)
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

import CPrefetch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(__always)
private func load<V: SIMD>(_: V.Type, _ p: UnsafePointer<Float>) -> V where V.Scalar == Float {
    UnsafeRawPointer(p).loadUnaligned(as: V.self)
}

@inline(__always)
private func store<V: SIMD>(_ v: V, _ p: UnsafeMutablePointer<Float>) where V.Scalar == Float {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
}

/// How `blockedProduct` reads B (k × n).
enum BLayout {
    /// B itself, row-major: B[p, j] at b[p·n + j].
    case rows
    /// Bᵀ row-major (n × k): B[p, j] at b[j·k + p], so B's column j is Bᵀ's row j.
    case transposed
    /// B in the kernel's panels (`PanelLayout(rows: k, columns: n)`): read where it lies, nothing packed.
    case panels
    /// Bᵀ in panels (`PanelLayout(rows: n, columns: k)`): a dense layer's dx = dz·W reads W from its Wᵀ.
    case transposedPanels
}

/// C = A·B (overwriting C) with A addressed through strides and B laid out as `bLayout` says; see the
/// file comment. With `cPanels`, C is stored in panels (`PanelLayout(rows: m, columns: n)`), its
/// padding columns written too (as sums over B's zero padding: 0 for a finite A).
/// `prefetching` is memory the caller will read next (the next layer's weights): the product asks for
/// it a few cache lines at a time while it computes (`PrefetchCursor`).
/// With `subtractingScaled` s, C is not overwritten but stepped: C ← C − s·(A·B), each value as
/// `c − s·sum` (the sum rounded as above, then one multiply and one subtraction): plain SGD's update
/// of a weight from its gradient, done as each block of the gradient is finished instead of in a pass
/// of its own (Dense.backward). Only for k ≤ `fusedStepDepth`: the sums must be whole when stored.
func blockedProduct(
    _ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
    _ b: UnsafePointer<Float>, bLayout: BLayout = .rows, into c: UnsafeMutablePointer<Float>, cPanels: Bool = false,
    m: Int, k: Int, n: Int, prefetching: UnsafeRawBufferPointer? = nil, subtractingScaled scale: Float? = nil
) {
    precondition(scale == nil || k <= fusedStepDepth, "blockedProduct: a stepped product needs k ≤ \(fusedStepDepth), got \(k)")
    if k == 0 {  // an empty sum
        // C = 0, or stepped by a zero gradient: c − s·0
        let count = cPanels ? PanelLayout(rows: m, columns: n).count : m * n
        if let scale { for i in 0..<count { c[i] -= scale * 0 } } else { c.update(repeating: 0, count: count) }
        return
    }
    // A sample of A without a single zero (a sigmoid's output, a gradient) takes the plain loop: listing
    // the steps would only cost loads. With a zero in the sample, each block of rows lists its steps.
    if sampleHasZero(a, count: m * k) {
        panelProduct(a, rowStride: rowStride, depthStride: depthStride, b, bLayout: bLayout, into: c, cPanels: cPanels,
                     m: m, k: k, n: n, skipsZeros: true, prefetching: prefetching, scale: scale)
    } else if rowStride == 1, depthStride != 1, m * k > 8192, m * k <= turnedA.capacity {
        // A given as Aᵀ (A's rows down the columns of what `a` points to: a hidden layer's xᵀ in
        // dWᵀ = xᵀ·dz) is turned row-major first, so a block's six rows stream along their own cache
        // lines as in the forward product; read as stored, every step of a block touched a new line (a
        // 512-wide layer's dWᵀ: 66-70 GFLOP/s as stored, 81-86 turned, warm). An A that fits in L1
        // (32 KB: 8,192 floats, e.g. the 100-wide layers' xᵀ at batch 60) costs nothing read as stored,
        // and a sparse A keeps its layout: its blocks read only the steps they list.
        let turned = turnedA.pointer()
        transpose(a, rows: k, columns: m, rowStride: depthStride, into: turned)
        panelProduct(turned, rowStride: k, depthStride: 1, b, bLayout: bLayout, into: c, cPanels: cPanels,
                     m: m, k: k, n: n, skipsZeros: false, prefetching: prefetching, scale: scale)
    } else {
        panelProduct(a, rowStride: rowStride, depthStride: depthStride, b, bLayout: bLayout, into: c, cPanels: cPanels,
                     m: m, k: k, n: n, skipsZeros: false, prefetching: prefetching, scale: scale)
    }
}

/// Whether a sample of A's `count` contiguous values holds a ±0: every value of a small A, else 64 runs
/// of 16 values, evenly spaced, read as vectors with no branch per value (the least magnitude's bits
/// are 0 only for a ±0). (1,024 single values spread over A, each on a line of its own, took 1% of a
/// 32 × 256 step, waiting on the loads.)
@inline(__always)
private func sampleHasZero(_ a: UnsafePointer<Float>, count: Int) -> Bool {
    typealias Bits = SIMD16<UInt32>
    if count < 1024 {
        for i in 0..<count where a[i] == 0 { return true }
        return false
    }
    let spacing = (count - 16) / 63   // run r starts at r·spacing; the last ends at most at count
    var least = Bits(repeating: .max)
    for run in 0..<64 {
        least = pointwiseMin(least, UnsafeRawPointer(a + run * spacing).loadUnaligned(as: Bits.self) & 0x7FFF_FFFF)
    }
    return least.min() == 0
}

#if BNLAB_AVX512
/// A vector of the widest kind the block's twelve accumulators fit in registers: with AVX-512's 32
/// registers, 16 lanes (see the file comment).
private typealias Lanes = SIMD16<Float>
#else
private typealias Lanes = SIMD8<Float>
#endif

/// Columns of a panel: two vectors of lanes, 32 with AVX-512, else 16.
let panelWidth = 2 * Lanes.scalarCount

/// The lanes of the kernel's vectors and the columns of its panels in this build, for `bnlab bench` to
/// report what it measured.
public enum KernelShape {
    public static let lanes = Lanes.scalarCount
    public static let panelColumns = panelWidth
    /// Bytes of scratch each thread that runs a product keeps (packed panels and the turned A), for
    /// `MemoryEstimate`.
    public static var scratchBytesPerThread: Int { (packedPanels.capacity + turnedA.capacity) * MemoryLayout<Float>.stride }
}

/// Depth of one block: a panel of B (depthBlock × panelWidth floats) takes 16 KB, half of a 32 KB L1,
/// leaving room for A's six rows and C.
private let depthBlock = 4096 / panelWidth

/// The deepest product that can step C (`blockedProduct(subtractingScaled:)`): one depth block, so
/// every sum is whole when its block is stored. 128 with AVX-512, else 256.
let fusedStepDepth = depthBlock

/// Steps listed per call (`listSteps`): 16 blocks of rows × a depth block of 256 (32 × 128), on the stack.
private let listCapacity = 4096

/// The blocked product; with `skipsZeros`, each block of rows runs only over the steps p where one of
/// its rows of A is nonzero, listed once per block and depth block and then used for every panel.
@inline(__always)
private func panelProduct(
    _ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int,
    _ b: UnsafePointer<Float>, bLayout: BLayout, into c: UnsafeMutablePointer<Float>, cPanels: Bool, m: Int, k: Int, n: Int,
    skipsZeros: Bool, prefetching: UnsafeRawBufferPointer?, scale: Float?
) {
    // Rows in blocks of 6; the last block has the m mod 6 rows left, if any (`blockRows`).
    let blocks = (m + 5) / 6
    // Columns in panels of panelWidth; the last n mod panelWidth form one more panel, of 16 columns
    // when they fit in 16 (on 8-lane vectors), else of panelWidth, padded with zeros (below): B's
    // panels, as packed or as stored, and C's panels when C is stored in them.
    let panels = PanelLayout(rows: k, columns: n), cLayout = PanelLayout(rows: m, columns: n)
    // Depth blocks outside, panels inside them, blocks of rows innermost (see the file comment).
    // Splitting the depth changes no sum: a block's partial sums go to C and the next block goes on
    // from them, in the same p order as one pass.
    let depthStep = max(1, min(k, depthBlock))
    // With skipsZeros the blocks of rows go in groups whose lists fit the stack buffer (all 60 rows of
    // a training batch at once), at most 256 blocks.
    let groupBlocks = skipsZeros ? min(256, listCapacity / depthStep) : max(blocks, 1)
    // The memory to prefetch, spread over every run of a block of rows over a panel.
    var prefetch = PrefetchCursor(prefetching, runs: blocks * panels.panels * ((k + depthStep - 1) / depthStep))
    // Scratch on the stack. (Tried: withUnsafeTemporaryAllocation, to skip zeroing it; it went to the
    // heap here, 11 allocations per training step.)
    var stepBuffer = InlineArray<4096, Int32>(repeating: 0)   // listCapacity steps
    var countBuffer = InlineArray<256, Int32>(repeating: 0)   // steps listed per block of the group
    var tileBuffer = InlineArray<192, Float>(repeating: 0)    // 6 rows × up to 32 of C for the last panel
    withUnsafeMutablePointer(to: &stepBuffer) { stepPointer in
    withUnsafeMutablePointer(to: &countBuffer) { countPointer in
    withUnsafeMutablePointer(to: &tileBuffer) { tilePointer in
        let packed = packedPanels.pointer()
        let steps = UnsafeMutableRawPointer(stepPointer).assumingMemoryBound(to: Int32.self)
        let counts = UnsafeMutableRawPointer(countPointer).assumingMemoryBound(to: Int32.self)
        let tile = UnsafeMutableRawPointer(tilePointer).assumingMemoryBound(to: Float.self)
        var p0 = 0
        while p0 < k {
            let depth = min(depthStep, k - p0)
            var q0 = 0
            while q0 < panels.panels {
                // A chunk of up to `chunkPanels` panels is packed once (see `packPanels`), then each group of
                // blocks of rows passes over each panel of it. A B stored in panels is read as it lies.
                // (Packed once per group, the first layer's dWᵀ = xᵀ·dz at batch 256, nine groups of 16
                // blocks, packed its dz nine times.)
                let q1 = min(panels.panels, q0 + chunkPanels)
                if bLayout != .panels {
                    packPanels(b, bLayout: bLayout, panels: panels, q0..<q1, p0: p0, depth: depth, into: packed)
                }
                var g0 = 0
                while g0 < blocks {
                    let g1 = min(blocks, g0 + groupBlocks)
                    if !skipsZeros {
                        for p in 0..<depth { steps[p] = Int32(truncatingIfNeeded: p) }  // every step, for every block
                    } else {
                        for block in g0..<g1 {
                            counts[block - g0] = Int32(truncatingIfNeeded: listSteps(
                                a + 6 * block * rowStride + p0 * depthStride, rowStride: rowStride, depthStride: depthStride,
                                rows: min(6, m - 6 * block), depth: depth, into: steps + (block - g0) * depthStep))
                        }
                    }
                    let aBlock = a + 6 * g0 * rowStride + p0 * depthStride
                    let listStride = skipsZeros ? depthStep : 0, listCounts = skipsZeros ? UnsafePointer(counts) : nil
                    for q in q0..<q1 {
                        let j = panelWidth * q, columns = panels.width(q), width = min(columns, n - j)
                        let bPanel = bLayout == .panels ? b + panels.start(q) + p0 * columns
                                                        : UnsafePointer(packed + (q - q0) * depth * panelWidth)
                        // C's panel q with its rows `columns` apart, or C's columns j… with rows n apart.
                        let (cPanel, cRowStride) = cPanels ? (c + cLayout.start(q), columns) : (c + j, n)
                        if width == columns || cPanels {
                            rowBlocks(aBlock, rowStride: rowStride, depthStride: depthStride, bPanel, columns: columns,
                                      into: cPanel + 6 * g0 * cRowStride, n: cRowStride, blocks: g0..<g1, m: m,
                                      steps: steps, listStride: listStride, counts: listCounts, depth: depth, accumulates: p0 > 0,
                                      scale: scale, prefetch: &prefetch)
                            continue
                        }
                        // The last panel, padded with zeros after its columns, a block at a time through a
                        // tile of 6 rows × `columns` of which its columns go to C (C's values in first when
                        // this is a later depth block); every column is a sum of its own, so the padding
                        // changes none.
                        for block in g0..<g1 {
                            let r = 6 * block, rows = min(6, m - r), i = block - g0
                            if p0 > 0 {
                                for row in 0..<rows { (tile + columns * row).update(from: c + (r + row) * n + j, count: width) }
                            }
                            rowBlocks(aBlock + 6 * i * rowStride, rowStride: rowStride, depthStride: depthStride, bPanel,
                                      columns: columns, into: tile, n: columns, blocks: block..<(block + 1), m: m,
                                      steps: steps + i * listStride, listStride: listStride, counts: listCounts.map { $0 + i },
                                      depth: depth, accumulates: p0 > 0, scale: nil, prefetch: &prefetch)
                            for row in 0..<rows {
                                let to = c + (r + row) * n + j, from = tile + columns * row
                                if let scale { for t in 0..<width { to[t] -= scale * from[t] } } else { to.update(from: from, count: width) }
                            }
                        }
                    }
                    g0 = g1
                }
                q0 = q1
            }
            p0 += depth
        }
    }
    }
    }
}

/// Packs panels `range` of B (as `panels` cuts it: k × n) over depth steps p0..<p0+depth into `packed`,
/// panel q at (q − range.lowerBound)·depth·panelWidth, its rows `width(q)` floats apart (zeros after the
/// last panel's columns). B itself is read a row at a time, each row's pieces going to their panels, so
/// B streams through the cache in address order; Bᵀ is read 16 of its rows at a time (`packTransposed`),
/// stored row-major or in panels of its own (then a stored panel's piece of each row at a time).
@inline(__always)
private func packPanels(
    _ b: UnsafePointer<Float>, bLayout: BLayout, panels: PanelLayout, _ range: Range<Int>, p0: Int, depth: Int,
    into packed: UnsafeMutablePointer<Float>
) {
    let k = panels.rows, n = panels.columns
    switch bLayout {
    case .panels:
        preconditionFailure("packPanels: B stored in panels is read as it lies")
    case .transposed:
        for q in range {
            let j = panelWidth * q, columns = panels.width(q)
            let panel = packed + (q - range.lowerBound) * depth * panelWidth
            var t0 = 0
            while t0 < columns {
                packTransposed(b + (j + t0) * k + p0, k: k, depth: depth, width: min(16, n - j - t0), into: panel + t0, rowStride: columns)
                t0 += 16
            }
        }
    case .transposedPanels:
        // Steps p0… in pieces that each lie in one of Bᵀ's panels r (rows width(r) apart), each piece read
        // for every panel q of the range: so each stored panel streams in address order (q's 16-row
        // blocks follow each other). (Panel by panel of B instead, the reads jumped a stored panel
        // apart, 32 KB for a 512-wide layer, every 16 rows.)
        let stored = PanelLayout(rows: n, columns: k)
        var p = p0
        while p < p0 + depth {
            let r = p / panelWidth, end = min(p0 + depth, (r + 1) * panelWidth), rowStride = stored.width(r)
            let piece = b + stored.start(r) + (p - r * panelWidth)
            for q in range {
                let j = panelWidth * q, columns = panels.width(q)
                let panel = packed + (q - range.lowerBound) * depth * panelWidth + columns * (p - p0)
                var t0 = 0
                while t0 < columns {
                    packTransposed(piece + (j + t0) * rowStride, k: rowStride, depth: end - p, width: min(16, n - j - t0),
                                   into: panel + t0, rowStride: columns)
                    t0 += 16
                }
            }
            p = end
        }
    case .rows:
        let fullEnd = min(range.upperBound, panels.fullPanels)
        for p in 0..<depth {
            let row = b + (p0 + p) * n
            var to = packed + panelWidth * p
            for q in range.lowerBound..<fullEnd {
                let from = row + panelWidth * q
                store(load(Lanes.self, from), to); store(load(Lanes.self, from + Lanes.scalarCount), to + Lanes.scalarCount)
                to += depth * panelWidth
            }
            if fullEnd < range.upperBound {  // the last panel
                let j = panelWidth * fullEnd, width = n - j, columns = panels.lastWidth
                to = packed + (fullEnd - range.lowerBound) * depth * panelWidth + columns * p
                for t in 0..<columns { to[t] = t < width ? row[j + t] : 0 }
            }
        }
    }
}

/// to (columns × rows, row-major) = the transpose of `rows` × `columns` at `from` (rows rowStride apart),
/// 8 × 8 blocks at a time turned in registers (`transposeBlock`), the edges one value at a time.
private func transpose(_ from: UnsafePointer<Float>, rows: Int, columns: Int, rowStride: Int, into to: UnsafeMutablePointer<Float>) {
    let rows8 = rows - rows % 8, columns8 = columns - columns % 8
    for r in Swift.stride(from: 0, to: rows8, by: 8) {
        for c in Swift.stride(from: 0, to: columns8, by: 8) {
            transposeBlock(from + r * rowStride + c, rowStride: rowStride, into: to + c * rows + r, rowStrideOut: rows)
        }
        for c in columns8..<columns { for i in 0..<8 { to[c * rows + r + i] = from[(r + i) * rowStride + c] } }
    }
    for r in rows8..<rows { for c in 0..<columns { to[c * rows + r] = from[r * rowStride + c] } }
}

/// Panels packed per chunk: 32 × 16 KB = 512 KB, a thread's scratch.
private let chunkPanels = 32

/// A scratch of `capacity` floats per thread, allocated on the thread's first use and freed when the
/// thread ends (the key's destructor): too large for a worker thread's stack, and allocating it per
/// product would cost an allocation (and page faults) per product.
private struct ThreadScratch: Sendable {
    let capacity: Int
    private let key: pthread_key_t

    init(capacity: Int) {
        self.capacity = capacity
        var key = pthread_key_t()
        #if canImport(Darwin)
        pthread_key_create(&key) { $0.deallocate() }   // Darwin's destructor takes a non-optional pointer
        #else
        pthread_key_create(&key) { $0?.deallocate() }
        #endif
        self.key = key
    }

    /// This thread's scratch.
    func pointer() -> UnsafeMutablePointer<Float> {
        if let scratch = pthread_getspecific(key) { return scratch.assumingMemoryBound(to: Float.self) }
        let scratch = UnsafeMutablePointer<Float>.allocate(capacity: capacity)
        pthread_setspecific(key, scratch)
        return scratch
    }
}

/// Packed panels of B: chunkPanels × depthBlock × panelWidth floats (512 KB).
private let packedPanels = ThreadScratch(capacity: chunkPanels * depthBlock * panelWidth)

/// A turned row-major (`blockedProduct`): at most 2¹⁸ floats (1 MB), a 512-wide layer's xᵀ at batch 512;
/// a larger Aᵀ is read as stored.
private let turnedA = ThreadScratch(capacity: 1 << 18)

/// Sixteen columns of a panel packed from Bᵀ: to[rowStride·p + t] = B[p0 + p, j + t] = bt[t·k + p] for
/// the `width` columns (bt at Bᵀ's row j, column p0; Bᵀ's rows k floats apart), zeros after them up to 16. Eight steps at a time
/// are two 8 × 8 blocks of Bᵀ, each turned in registers (`transposeBlock`, MatMul.swift), so Bᵀ is read
/// along its rows; the last depth mod 8 steps and a narrow panel go one value at a time.
@inline(__always)
private func packTransposed(
    _ bt: UnsafePointer<Float>, k: Int, depth: Int, width: Int, into to: UnsafeMutablePointer<Float>, rowStride: Int
) {
    let depth8 = width >= 16 ? depth - depth % 8 : 0
    for p in Swift.stride(from: 0, to: depth8, by: 8) {
        transposeBlock(bt + p, rowStride: k, into: to + rowStride * p, rowStrideOut: rowStride)
        transposeBlock(bt + 8 * k + p, rowStride: k, into: to + rowStride * p + 8, rowStrideOut: rowStride)
    }
    for p in depth8..<depth {
        for t in 0..<16 { to[rowStride * p + t] = t < width ? bt[t * k + p] : 0 }
    }
}

/// Memory a product prefetches while it runs: the region handed to `blockedProduct`, a few cache lines
/// before each run of a block of rows over a panel (`advance`), as many as spread the whole region
/// evenly over the product's runs. Spread out, the requests overlap the product's arithmetic; asked for
/// all at once they stalled on the core's few outstanding misses (a prefetch of 512 lines before each
/// chunk of panels did not help: 0.98–1.00×).
private struct PrefetchCursor {
    private var next: UnsafeRawPointer?
    private let end: UnsafeRawPointer?
    private let linesPerRun: Int

    init(_ region: UnsafeRawBufferPointer?, runs: Int) {
        let bytes = region?.count ?? 0
        next = region?.baseAddress
        end = next.map { $0 + bytes }
        let lines = (bytes + 63) / 64
        linesPerRun = runs > 0 ? (lines + runs - 1) / runs : 0
    }

    /// Prefetches the next `linesPerRun` lines of the region, if any are left.
    @inline(__always)
    mutating func advance() {
        guard var line = next, let end else { return }
        var left = linesPerRun
        while left > 0 && line < end {
            bnlab_prefetch(line)
            line += 64
            left -= 1
        }
        next = line
    }
}

/// Lists the steps p in 0..<depth where one of `rows` rows of A (from a0) is nonzero, in order, and
/// returns how many. Each step writes its p and advances the count only where the rows' bits say
/// nonzero: no branch per step. (A branch per step in the product loop mispredicted on MNIST's strokes,
/// and again for every panel.) Out of line, so that its loops get registers of their own (inlined into
/// `panelProduct`, the six row pointers lived on the stack: the listing took 14% of a BN step).
/// A's rows along its stored rows (a batch of pixels in the forward: steps 1 apart) are read 8 steps
/// at a time, each row's eight values in one load; a block of six rows stored side by side (xᵀ in a
/// first layer's dWᵀ: the rows 1 apart) reads each step's six values as three 64-bit words.
@inline(never)
private func listSteps(
    _ a0: UnsafePointer<Float>, rowStride: Int, depthStride: Int, rows: Int, depth: Int,
    into steps: UnsafeMutablePointer<Int32>
) -> Int {
    let (a1, a2, a3, a4, a5) = blockRows(a0, rowStride: rowStride, rows: rows)
    var count = 0
    var p = 0
    if depthStride == 1 {
        typealias Bits = SIMD8<UInt32>
        @inline(__always) func lanes(_ row: UnsafePointer<Float>) -> Bits { UnsafeRawPointer(row + p).loadUnaligned(as: Bits.self) }
        while p + 8 <= depth {
            let any = (lanes(a0) | lanes(a1) | lanes(a2) | lanes(a3) | lanes(a4) | lanes(a5)) & 0x7FFF_FFFF
            // 1 where a lane is nonzero, else 0: its 31 bits plus 2³¹ − 1 carry into bit 31 exactly then.
            // The eight lanes written out: as a loop over `ones[lane]`, LLVM stored the six rows' vectors
            // and OR-ed them lane by lane from memory.
            let ones = (any &+ 0x7FFF_FFFF) &>> 31
            let q = Int32(truncatingIfNeeded: p)
            steps[count] = q; count &+= Int(ones[0])
            steps[count] = q &+ 1; count &+= Int(ones[1])
            steps[count] = q &+ 2; count &+= Int(ones[2])
            steps[count] = q &+ 3; count &+= Int(ones[3])
            steps[count] = q &+ 4; count &+= Int(ones[4])
            steps[count] = q &+ 5; count &+= Int(ones[5])
            steps[count] = q &+ 6; count &+= Int(ones[6])
            steps[count] = q &+ 7; count &+= Int(ones[7])
            p += 8
        }
    } else if rowStride == 1 && rows == 6 {
        // A step's six values are 24 contiguous bytes: three 64-bit words, each two floats' bits.
        var step = UnsafeRawPointer(a0)
        let stride = 4 &* depthStride
        while p < depth {
            let any = step.loadUnaligned(as: UInt64.self) | step.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                | step.loadUnaligned(fromByteOffset: 16, as: UInt64.self)
            steps[count] = Int32(truncatingIfNeeded: p)
            count &+= any & 0x7FFF_FFFF_7FFF_FFFF != 0 ? 1 : 0
            step += stride
            p += 1
        }
    }
    var offset = p &* depthStride
    while p < depth {
        let any = bits(a0, offset) | bits(a1, offset) | bits(a2, offset) | bits(a3, offset)
            | bits(a4, offset) | bits(a5, offset)
        steps[count] = Int32(truncatingIfNeeded: p)
        count &+= any & 0x7FFF_FFFF != 0 ? 1 : 0
        offset &+= depthStride
        p += 1
    }
    return count
}

/// The blocks of rows `blocks` over one panel of B, `columns` wide (panelWidth, or 16 for a last
/// panel): block i of the range starts at a + 6i·rowStride in A and at c + 6i·n in C, and has 6 of
/// the product's m rows, or the m mod 6 left. Block i runs over the counts[i] steps listed at
/// steps + i·listStride, or, without counts, over all `depth` steps listed at `steps`.
@inline(__always)
private func rowBlocks(
    _ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int, _ bPanel: UnsafePointer<Float>, columns: Int,
    into c: UnsafeMutablePointer<Float>, n: Int, blocks: Range<Int>, m: Int,
    steps: UnsafePointer<Int32>, listStride: Int, counts: UnsafePointer<Int32>?, depth: Int, accumulates: Bool,
    scale: Float?, prefetch: inout PrefetchCursor
) {
    if columns == panelWidth {
        rowBlocks(Lanes.self, a, rowStride: rowStride, depthStride: depthStride, bPanel, into: c, n: n, blocks: blocks,
                  m: m, steps: steps, listStride: listStride, counts: counts, depth: depth, accumulates: accumulates,
                  scale: scale, prefetch: &prefetch)
    } else {
        rowBlocks(SIMD8<Float>.self, a, rowStride: rowStride, depthStride: depthStride, bPanel, into: c, n: n, blocks: blocks,
                  m: m, steps: steps, listStride: listStride, counts: counts, depth: depth, accumulates: accumulates,
                  scale: scale, prefetch: &prefetch)
    }
}

/// `rowBlocks` on vectors of V, the panel 2·V.scalarCount columns wide. Out of line on purpose: inlined
/// into the loops of `panelProduct`, the compiler unrolled the step loop and kept accumulators on the
/// stack (the 64 × 512 net trained at 0.6× speed); alone, its step loops keep all twelve in registers
/// (checked in the disassembly).
@inline(never)
private func rowBlocks<V: SIMD>(
    _: V.Type, _ a: UnsafePointer<Float>, rowStride: Int, depthStride: Int, _ bPanel: UnsafePointer<Float>,
    into c: UnsafeMutablePointer<Float>, n: Int, blocks: Range<Int>, m: Int,
    steps: UnsafePointer<Int32>, listStride: Int, counts: UnsafePointer<Int32>?, depth: Int, accumulates: Bool,
    scale: Float?, prefetch: inout PrefetchCursor
) where V.Scalar == Float {
    for block in blocks {
        prefetch.advance()
        let i = block - blocks.lowerBound
        let list = steps + i * listStride, count = counts.map { Int($0[i]) } ?? depth
        let a0 = a + 6 * i * rowStride, c0 = c + 6 * i * n
        sixRowBlock(V.self, a0, rowStride: rowStride, depthStride: depthStride, bPanel, into: c0, n: n,
                    rows: min(6, m - 6 * block), steps: list, count: count, accumulates: accumulates, scale: scale)
    }
}

/// Six rows × 2·V.scalarCount columns of C (rows n floats apart from cRow) over the `count` steps p
/// listed at `steps`: B's row p at bPanel + 2·V.scalarCount·p, A's six values at a0 + p·depthStride,
/// a0 + rowStride + …. Starts from the values in C when `accumulates` (a later depth block), else from 0.
/// Stores the sums, or with `scale` s steps C by them: c ← c − s·sum.
/// The list is walked by pointer and B's stride is a constant: with the frame pointer SwiftPM reserves,
/// one more live register here made the compiler keep accumulators on the stack.
/// With fewer `rows` (the last block of a product), the rows past them read the last row's A again
/// (`blockRows`) and are neither loaded from C nor stored: one loop for every block (a copy for 4 rows
/// was 40 lines of the same steps, and the last 1–3 rows took an axpy loop of their own).
@inline(__always)
private func sixRowBlock<V: SIMD>(
    _: V.Type, _ a0: UnsafePointer<Float>, rowStride: Int, depthStride: Int, _ bPanel: UnsafePointer<Float>,
    into cRow: UnsafeMutablePointer<Float>, n: Int, rows: Int, steps: UnsafePointer<Int32>, count: Int, accumulates: Bool,
    scale: Float?
) where V.Scalar == Float {
    let w = V.scalarCount  // the second vector of a row starts w columns in
    let (a1, a2, a3, a4, a5) = blockRows(a0, rowStride: rowStride, rows: rows)
    let c1 = cRow + n, c2 = c1 + n, c3 = c2 + n, c4 = c3 + n, c5 = c4 + n
    var c00 = V(), c01 = V(), c10 = V(), c11 = V(), c20 = V(), c21 = V()
    var c30 = V(), c31 = V(), c40 = V(), c41 = V(), c50 = V(), c51 = V()
    if accumulates {
        c00 = load(V.self, cRow); c01 = load(V.self, cRow + w)
        if rows > 1 { c10 = load(V.self, c1); c11 = load(V.self, c1 + w) }
        if rows > 2 { c20 = load(V.self, c2); c21 = load(V.self, c2 + w) }
        if rows > 3 { c30 = load(V.self, c3); c31 = load(V.self, c3 + w) }
        if rows > 4 { c40 = load(V.self, c4); c41 = load(V.self, c4 + w) }
        if rows > 5 { c50 = load(V.self, c5); c51 = load(V.self, c5 + w) }
    }
    var step = steps
    let end = steps + count
    while step != end {
        let p = Int(step.pointee)
        step += 1
        let offset = p &* depthStride, bRow = bPanel + p &* (2 * w)
        let b0 = load(V.self, bRow), b1 = load(V.self, bRow + w)
        var x = V(repeating: a0[offset])
        c00 = fusedMultiplyAdd(c00, x, b0); c01 = fusedMultiplyAdd(c01, x, b1)
        x = V(repeating: a1[offset])
        c10 = fusedMultiplyAdd(c10, x, b0); c11 = fusedMultiplyAdd(c11, x, b1)
        x = V(repeating: a2[offset])
        c20 = fusedMultiplyAdd(c20, x, b0); c21 = fusedMultiplyAdd(c21, x, b1)
        x = V(repeating: a3[offset])
        c30 = fusedMultiplyAdd(c30, x, b0); c31 = fusedMultiplyAdd(c31, x, b1)
        x = V(repeating: a4[offset])
        c40 = fusedMultiplyAdd(c40, x, b0); c41 = fusedMultiplyAdd(c41, x, b1)
        x = V(repeating: a5[offset])
        c50 = fusedMultiplyAdd(c50, x, b0); c51 = fusedMultiplyAdd(c51, x, b1)
    }
    @inline(__always) func put(_ sum: V, _ to: UnsafeMutablePointer<Float>) {
        if let scale { store(load(V.self, to) - V(repeating: scale) * sum, to) } else { store(sum, to) }
    }
    put(c00, cRow); put(c01, cRow + w)
    if rows > 1 { put(c10, c1); put(c11, c1 + w) }
    if rows > 2 { put(c20, c2); put(c21, c2 + w) }
    if rows > 3 { put(c30, c3); put(c31, c3 + w) }
    if rows > 4 { put(c40, c4); put(c41, c4 + w) }
    if rows > 5 { put(c50, c5); put(c51, c5 + w) }
}

/// Rows 1–5 of a block of A whose row 0 is at a0: row i at a0 + i·rowStride while i < rows, the last
/// row again after that (read, never stored).
@inline(__always)
private func blockRows(_ a0: UnsafePointer<Float>, rowStride: Int, rows: Int)
    -> (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>) {
    let a1 = rows > 1 ? a0 + rowStride : a0, a2 = rows > 2 ? a1 + rowStride : a1
    let a3 = rows > 3 ? a2 + rowStride : a2, a4 = rows > 4 ? a3 + rowStride : a3
    return (a1, a2, a3, a4, rows > 5 ? a4 + rowStride : a4)
}

/// The bits of A's value at `offset` from `p`, sign cleared by the caller.
@inline(__always)
private func bits(_ p: UnsafePointer<Float>, _ offset: Int) -> UInt32 {
    UnsafeRawPointer(p).loadUnaligned(fromByteOffset: offset &* 4, as: UInt32.self)
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
