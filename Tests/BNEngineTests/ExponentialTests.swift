import Foundation
import Testing
@testable import BNEngine

/// The vectorized sigmoid (Kernels/Exponential.swift) against 1/(1 + expf(−z)), bit for bit.
@Suite struct ExponentialTests {
    static func expected(_ z: [Float]) -> [Float] { z.map { 1 / (1 + expf(-$0)) } }

    /// Every 997th Float bit pattern between −110 and 110 (about 2.2 million values, both signs,
    /// every binade, the thresholds of glibc's special cases), against expf.
    @Test func sigmoidMatchesExpfBitForBit() {
        var z = [Float]()
        z.reserveCapacity(1 << 20)
        var mismatches = 0, first: Float?
        func check() {
            let got = Exponential.sigmoid(z), want = Self.expected(z)
            for i in 0..<z.count where got[i].bitPattern != want[i].bitPattern {
                mismatches += 1
                if first == nil { first = z[i] }
            }
            z.removeAll(keepingCapacity: true)
        }
        for sign: UInt32 in [0, 0x8000_0000] {
            var bits: UInt32 = 0
            while bits <= Float(110).bitPattern {
                z.append(Float(bitPattern: bits | sign))
                if z.count == 1 << 20 { check() }
                bits += 997
            }
        }
        check()
        #expect(mismatches == 0, "first mismatch at z = \(String(describing: first))")
    }

    /// Infinities, NaN, the overflow and underflow edges, and a count that leaves a scalar tail.
    @Test func edgesAndTails() {
        let z: [Float] = [.infinity, -.infinity, .nan, 88, -88, 88.72283, -88.72284, 103.27893, 103.97208, 104, -104,
                          0, -0, 1e-30, -1e-30, 5, -5, 17, 0.5]
        let got = Exponential.sigmoid(z), want = Self.expected(z)
        for i in 0..<z.count {
            #expect(got[i].bitPattern == want[i].bitPattern || (got[i].isNaN && want[i].isNaN), "z = \(z[i])")
        }
    }
}
