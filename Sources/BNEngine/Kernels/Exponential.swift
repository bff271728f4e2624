// e^x for 8 Floats at once, bit for bit what glibc's expf returns on an FMA machine (its `__expf_fma`,
// the variant glibc's dispatcher picks there), so the sigmoid keeps every number it had.
//
// glibc's algorithm (sysdeps/ieee754/flt-32/e_expf.c, in double precision, N = 32):
//   x·N/ln 2 = k + r, |r| ≤ 1/2      k by rounding: kd = fma(N/ln 2, x, 1.5·2⁵²), whose low bits are k
//   e^x = 2^(k/N)·2^(r/N)             2^(k/N) = s, built from a 32-entry table and k's high bits
//   2^(r/N) ≈ 1 + C2·r + C1·r² + C0·r³  evaluated as fma(fma(r, C0, C1), r², fma(r, C2, 1))
//   result = Float(that · s)
// The FMAs, the table and the constants are the ones in glibc 2.28+'s binary (read from this machine's
// libm). Inputs with |x| ≥ 88, and NaN, take glibc's own expf (overflow, underflow, ±∞, NaN), lane by
// lane. `ExponentialTests` checks the result against expf bit for bit.
//
// Only in native builds on x86-64 Linux (BNLAB_NATIVE): without FMA in the target, Swift lowers each
// fused multiply-add to a libm call per lane, and the portable build calls expf directly instead,
// which gives the same numbers.

import Foundation

#if BNLAB_NATIVE && arch(x86_64) && os(Linux)
/// glibc's exp2f table: the bits of 2^(i/32) minus i << 47 (so that adding k << 47 scales by 2^(k/32)).
private let exp2Table: [UInt64] = [
    0x3FF0_0000_0000_0000, 0x3FEF_D9B0_D315_8574, 0x3FEF_B558_6CF9_890F, 0x3FEF_9301_D012_5B51,
    0x3FEF_72B8_3C7D_517B, 0x3FEF_5487_3168_B9AA, 0x3FEF_387A_6E75_6238, 0x3FEF_1E9D_F51F_DEE1,
    0x3FEF_06FE_0A31_B715, 0x3FEE_F1A7_373A_A9CB, 0x3FEE_DEA6_4C12_3422, 0x3FEE_CE08_6061_892D,
    0x3FEE_BFDA_D536_2A27, 0x3FEE_B42B_569D_4F82, 0x3FEE_AB07_DD48_5429, 0x3FEE_A47E_B03A_5585,
    0x3FEE_A09E_667F_3BCD, 0x3FEE_9F75_E8EC_5F74, 0x3FEE_A114_73EB_0187, 0x3FEE_A589_994C_CE13,
    0x3FEE_ACE5_422A_A0DB, 0x3FEE_B737_B0CD_C5E5, 0x3FEE_C491_82A3_F090, 0x3FEE_D503_B23E_255D,
    0x3FEE_E89F_995A_D3AD, 0x3FEE_FF76_F2FB_5E47, 0x3FEF_199B_DD85_529C, 0x3FEF_3720_DCEF_9069,
    0x3FEF_5818_DCFB_A487, 0x3FEF_7C97_337B_9B5F, 0x3FEF_A4AF_A2A4_90DA, 0x3FEF_D076_5B6E_4540,
]

private typealias D4 = SIMD4<Double>

