// The machine's own fp32 peak on one core, measured: the yardstick `bnlab bench` holds the training step to;
// how that loop scales from one core to all of them; and the loop as a busy neighbour, to time what a
// busy core next door costs a computation: the yardsticks for running seeds side by side.
//
// Twelve independent vector accumulators, each updated by a fused multiply-add per iteration, with the
// operands in registers: no loads, no stores, no dependence longer than one FMA's latency per chain, so
// the loop runs at the core's FMA issue rate. Flops counted: 2 per lane per FMA. The loop runs on 8-lane
// vectors and, where the engine's kernel uses 16 (an AVX-512 build), on 16-lane ones too, and the peak is
// the faster: a core with 512-bit FMA units (Zen 5) does twice the flops per instruction, one that splits
// them in two (Zen 4) the same, and a peak measured at half the kernel's width would sit below what the
// kernel itself achieves (seen on Zen 5: 114 GFLOP/s "peak" beside a product at 174). In a portable build
// (BNLAB_PORTABLE=1, no FMA in the target) `addingProduct` would become a libm call per lane, so there
// the loop is a multiply and an add, which the engine's kernels use anyway.

import BNEngine
import BNLessons
import Dispatch

/// Where the peak loop's result goes, so that the loop runs between the two clock readings.
nonisolated(unsafe) private var peakSink: Float = 0

enum MachinePeak {
    /// Median GFLOP/s over `rounds` timed runs of `iterations` loop trips (12 FMAs × lanes × 2 flops each), on
    /// the widest vectors the engine's kernel uses and on 8-lane ones: the larger of the two.
    static func fp32GFLOPS(iterations: Int = 20_000_000, rounds: Int = 5) -> Double {
        let eight = fp32GFLOPS(SIMD8<Float>.self, iterations: iterations, rounds: rounds)
        guard KernelShape.lanes == 16 else { return eight }
        // Half the trips: each does twice the work, so the two loops take about as long.
        return max(eight, fp32GFLOPS(SIMD16<Float>.self, iterations: iterations / 2, rounds: rounds))
    }

    /// Median GFLOP/s of the loop on `V`-wide vectors.
    static func fp32GFLOPS<V: SIMD>(_: V.Type, iterations: Int, rounds: Int) -> Double where V.Scalar == Float {
        var rates = [Double]()
        // Runtime operands, so nothing folds at compile time; a ← a + a·y and a ← a·x + y stay finite.
        let x = V(repeating: Float(rounds) * 1e-9 + 0.999_999), y = V(repeating: 1e-7)
        for _ in 0..<max(1, rounds) {
            let start = DispatchTime.now().uptimeNanoseconds
            // `loop` has no side effects, so the optimizer may move it anywhere: out of the rounds loop
            // and away from the clock readings (the portable build reported a loop of 0.04 µs, that is
            // 9,600,000 GFLOP/s). An operand that depends on the first reading keeps it after that
            // one; its result stored to a global keeps it before the second.
            let nudge = V(repeating: Float(start & 1) * 1e-30)
            peakSink += loop(x, y + nudge, iterations: max(1, iterations))
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            rates.append(Double(max(1, iterations)) * 12 * Double(V.scalarCount) * 2 / seconds / 1e9)
        }
        return rates.upperMedian
    }

    /// How much more work `threads` copies of the peak loop, one per thread, do in a second than one copy
    /// alone: the most any `threads` independent runs can gain on this machine, since the loop touches no
    /// memory and shares nothing (a pair of cores that share their FMA units, or a host that takes time from
    /// one of them, shows here). Each round times one copy, `threads` at once, `threads` at once and one
    /// again, so a drift of the machine's speed within the round cancels; the median over `rounds`.
    static func scaling(threads: Int, iterations: Int = 200_000_000, rounds: Int = 3) -> Double {
        guard threads > 1 else { return 1 }
        let n = iterations
        func seconds(_ copies: Int) -> Double {
            // Each copy writes its own slot, so the threads never touch the same element.
            nonisolated(unsafe) let results = UnsafeMutableBufferPointer<Float>.allocate(capacity: copies)
            defer { results.deallocate() }
            let start = DispatchTime.now().uptimeNanoseconds
            let nudge = Float(start & 1) * 1e-30
            DispatchQueue.concurrentPerform(iterations: copies) { results[$0] = kernelWidthLoop(trips: n, nudge: nudge) }
            peakSink += results.reduce(0, +)
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        var ratios = [Double]()
        for _ in 0..<max(1, rounds) {
            let alone = seconds(1), together = seconds(threads) + seconds(threads)
            let aloneAgain = seconds(1)
            ratios.append(Double(threads) * (alone + aloneAgain) / together)
        }
        return ratios.upperMedian
    }

    /// Runs `body` on this thread while the peak loop keeps another thread busy, and stops the loop once
    /// `body` returns. Time `body` this way and alone: the difference is what a busy core next door costs
    /// it on this machine (a power budget or clock the cores share, the host's scheduling), whatever the
    /// neighbour computes, since the loop touches no memory.
    static func besideBusyThread<T>(_ body: () throws -> T) rethrows -> T {
        let stop = CancellationFlag(), sink = LoopSink()
        let started = DispatchSemaphore(value: 0), stopped = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            started.signal()
            // Rounds of about 2 ms, so the loop stops soon after `body` ends.
            while !stop.isCancelled { sink.value += kernelWidthLoop(trips: 1_000_000) }
            stopped.signal()
        }
        started.wait()
        defer {
            stop.cancel()
            stopped.wait()
        }
        return try body()
    }

    /// `trips` trips of the loop on 8-lane vectors, or half as many on 16-lane ones where the kernel uses
    /// them (the same flops), its operand nudged by `nudge`.
    private static func kernelWidthLoop(trips: Int, nudge: Float = 0) -> Float {
        guard KernelShape.lanes == 16 else {
            let y = SIMD8<Float>(repeating: 1e-7 + nudge)
            return loop(y, y, iterations: max(1, trips))
        }
        let y = SIMD16<Float>(repeating: 1e-7 + nudge)
        return loop(y, y, iterations: max(1, trips / 2))
    }

    @inline(never)
    private static func loop<V: SIMD>(_ x: V, _ y: V, iterations: Int) -> Float where V.Scalar == Float {
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

/// Where the busy neighbour's loop results go (only its thread writes), so the loop is not optimized away.
private final class LoopSink: @unchecked Sendable {
    var value: Float = 0
}

extension Array where Element == Double {
    /// The middle value, the upper of the two middle ones for an even count (bench's medians; not empty).
    var upperMedian: Double { sorted()[count / 2] }
}
