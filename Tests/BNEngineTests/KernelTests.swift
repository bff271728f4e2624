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
}
