// c + a·b rounded once (IEEE 754 fusedMultiplyAdd): the one step every matrix product repeats.
//
// Native builds (and arm64, where it is baseline) run one FMA instruction per vector. Baseline x86-64
// (BNLAB_PORTABLE=1) has no FMA instruction, and Swift would call the C library's fmaf once per lane
// (0.8 GFLOP/s, see shared/NOTES.md). There the same correctly rounded value comes from double:
//
//   p = a·b        exact in double (two 24-bit significands make at most 48 bits)
//   s = p + c      rounded once, to double's 53 bits
//   Float(s)       rounded again, to float's 24 bits
//
// Rounding twice gives the correctly rounded float unless the first rounding landed exactly on a
// midpoint between two floats that the exact sum was not on (every midpoint is a double, so the first
// rounding can reach one but never cross it). A lane whose s is such a midpoint, or too small for
// float's normal range (where midpoints sit elsewhere), is recomputed by the C library's fmaf; that
// happens for about one lane in 2^28. So portable and native builds give the same bits, which
// `portableFusedMultiplyAdd` is tested for against the hardware instruction.

/// c + a·b rounded once, lane by lane.
@inline(__always)
func fusedMultiplyAdd<V: SIMD>(_ c: V, _ a: V, _ b: V) -> V where V.Scalar == Float {
    #if BNLAB_NATIVE || arch(arm64)
    return c.addingProduct(a, b)
    #else
    return portableFusedMultiplyAdd(c, a, b)
    #endif
}

/// c + a·b rounded once.
@inline(__always)
func fusedMultiplyAdd(_ c: Float, _ a: Float, _ b: Float) -> Float {
    #if BNLAB_NATIVE || arch(arm64)
    return c.addingProduct(a, b)
    #else
    return portableFusedMultiplyAdd(c, a, b)
    #endif
}

/// Double's bits at or below which a value is under float's smallest normal, 2^-126.
private let belowFloatNormal: UInt64 = 0x3810_0000_0000_0000
/// The 29 bits of double's significand that float drops, and their pattern at a midpoint.
private let droppedBits: UInt64 = 0x1FFF_FFFF, midpoint: UInt64 = 0x1000_0000

/// 1 where Float(s) may differ from the correctly rounded float (s is a float midpoint, or a nonzero
/// value under float's normal range), else 0; no branches, so the lane loop below stays a vector loop.
@inline(__always)
private func suspicion(_ bits: UInt64) -> UInt64 {
    let magnitude = bits & 0x7FFF_FFFF_FFFF_FFFF
    let atMidpoint: UInt64 = bits & droppedBits == midpoint ? 1 : 0
    let tiny: UInt64 = magnitude &- 1 < belowFloatNormal - 1 ? 1 : 0   // 0 < magnitude < 2^-126
    return atMidpoint | tiny
}

/// c + a·b through double, for targets without an FMA instruction (see the file comment).
@inline(__always)
func portableFusedMultiplyAdd(_ c: Float, _ a: Float, _ b: Float) -> Float {
    let s = Double(a) * Double(b) + Double(c)
    if suspicion(s.bitPattern) != 0 { return c.addingProduct(a, b) }
    return Float(s)
}

/// c + a·b through double, lane by lane; a lane that needs the library takes the scalar path.
@inline(__always)
func portableFusedMultiplyAdd<V: SIMD>(_ c: V, _ a: V, _ b: V) -> V where V.Scalar == Float {
    var result = V()
    var suspicious: UInt64 = 0
    for i in 0..<V.scalarCount {
        let s = Double(a[i]) * Double(b[i]) + Double(c[i])
        suspicious |= suspicion(s.bitPattern)
        result[i] = Float(s)
    }
    if suspicious != 0 {
        for i in 0..<V.scalarCount { result[i] = portableFusedMultiplyAdd(c[i], a[i], b[i]) }
    }
    return result
}

/// y[j] = fma(s, x[j], y[j]) for j in 0..<count: the axpy step of the products' unblocked paths.
@inline(__always)
func addScaled(_ s: Float, _ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count: Int) {
    #if BNLAB_NATIVE || arch(arm64)
    for j in 0..<count { y[j] = y[j].addingProduct(s, x[j]) }  // the compiler vectorizes this loop
    #else
    var j = 0
    let scale = SIMD8<Float>(repeating: s)
    while j + 8 <= count {
        let raw = UnsafeMutableRawPointer(y + j)
        let sum = portableFusedMultiplyAdd(raw.loadUnaligned(as: SIMD8<Float>.self), scale,
                                           UnsafeRawPointer(x + j).loadUnaligned(as: SIMD8<Float>.self))
        raw.storeBytes(of: sum, as: SIMD8<Float>.self)
        j += 8
    }
    while j < count { y[j] = portableFusedMultiplyAdd(y[j], s, x[j]); j += 1 }
    #endif
}
