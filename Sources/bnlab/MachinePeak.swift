// The machine's own fp32 peak on one core, measured: the yardstick `bnlab bench` holds the training step to.
//
// Twelve independent vector accumulators, each updated by a fused multiply-add per iteration, with the
// operands in registers: no loads, no stores, no dependence longer than one FMA's latency per chain, so
// the loop runs at the core's FMA issue rate. Flops counted: 2 per lane per FMA. In a portable build
// (BNLAB_PORTABLE=1, no FMA in the target) `addingProduct` would become a libm call per lane, so there
// the loop is a multiply and an add, which the engine's kernels use anyway.

import Dispatch

/// Where the peak loop's result goes, so that the loop runs between the two clock readings.
nonisolated(unsafe) private var peakSink: Float = 0

enum MachinePeak {
    /// Median GFLOP/s over `rounds` timed runs of `iterations` loop trips (12 × 8 lanes × 2 flops each).
    static func fp32GFLOPS(iterations: Int = 20_000_000, rounds: Int = 5) -> Double {
        var rates = [Double]()
        // Runtime operands, so nothing folds at compile time; a ← a + a·y and a ← a·x + y stay finite.
        let x = SIMD8<Float>(repeating: Float(rounds) * 1e-9 + 0.999_999), y = SIMD8<Float>(repeating: 1e-7)
        for _ in 0..<max(1, rounds) {
            let start = DispatchTime.now().uptimeNanoseconds
            // `loop` has no side effects, so the optimizer may move it anywhere: out of the rounds loop
            // and away from the clock readings (the portable build reported a loop of 0.04 µs, that is
            // 9,600,000 GFLOP/s). An operand that depends on the first reading keeps it after that
            // one; its result stored to a global keeps it before the second.
            let nudge = SIMD8<Float>(repeating: Float(start & 1) * 1e-30)
            peakSink += loop(x, y + nudge, iterations: iterations)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            rates.append(Double(iterations) * 12 * 8 * 2 / seconds / 1e9)
        }
        return rates.sorted()[rates.count / 2]
    }

    @inline(never)
    private static func loop(_ x: SIMD8<Float>, _ y: SIMD8<Float>, iterations: Int) -> Float {
        var a0 = y, a1 = y + 1, a2 = y + 2, a3 = y + 3, a4 = y + 4, a5 = y + 5
        var a6 = y + 6, a7 = y + 7, a8 = y + 8, a9 = y + 9, a10 = y + 10, a11 = y + 11
        for _ in 0..<iterations {
            #if BNLAB_NATIVE
            a0 = a0.addingProduct(a0, y); a1 = a1.addingProduct(a1, y); a2 = a2.addingProduct(a2, y)
            a3 = a3.addingProduct(a3, y); a4 = a4.addingProduct(a4, y); a5 = a5.addingProduct(a5, y)
            a6 = a6.addingProduct(a6, y); a7 = a7.addingProduct(a7, y); a8 = a8.addingProduct(a8, y)
            a9 = a9.addingProduct(a9, y); a10 = a10.addingProduct(a10, y); a11 = a11.addingProduct(a11, y)
            #else
            a0 = a0 * x + y; a1 = a1 * x + y; a2 = a2 * x + y; a3 = a3 * x + y; a4 = a4 * x + y; a5 = a5 * x + y
            a6 = a6 * x + y; a7 = a7 * x + y; a8 = a8 * x + y; a9 = a9 * x + y; a10 = a10 * x + y; a11 = a11 * x + y
            #endif
        }
        let sum = ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7)) + ((a8 + a9) + (a10 + a11))
        return sum.sum()
    }
}
