// Elementwise activations, forward and backward.
//
// Each backward uses the forward's output a where that is cheaper than the input z:
//   sigmoid  a = 1/(1 + e^(−z))     da/dz = a·(1 − a)
//   tanh     a = tanh z             da/dz = 1 − a²
//   ReLU     a = max(0, z)          da/dz = 1 if z > 0 else 0  (0 at z = 0, as PyTorch)
//   identity a = z                  da/dz = 1

import Foundation

/// An elementwise nonlinearity.
public enum Activation: String, Sendable, CaseIterable, Codable {
    case sigmoid, tanh, relu, identity

    /// a = f(z) for `count` elements.
    public func forward(_ z: UnsafePointer<Float>, into a: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .sigmoid: sigmoids(z, into: a, count: count)  // 1/(1 + expf(−z)), 8 at a time (Kernels/Exponential.swift)
        case .tanh: tanhs(z, into: a, count: count)          // series or (1 − e)/(1 + e), 8 at a time (Kernels/Exponential.swift)
        case .relu: for i in 0..<count { a[i] = max(0, z[i]) }
        case .identity: if UnsafePointer(a) != z { a.update(from: z, count: count) }
        }
    }

    /// dz = f′(z)·da, from the forward's input z and output a.
    public func backward(_ da: UnsafePointer<Float>, input z: UnsafePointer<Float>, output a: UnsafePointer<Float>,
                         into dz: UnsafeMutablePointer<Float>, count: Int) {
        switch self {
        case .sigmoid: for i in 0..<count { dz[i] = da[i] * a[i] * (1 - a[i]) }
        case .tanh: for i in 0..<count { dz[i] = da[i] * (1 - a[i] * a[i]) }
        case .relu: for i in 0..<count { dz[i] = z[i] > 0 ? da[i] : 0 }
        case .identity: if UnsafePointer(dz) != da { dz.update(from: da, count: count) }
        }
    }

    /// Whether an output value counts as saturated: a sigmoid within 0.02 of 0 or 1, a tanh with |a| > 0.97.
    /// ReLU and identity never saturate in this sense.
    @inline(__always)
    public func isSaturated(_ a: Float) -> Bool {
        switch self {
        case .sigmoid: return a < 0.02 || a > 0.98
        case .tanh: return abs(a) > 0.97
        case .relu, .identity: return false
        }
    }
}
