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

    /// tanh (series under 1/8, (1 − e)/(1 + e) above) within 4 ulps of the exact value, on every 997th
    /// Float bit pattern between −110 and 110; odd, with tanh(±∞) = ±1, −0 kept and NaN passed on.
    @Test func tanhIsWithinFourUlpsOfTheExactValue() {
        var z = [Float]()
        for sign: UInt32 in [0, 0x8000_0000] {
            var bits: UInt32 = 0
            while bits <= Float(110).bitPattern { z.append(Float(bitPattern: bits | sign)); bits += 997 }
        }
        let got = Exponential.tanh(z)
        var worst = 0.0, at: Float = 0
        for i in z.indices {
            let exact = Foundation.tanh(Double(z[i]))
            let ulps = abs(Double(got[i]) - exact) / Double(Float(exact).ulp)
            if ulps > worst { (worst, at) = (ulps, z[i]) }
        }
        #expect(worst <= 4, "worst error \(worst) ulps at z = \(at)")
        let special = Exponential.tanh([.infinity, -.infinity, -0.0, 0, .nan, 100, -100])
        #expect(special[0] == 1 && special[1] == -1 && special[5] == 1 && special[6] == -1)
        #expect(special[2].bitPattern == (-0.0 as Float).bitPattern && special[3].bitPattern == 0)
        #expect(special[4].isNaN)
    }

    /// The 8-wide loop and the one-at-a-time tail give the same bits (portable builds and the last
    /// count mod 8 values take the tail's expf; native builds the vector exp).
    @Test func tanhIsTheSameEightAtATimeAndOneByOne() {
        var rng = SplitMix64(seed: 99)
        let z = (0..<4003).map { _ in rng.normal(mean: 0, std: 3) } + [0.124999, 0.125, -0.125, 44, 45, 87.9, 88.1]
        let together = Exponential.tanh(z)
        var differ = 0
        for i in z.indices where Exponential.tanh([z[i]])[0].bitPattern != together[i].bitPattern { differ += 1 }
        #expect(differ == 0)
    }
}
