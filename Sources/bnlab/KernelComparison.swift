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

extension KernelComparison {
    /// Median microseconds of each of the three products of one hidden dense layer, width → width, on a
    /// batch of m (MatMul.swift names them): forward z = x·Wᵀ, dWᵀ = xᵀ·dz, dx = dz·W. The same operands
    /// every call, so they are warm in cache; interleaved rounds. bench/torch_products.py times the same
    /// three in PyTorch.
    static func layerProducts(m: Int = 60, width: Int, rounds: Int = 7, repeats: Int = 50)
        -> (forward: Double, weightGradient: Double, inputGradient: Double) {
        var rng = SplitMix64(seed: 2)
        func tensor(_ rows: Int, _ columns: Int) -> Tensor {
            Tensor(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in rng.normal() })
        }
        // x is a sigmoid's output (no zeros: the dense path), dz a gradient, wT and dWT stored as a dense
        // layer stores them, in the kernel's panels.
        let stored = PanelLayout(rows: width, columns: width).storedColumns
        let x = Tensor(rows: m, columns: width, values: (0..<(m * width)).map { _ in Float.random(in: 0.01...0.99, using: &rng) })
        let dz = tensor(m, width), wT = tensor(width, stored)
        let z = Tensor(rows: m, columns: width), dWT = Tensor(rows: width, columns: stored), dx = Tensor(rows: m, columns: width)
        let products: [() -> Void] = [
            { MatMul.multiply(x, wT, inPanels: true, into: z, m: m, k: width, n: width) },
            { MatMul.multiplyTransposedA(x, dz, into: dWT, inPanels: true, m: width, k: m, n: width) },
            { MatMul.multiplyTransposedB(dz, wT, inPanels: true, into: dx, m: m, k: width, n: width) },
        ]
        for product in products { for _ in 0..<10 { product() } }
        var times = [[Double]](repeating: [], count: products.count)
        for _ in 0..<rounds {
            for (i, product) in products.enumerated() {
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<repeats { product() }
                times[i].append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(repeats))
            }
        }
        let medians = times.map { $0.sorted()[rounds / 2] }
        return (medians[0], medians[1], medians[2])
    }
}
