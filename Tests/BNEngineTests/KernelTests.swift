import Testing
@testable import BNEngine

/// The fast matrix kernels against the plain triple loop.
@Suite struct KernelTests {
    static func random(_ count: Int, _ rng: inout SplitMix64, zeros: Bool = false) -> [Float] {
        (0..<count).map { _ in zeros && rng.index(below: 3) == 0 ? 0 : rng.normal() }
    }

    static func transpose(_ a: [Float], rows: Int, columns: Int) -> [Float] {
        (0..<(rows * columns)).map { i in a[(i % rows) * columns + i / rows] }
    }

    static func expectClose(_ a: [Float], _ b: [Float]) {
        #expect(a.count == b.count)
        let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
        #expect(worst < 1e-5, "worst relative error \(worst)")
    }

    /// The three kinds of A the kernel treats apart: dense with zeros (some in whole columns, some in
    /// the first 4 rows of each 6 only: the step must still run for rows 5 and 6), mostly zero (listed
    /// steps), and without a zero (the plain loop; its Aᵀ turned row-major when large).
    static let kindsOfA = [(mostlyZero: false, noZero: false), (true, false), (false, true)]

    /// An m × k A of one of `kindsOfA`.
    static func kernelA(m: Int, k: Int, mostlyZero: Bool, noZero: Bool, _ rng: inout SplitMix64) -> [Float] {
        var a = (0..<(m * k)).map { _ in (mostlyZero ? rng.index(below: 5) != 0 : rng.index(below: 9) == 0) ? 0 : rng.normal() }
        if noZero { a = a.map { $0 == 0 ? 0.5 : $0 } }   // a sigmoid's output: the plain loop, Aᵀ turned
        if !mostlyZero && !noZero {
            for r in 0..<m { for p in 0..<k where p % 5 == 2 || (p % 7 == 3 && r % 6 < 4) { a[r * k + p] = 0 } }
        }
        return a
    }

    @Test(arguments: [(1, 1, 1), (3, 5, 2), (60, 784, 100), (7, 13, 33), (9, 17, 29), (4, 100, 10), (8, 60, 100)])
    func everyKernelMatchesTheReference(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        var rng = SplitMix64(seed: UInt64(m * 1000 + k))
        let a = Self.random(m * k, &rng, zeros: true), b = Self.random(k * n, &rng)
        let expected = referenceMultiply(a, b, m: m, k: k, n: n)
        Self.expectClose(MatMul.multiply(a, b, m: m, k: k, n: n), expected)
        Self.expectClose(MatMul.multiplyTransposedA(Self.transpose(a, rows: m, columns: k), b, m: m, k: k, n: n), expected)
        // Dense's dx = dz·W reads W from the stored Wᵀ.
        Self.expectClose(MatMul.multiplyTransposedB(a, Self.transpose(b, rows: k, columns: n), m: m, k: k, n: n), expected)
    }