/// e^x for 4 values already in double precision, each |x| < 88.
@inline(__always)
private func exponential(_ xd: D4, _ table: UnsafePointer<UInt64>) -> SIMD4<Float> {
    let invLn2N = D4(repeating: 0x1.71547652b82fep+5), shift = D4(repeating: 0x1.8p+52)
    let shifted = shift.addingProduct(invLn2N, xd)             // k + 1.5·2⁵², rounded to an integer
    let ki = unsafeBitCast(shifted, to: SIMD4<UInt64>.self)     // its low bits are k
    let kd = shifted - shift
    let r = (-kd).addingProduct(invLn2N, xd)                    // x·N/ln 2 − k
    let high = ki &<< 47
    let t = SIMD4<UInt64>(table[Int(ki[0] & 31)] &+ high[0], table[Int(ki[1] & 31)] &+ high[1],
                          table[Int(ki[2] & 31)] &+ high[2], table[Int(ki[3] & 31)] &+ high[3])
    let s = unsafeBitCast(t, to: D4.self)                       // 2^(k/N)
    let z = D4(repeating: 0x1.ebfce50fac4f3p-13).addingProduct(r, D4(repeating: 0x1.c6af84b912394p-20))
    let r2 = r * r
    var y = D4(repeating: 1).addingProduct(r, D4(repeating: 0x1.62e42ff0c52d6p-6))
    y = y.addingProduct(z, r2)
    return SIMD4<Float>(y * s)
}

/// Whether every lane has |x| < 88 (glibc's test on the exponent field's top bits, bits(|x|) < 0x42B0_0000;
/// NaN and ±∞ fail it), in wrapping integer vector operations: a lane passes when
/// bits(|x|) − 0x42B0_0000 is negative, and all pass when the AND of those differences is.
/// (Written with `.>=` and `any`, the comparison was done lane by lane through memory, and that store
/// and reload took 80% of the sigmoid's time.)
@inline(__always)
private func allBelowLimit(_ x: SIMD8<Float>) -> Bool {
    let magnitude = unsafeBitCast(x, to: SIMD8<Int32>.self) & 0x7FFF_FFFF
    let d8 = magnitude &- 0x42B0_0000
    let d4 = d8.lowHalf & d8.highHalf
    let d2 = d4.lowHalf & d4.highHalf
    return d2[0] & d2[1] < 0
}
#endif

/// a = 1/(1 + e^(−z)) for `count` values, with e^x exactly as glibc's expf computes it.
func sigmoids(_ z: UnsafePointer<Float>, into a: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    #if BNLAB_NATIVE && arch(x86_64) && os(Linux)
    exp2Table.withUnsafeBufferPointer { tableBuffer in
        guard let table = tableBuffer.baseAddress else { return }
        while i + 8 <= count {
            let x = -UnsafeRawPointer(z + i).loadUnaligned(as: SIMD8<Float>.self)
            if !allBelowLimit(x) {
                var e = SIMD8<Float>()
                for lane in 0..<8 { e[lane] = expf(x[lane]) }
                UnsafeMutableRawPointer(a + i).storeBytes(of: 1 / (1 + e), as: SIMD8<Float>.self)
            } else {
                let low = exponential(D4(x.lowHalf), table), high = exponential(D4(x.highHalf), table)
                let e = SIMD8(lowHalf: low, highHalf: high)
                UnsafeMutableRawPointer(a + i).storeBytes(of: 1 / (1 + e), as: SIMD8<Float>.self)
            }
            i += 8
        }
    }
    #endif
    while i < count {
        a[i] = 1 / (1 + expf(-z[i]))
        i += 1
    }
}

/// a = tanh z for `count` values:
///   |z| < 1/8:  tanh z = z − z³/3 + 2z⁵/15 − 17z⁷/315 + 62z⁹/2835 + …  (the terms left out are under
///               10⁻¹¹ of the value there)
///   otherwise:  tanh |z| = (1 − e)/(1 + e) with e = e^(−2|z|) from the same expf as the sigmoid,
///   and a takes z's sign. (1 − e)/(1 + e) alone would lose the small values to cancellation: e is
/// within an ulp of 1 there, and 1 − e keeps a handful of bits.) The result is within a few ulps of
/// the exact tanh (`ExponentialTests`); glibc's tanhf, which this replaces, goes through a scalar expm1f
/// and took a quarter of a lesson with tanh networks.
func tanhs(_ z: UnsafePointer<Float>, into a: UnsafeMutablePointer<Float>, count: Int) {
    var i = 0
    while i + 8 <= count {
        let zv = UnsafeRawPointer(z + i).loadUnaligned(as: SIMD8<Float>.self)
        let e = exponentials(-2 * magnitudes(zv))
        UnsafeMutableRawPointer(a + i).storeBytes(of: tanhFromExponential(zv, e), as: SIMD8<Float>.self)
        i += 8
    }
    while i < count {
        a[i] = tanhFromExponential(SIMD8(repeating: z[i]), SIMD8(repeating: expf(-2 * abs(z[i]))))[0]
        i += 1
    }
}

