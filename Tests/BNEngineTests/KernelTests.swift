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

    @Test(arguments: [(1, 1, 1), (3, 5, 2), (60, 784, 100), (7, 13, 33), (9, 17, 29), (4, 100, 10), (8, 60, 100)])
    func everyKernelMatchesTheReference(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        var rng = SplitMix64(seed: UInt64(m * 1000 + k))
        let a = Self.random(m * k, &rng, zeros: true), b = Self.random(k * n, &rng)
        let expected = referenceMultiply(a, b, m: m, k: k, n: n)
        Self.expectClose(MatMul.multiply(a, b, m: m, k: k, n: n), expected)
        // Dense's dx = dz·W: W is kept transposed, so the tiled transpose must give it back exactly.
        #expect(MatMul.transpose(Self.transpose(b, rows: k, columns: n), rows: n, columns: k) == b)
        Self.expectClose(MatMul.multiplyTransposedA(Self.transpose(a, rows: m, columns: k), b, m: m, k: k, n: n), expected)
    }

    /// Every edge of the blocking (m mod 4, n mod 16 and n mod 4 columns, k = 1), on the dense path and
    /// on the mostly-zero path, for A and Aᵀ: bit for bit the reference, since each element sums its k
    /// products in p order from 0 (the property that keeps the native and portable builds identical).
    /// n a multiple of 64 with k ≥ 16 packs B's panels: (4, 15, 64) just misses, (4, 16, 64) just packs,
    /// and k = 257, 600 split the depth into 2 and 3 blocks of at most 256.
    @Test(arguments: [(4, 3, 16), (5, 7, 17), (6, 9, 18), (7, 2, 19), (4, 1, 20), (9, 11, 23), (12, 5, 31),
                      (13, 4, 33), (3, 8, 10), (8, 16, 46), (60, 100, 10), (17, 6, 1), (2, 3, 3), (61, 40, 100),
                      (4, 15, 64), (4, 16, 64), (13, 257, 128), (8, 600, 64), (6, 256, 192)])
    func edgesAreBitIdenticalToTheReference(shape: (Int, Int, Int)) {
        let (m, k, n) = shape
        for mostlyZero in [false, true] {
            var rng = SplitMix64(seed: UInt64(m * 7919 + k * 31 + n))
            let a = (0..<(m * k)).map { _ in (mostlyZero ? rng.index(below: 5) != 0 : rng.index(below: 9) == 0) ? 0 : rng.normal() }
            let b = Self.random(k * n, &rng)
            let expected = referenceMultiply(a, b, m: m, k: k, n: n).map(\.bitPattern)
            #expect(MatMul.multiply(a, b, m: m, k: k, n: n).map(\.bitPattern) == expected, "\(shape) mostly zero: \(mostlyZero)")
            let aT = Self.transpose(a, rows: m, columns: k)
            #expect(MatMul.multiplyTransposedA(aT, b, m: m, k: k, n: n).map(\.bitPattern) == expected, "\(shape)ᵀ mostly zero: \(mostlyZero)")
        }
    }
}