    /// Every edge of the blocking (m mod 6 and the block of 4 rows after the blocks of 6, the narrow
    /// panel of n mod 16 columns, k = 1), on the dense path and on the mostly-zero path, for A and Aᵀ: bit
    /// for bit the reference, since each element fuses its k products in p order from 0 (the property
    /// that keeps the native and portable builds identical). n a multiple of 64 with k ≥ 16 packs B's
    /// panels: (4, 15, 64) just misses, (4, 16, 64) just packs, and k = 257, 600 split the depth into 2
    /// and 3 blocks of at most 256; (13, 300, 20) carries the narrow panel across depth blocks. With a
    /// zero in A the blocks of rows list their steps in groups of 16 blocks per depth block of 256:
    /// (100, 300, 20) and (103, 260, 17) take two groups, the second ending in the block of 4 (and, for
    /// 103, one row for the axpy loop). The dense A has whole zero columns (every row's step skipped)
    /// and columns zero in the first 4 rows of each 6 only (the step must still run for rows 5 and 6).
    /// An A without zeros (the third pass) takes the plain loop; its Aᵀ is turned row-major first (8 × 8
    /// blocks, then the edges: k and m mod 8) when A has more than 8,192 values and at most 2¹⁸:
    /// (16, 600, 20) in whole 8 × 8 blocks, (101, 90, 20) with both edges, (512, 60, 64) a hidden layer's
    /// dWᵀ, (600, 260, 17) over two depth blocks; (520, 510, 17) has too many values. Elsewhere, and for
    /// an A with zeros, Aᵀ is read as stored.
    @Test(arguments: [(4, 3, 16), (5, 7, 17), (6, 9, 18), (7, 2, 19), (4, 1, 20), (9, 11, 23), (12, 5, 31),
                      (13, 4, 33), (3, 8, 10), (8, 16, 46), (60, 100, 10), (17, 6, 1), (2, 3, 3), (61, 40, 100),
                      (4, 15, 64), (4, 16, 64), (13, 257, 128), (8, 600, 64), (6, 256, 192),
                      (10, 20, 48), (11, 33, 64), (16, 300, 64), (512, 60, 64),
                      (13, 300, 20), (100, 300, 20), (103, 260, 17), (520, 510, 17),
                      (16, 600, 20), (101, 90, 20), (600, 260, 17)])
    func edgesAreBitIdenticalToTheReference(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        for (mostlyZero, noZero) in Self.kindsOfA {
            var rng = SplitMix64(seed: UInt64(m * 7919 + k * 31 + n))
            let a = Self.kernelA(m: m, k: k, mostlyZero: mostlyZero, noZero: noZero, &rng)
            let b = Self.random(k * n, &rng)
            let expected = referenceMultiply(a, b, m: m, k: k, n: n).map(\.bitPattern)
            #expect(MatMul.multiply(a, b, m: m, k: k, n: n).map(\.bitPattern) == expected, "\(shape) mostly zero: \(mostlyZero), no zero: \(noZero)")
            let aT = Self.transpose(a, rows: m, columns: k)
            #expect(MatMul.multiplyTransposedA(aT, b, m: m, k: k, n: n).map(\.bitPattern) == expected, "\(shape)ᵀ mostly zero: \(mostlyZero), no zero: \(noZero)")
            let bT = Self.transpose(b, rows: k, columns: n)
            #expect(MatMul.multiplyTransposedB(a, bT, m: m, k: k, n: n).map(\.bitPattern) == expected, "\(shape), Bᵀ mostly zero: \(mostlyZero), no zero: \(noZero)")
            // As a dense layer runs them: W (B, or Bᵀ for dx) and dWᵀ (C of Aᵀ·B) stored in panels.
            #expect(MatMul.multiply(a, b, inPanels: true, m: m, k: k, n: n).map(\.bitPattern) == expected, "\(shape), B in panels")
            #expect(MatMul.multiplyTransposedA(aT, b, inPanels: true, m: m, k: k, n: n).map(\.bitPattern) == expected, "\(shape)ᵀ, C in panels")
            #expect(MatMul.multiplyTransposedB(a, bT, inPanels: true, m: m, k: k, n: n).map(\.bitPattern) == expected, "\(shape), Bᵀ in panels")
        }
    }