/// e^x for 8 values, each bit for bit expf's: the vector kernel in native builds where every |x| < 88,
/// expf lane by lane otherwise.
@inline(__always)
private func exponentials(_ x: SIMD8<Float>) -> SIMD8<Float> {
    #if BNLAB_NATIVE && arch(x86_64) && os(Linux)
    if allBelowLimit(x) {
        return exp2Table.withUnsafeBufferPointer { table in
            guard let t = table.baseAddress else { return SIMD8<Float>() }
            return SIMD8(lowHalf: exponential(D4(x.lowHalf), t), highHalf: exponential(D4(x.highHalf), t))
        }
    }
    #endif
    var e = SIMD8<Float>()
    for lane in 0..<8 { e[lane] = expf(x[lane]) }
    return e
}

/// |z| lane by lane (the sign bit cleared).
@inline(__always)
private func magnitudes(_ z: SIMD8<Float>) -> SIMD8<Float> {
    unsafeBitCast(unsafeBitCast(z, to: SIMD8<UInt32>.self) & 0x7FFF_FFFF, to: SIMD8<Float>.self)
}

/// tanh z from z and e = e^(−2|z|), lane by lane (the two cases of `tanhs`).
@inline(__always)
private func tanhFromExponential(_ z: SIMD8<Float>, _ e: SIMD8<Float>) -> SIMD8<Float> {
    let x = magnitudes(z), x2 = x * x
    let c9 = SIMD8<Float>(repeating: 62.0 / 2835), c7 = SIMD8<Float>(repeating: -17.0 / 315)
    let c5 = SIMD8<Float>(repeating: 2.0 / 15), c3 = SIMD8<Float>(repeating: -1.0 / 3)
    var inner = c7 + x2 * c9
    inner = c5 + x2 * inner
    inner = c3 + x2 * inner
    let series = x + x * x2 * inner
    let one = SIMD8<Float>(repeating: 1)
    let ratio = (one - e) / (one + e)
    let magnitude = ratio.replacing(with: series, where: x .< 0.125)
    // z's sign on the magnitude (tanh is odd; −0 stays −0).
    let signs = unsafeBitCast(z, to: SIMD8<UInt32>.self) & 0x8000_0000
    return unsafeBitCast(unsafeBitCast(magnitude, to: SIMD8<UInt32>.self) | signs, to: SIMD8<Float>.self)
}

/// e^x for `count` values through the kernels above (for tests).
public enum Exponential {
    /// a = 1/(1 + e^(−z)) elementwise.
    public static func sigmoid(_ z: [Float]) -> [Float] { apply(sigmoids, to: z) }

    /// a = tanh z elementwise.
    public static func tanh(_ z: [Float]) -> [Float] { apply(tanhs, to: z) }

    /// A kernel over raw buffers, applied to an array.
    private static func apply(_ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void,
                              to z: [Float]) -> [Float] {
        var a = [Float](repeating: 0, count: z.count)
        z.withUnsafeBufferPointer { zp in
            a.withUnsafeMutableBufferPointer { ap in
                guard let zb = zp.baseAddress, let ab = ap.baseAddress else { return }
                kernel(zb, ab, z.count)
            }
        }
        return a
    }
}
