// `bnlab bench`'s kernel comparison: the engine's blocked product against the plain axpy loop.

import BNEngine
import Dispatch

enum KernelComparison {
    /// Times the blocked `MatMul.multiply` and `axpyMultiply` on C (m × n) = A·B for the given A, in
    /// interleaved rounds; returns each one's median GFLOP/s (2·m·k·n flops per product, zeros included).
    static func compare(a: [Float], m: Int, k: Int, n: Int, rounds: Int = 7, repeats: Int = 200) -> (blocked: Double, axpy: Double) {
        var rng = SplitMix64(seed: 1)
        let ta = Tensor(rows: m, columns: k, values: a)
        let tb = Tensor(rows: k, columns: n, values: (0..<(k * n)).map { _ in rng.normal() })
        let tc = Tensor(rows: m, columns: n)
        let flops = 2.0 * Double(m * k * n) * Double(repeats)
        func time(_ body: () -> Void) -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<repeats { body() }
            return flops / Double(DispatchTime.now().uptimeNanoseconds - start)
        }
        var blocked = [Double](), axpy = [Double]()
        for _ in 0..<rounds {
            blocked.append(time { MatMul.multiply(ta, tb, into: tc, m: m, k: k, n: n) })
            axpy.append(time { axpyMultiply(ta.pointer, tb.pointer, into: tc.pointer, m: m, k: k, n: n) })
        }
        return (blocked.sorted()[rounds / 2], axpy.sorted()[rounds / 2])
    }
}