    /// The product that steps C (plain SGD's update inside dWᵀ = xᵀ·dz, Dense.backward) leaves
    /// c − s·g in every value, g the reference's sum bit for bit, rounded as `Optimizer.update` rounds
    /// p − lr·g: a multiply, then a subtraction. On the three kinds of A (sparse lists, dense, dense Aᵀ
    /// turned row-major: (512, 60, 64), (101, 90, 20)), full panels and the narrow one through the tile,
    /// k up to the one depth block it allows (256 on AVX2: (6, 256, 192); 128 on AVX-512, where the
    /// deeper shapes are skipped). Negative control: the same step fused (one rounding) differs.
    @Test(arguments: [(4, 3, 16), (5, 7, 17), (9, 11, 23), (13, 4, 33), (60, 100, 10), (61, 40, 100),
                      (6, 256, 192), (512, 60, 64), (101, 90, 20), (16, 100, 64)])
    func aSteppedProductSubtractsTheScaledReference(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        guard k <= fusedStepDepth else { return }
        var fusedDiffers = false
        for (mostlyZero, noZero) in Self.kindsOfA {
            var rng = SplitMix64(seed: UInt64(m * 7919 + k * 31 + n))
            let a = Self.kernelA(m: m, k: k, mostlyZero: mostlyZero, noZero: noZero, &rng)
            let b = Self.random(k * n, &rng), c = Self.random(m * n, &rng)
            let scale: Float = 0.1
            let g = referenceMultiply(a, b, m: m, k: k, n: n)
            let expected = zip(c, g).map { c, g in (c - scale * g).bitPattern }
            var stepped = c
            let aT = Self.transpose(a, rows: m, columns: k)
            aT.withUnsafeBufferPointer { at in b.withUnsafeBufferPointer { bp in stepped.withUnsafeMutableBufferPointer { cp in
                multiplyTransposedA(at.baseAddress!, bp.baseAddress!, into: cp.baseAddress!, m: m, k: k, n: n, subtractingScaled: scale)
            } } }
            let wrong = zip(stepped, expected).filter { $0.bitPattern != $1 }.count
            #expect(wrong == 0, "\(shape) mostly zero: \(mostlyZero), no zero: \(noZero): \(wrong) of \(m * n) values differ")
            // The same step on a C stored in panels (a dense layer's Wᵀ): the same values, the padding still 0.
            let layout = PanelLayout(rows: m, columns: n)
            var panels = [Float](repeating: .nan, count: layout.count)
            panels.withUnsafeMutableBufferPointer { layout.store(c, into: $0.baseAddress!) }
            aT.withUnsafeBufferPointer { at in b.withUnsafeBufferPointer { bp in panels.withUnsafeMutableBufferPointer { cp in
                multiplyTransposedA(at.baseAddress!, bp.baseAddress!, into: cp.baseAddress!, cInPanels: true, m: m, k: k, n: n,
                                    subtractingScaled: scale)
            } } }
            let inPanels = panels.withUnsafeBufferPointer { layout.rowMajor($0.baseAddress!) }
            #expect(inPanels.map(\.bitPattern) == expected, "\(shape) in panels, mostly zero: \(mostlyZero), no zero: \(noZero)")
            #expect(panels.filter { $0 != 0 }.count == inPanels.filter { $0 != 0 }.count, "\(shape): padding moved off 0")
            fusedDiffers = fusedDiffers || zip(c, g).map { c, g in c.addingProduct(-scale, g).bitPattern } != expected
        }
        #expect(fusedDiffers || m * n < 100, "\(shape): the negative control found no rounding difference")
    }

    /// The panel layout puts every element of a rows × columns matrix at its own offset below `count`,
    /// panel by panel in the kernel's order (row p of a panel right after row p − 1), and leaves
    /// count − rows·columns offsets for the last panel's padding, which `store` zeroes; `rowMajor` reads
    /// back what `store` wrote. Columns 1…100 cover no panel, whole panels, and last panels of 16 and (on
    /// AVX-512) 32 columns.
    @Test func aPanelLayoutPlacesEveryElementOnce() {
        var rng = SplitMix64(seed: 11)
        for columns in 1...100 {
            let rows = 1 + rng.index(below: 9)
            let layout = PanelLayout(rows: rows, columns: columns)
            #expect(layout.count == rows * layout.storedColumns && layout.storedColumns >= columns
                    && layout.storedColumns < columns + KernelShape.panelColumns && layout.storedColumns % 16 == 0)
            var seen = [Int](repeating: 0, count: layout.count)
            layout.forEachOffset { seen[$0] += 1 }
            #expect(seen.filter { $0 == 1 }.count == rows * columns && seen.allSatisfy { $0 <= 1 }, "\(rows) × \(columns)")
            // Within a panel, consecutive columns of a row are adjacent, and a row follows the row above.
            for j in 0..<columns where (j + 1) % KernelShape.panelColumns != 0 && j + 1 < columns {
                #expect(layout.offset(row: rows - 1, column: j + 1) == layout.offset(row: rows - 1, column: j) + 1)
            }
            #expect(layout.offset(row: rows - 1, column: 0) == (rows - 1) * min(layout.storedColumns, KernelShape.panelColumns))
            let values = Self.random(rows * columns, &rng)
            var stored = [Float](repeating: .nan, count: layout.count)
            stored.withUnsafeMutableBufferPointer { layout.store(values, into: $0.baseAddress!) }
            #expect(stored.filter { $0.isNaN }.isEmpty && stored.filter { $0 == 0 }.count >= layout.count - rows * columns)
            #expect(stored.withUnsafeBufferPointer { layout.rowMajor($0.baseAddress!) } == values)
        }
    }

    /// A Float from raw bits: every sign, exponent (subnormals, ±∞ and NaN included) and significand.
    static func anyFloat(_ rng: inout SplitMix64) -> Float { Float(bitPattern: UInt32(truncatingIfNeeded: rng.next())) }

    /// A Float of ordinary size, 2^-30…2^30 in magnitude, either sign.
    static func ordinaryFloat(_ rng: inout SplitMix64) -> Float {
        Float(sign: rng.index(below: 2) == 0 ? .plus : .minus, exponent: rng.index(below: 61) - 30,
              significand: 1 + rng.nextUnitFloat())
    }

    static func sameBits(_ x: Float, _ y: Float) -> Bool { x.isNaN ? y.isNaN : x.bitPattern == y.bitPattern }

    /// The portable build's fused multiply-add against the instruction (`addingProduct`: the FMA
    /// instruction in native builds, the C library's fmaf in portable ones), bit for bit: raw bit
    /// patterns, ordinary values, products that cancel c, subnormal results, and sums that land on a
    /// midpoint between two floats in double when the exact sum lies off it (double rounding).
    @Test func portableFusedMultiplyAddIsCorrectlyRounded() {
        var rng = SplitMix64(seed: 2026)
        var triples: [(Float, Float, Float)] = []
        for _ in 0..<100_000 { triples.append((Self.anyFloat(&rng), Self.anyFloat(&rng), Self.anyFloat(&rng))) }
        for _ in 0..<100_000 { triples.append((Self.ordinaryFloat(&rng), Self.ordinaryFloat(&rng), Self.ordinaryFloat(&rng))) }
        for _ in 0..<20_000 {  // c ≈ −a·b: the sum keeps only the product's low bits
            let a = Self.ordinaryFloat(&rng), b = Self.ordinaryFloat(&rng)
            triples.append((-(a * b).nextUp, a, b))
        }
        for _ in 0..<20_000 {  // results under 2^-126
            let a = Float(sign: .plus, exponent: -70 - rng.index(below: 10), significand: 1 + rng.nextUnitFloat())
            let b = Float(sign: .minus, exponent: -60, significand: 1 + rng.nextUnitFloat())
            triples.append((Float(sign: .plus, exponent: -128, significand: 1 + rng.nextUnitFloat()), a, b))
        }
        // c = (1 + 2^-23)·2^e, a·b = 2^-24(1 − 2^-46)·2^e: the exact sum lies just under the midpoint
        // c + 2^-24·2^e, so the correct float is c; double rounds the sum onto the midpoint, and Float()
        // then rounds to even, away from c.
        var doubleRoundingCases = 0, crafted: [(Float, Float, Float)] = []
        for e in -100...100 {
            let scale = Float(sign: .plus, exponent: e, significand: 1)
            let c: Float = (1 + 0x1p-23) * scale
            let a: Float = 0x1p-12 * (1 + 0x1p-23) * scale, b: Float = 0x1p-12 * (1 - 0x1p-23)
            if Float(Double(a) * Double(b) + Double(c)) != c.addingProduct(a, b) { doubleRoundingCases += 1 }
            crafted.append((c, a, b)); crafted.append((-c, -a, b))
        }
        #expect(doubleRoundingCases == 201, "a plain double sum must get these wrong, or they test nothing")
        // The same under float's normal range, where the float that Float() rounds to drops more than 29
        // bits, so only the test for a tiny value catches it: c = k·2^-149 (k odd, a subnormal float),
        // a·b = 2^-150(1 − 2^-46), just under the midpoint c + 2^-150, onto which double rounds once
        // c is large enough (k > 2^6); ties-to-even then leaves c for k + 1.
        var subnormalCases = 0
        for k in [65, 1025, 99_999, (1 << 21) + 1, (1 << 22) + 1, (1 << 23) - 1] {
            let c = Float(k) * 0x1p-149
            let a: Float = (1 + 0x1p-23) * 0x1p-75, b: Float = (1 - 0x1p-23) * 0x1p-75
            if Float(Double(a) * Double(b) + Double(c)) != c.addingProduct(a, b) { subnormalCases += 1 }
            crafted.append((c, a, b)); crafted.append((-c, a, -b))
        }
        #expect(subnormalCases == 6, "a plain double sum must get these wrong, or they test nothing")
        triples += crafted
        var wrong = 0, wrongLanes = 0
        for (c, a, b) in triples where !Self.sameBits(portableFusedMultiplyAdd(c, a, b), c.addingProduct(a, b)) { wrong += 1 }
        for start in stride(from: 0, to: triples.count, by: 8).map({ min($0, triples.count - 8) }) {  // every triple
            var c = SIMD8<Float>(), a = SIMD8<Float>(), b = SIMD8<Float>()
            for i in 0..<8 { (c[i], a[i], b[i]) = triples[start + i] }
            let lanes = portableFusedMultiplyAdd(c, a, b)
            for i in 0..<8 where !Self.sameBits(lanes[i], c[i].addingProduct(a[i], b[i])) { wrongLanes += 1 }
        }
        // Each crafted case in every lane: beside other lanes, one caught lane sends the whole vector down
        // the exact path and would hide a lane the vector test missed.
        for (c, a, b) in crafted {
            let lanes = portableFusedMultiplyAdd(SIMD8(repeating: c), SIMD8(repeating: a), SIMD8(repeating: b))
            for i in 0..<8 where !Self.sameBits(lanes[i], c.addingProduct(a, b)) { wrongLanes += 1 }
        }
        #expect(wrong == 0 && wrongLanes == 0, "\(wrong) scalar and \(wrongLanes) vector results differ of \(triples.count)")
    }

    /// The 8 × 8 block transpose that packs B's panels from Bᵀ, against the index formula, between
    /// buffers with row strides of its uses (16 and 32 floats in a panel; k = 60, 100, 512 in Bᵀ), and
    /// writing nothing outside its block (a sentinel fills the rest of the destination).
    @Test(arguments: [(8, 8), (512, 16), (60, 32), (100, 16), (13, 11)])
    func blockTransposeMovesEveryValueToItsPlace(strides: (Int, Int)) {
        let (from, to) = strides
        let source = (0..<(8 * from)).map(Float.init)
        var destination = [Float](repeating: -1, count: 8 * to + 8)
        source.withUnsafeBufferPointer { a in
            destination.withUnsafeMutableBufferPointer { b in
                transposeBlock(a.baseAddress!, rowStride: from, into: b.baseAddress!, rowStrideOut: to)
            }
        }
        for (index, value) in destination.enumerated() {
            let (row, column) = (index / to, index % to)
            let expected: Float = row < 8 && column < 8 ? source[column * from + row] : -1
            #expect(value == expected, "destination[\(index)] (row \(row), column \(column))")
        }
    }
}
