// Reads PyTorch reference files (format "bnlab-reference-v1", see shared/reference/README.md) and
// checks every case against this engine.
//
// Nothing about the cases is assumed beyond the format: shapes, ε, momentum, learning rates and
// layer stacks are all read from the file. Errors name the case and the field.

import Foundation

/// A problem with a reference file, naming where it is.
public struct ReferenceFileError: Error, Sendable, CustomStringConvertible {
    public var location: String
    public var message: String

    public var description: String { "\(location): \(message)" }
}

/// The worst disagreement in one case, and whether it is within tolerance.
public struct ReferenceCaseResult: Sendable {
    public var name: String
    public var kind: String
    public var maxAbsoluteError: Double
    public var maxRelativeError: Double
    /// Largest |a − b| / max(1, |b|): the quantity the tolerance applies to.
    public var maxScaledError: Double
    public var worstField: String
    public var passed: Bool
}

/// Compares engine outputs to expected values, keeping the worst error.
struct ErrorTally {
    var maxAbsolute = 0.0
    var maxRelative = 0.0
    var maxScaled = 0.0
    var worstField = ""

    mutating func compare(_ field: String, _ actual: [Double], _ expected: [Double]) throws {
        guard actual.count == expected.count else {
            throw ReferenceFileError(location: field, message: "engine produced \(actual.count) values, reference has \(expected.count)")
        }
        for (a, b) in zip(actual, expected) {
            let absolute = a.isNaN || b.isNaN ? Double.infinity : abs(a - b)
            let scaled = absolute / max(1, abs(b))
            if scaled > maxScaled || (scaled.isNaN && !maxScaled.isNaN) {
                maxScaled = scaled
                worstField = field
            }
            maxAbsolute = max(maxAbsolute, absolute)
            if b != 0 { maxRelative = max(maxRelative, absolute / abs(b)) }
        }
    }
}

/// Typed access into the decoded JSON, with errors that name the case and field.
struct JSONNode {
    let value: Any
    let path: String

    func field(_ name: String) throws -> JSONNode {
        guard let object = value as? [String: Any] else {
            throw ReferenceFileError(location: path, message: "expected an object")
        }
        guard let child = object[name] else {
            throw ReferenceFileError(location: path, message: "missing field '\(name)'")
        }
        return JSONNode(value: child, path: "\(path).\(name)")
    }

    func optionalField(_ name: String) -> JSONNode? {
        guard let object = value as? [String: Any], let child = object[name], !(child is NSNull) else { return nil }
        return JSONNode(value: child, path: "\(path).\(name)")
    }

    func string() throws -> String {
        guard let s = value as? String else { throw ReferenceFileError(location: path, message: "expected a string") }
        return s
    }

    func number() throws -> Double {
        // NOTE: on Linux, JSON 0 and 1 decode as NSNumbers that also pass `is Bool`; accept any NSNumber.
        if let n = value as? NSNumber { return n.doubleValue }
        throw ReferenceFileError(location: path, message: "expected a number")
    }

    func int() throws -> Int {
        let d = try number()
        guard d.rounded() == d, abs(d) < 1e15 else { throw ReferenceFileError(location: path, message: "expected a whole number") }
        return Int(d)
    }

    func array() throws -> [JSONNode] {
        guard let items = value as? [Any] else { throw ReferenceFileError(location: path, message: "expected a list") }
        return items.enumerated().map { JSONNode(value: $1, path: "\(path)[\($0)]") }
    }

    func vector() throws -> [Double] { try array().map { try $0.number() } }

    /// A list of equal-length rows, as (rows, columns, row-major values).
    func matrix() throws -> (rows: Int, columns: Int, values: [Double]) {
        let rows = try array().map { try $0.vector() }
        let columns = rows.first?.count ?? 0
        if let bad = rows.firstIndex(where: { $0.count != columns }) {
            throw ReferenceFileError(location: "\(path)[\(bad)]", message: "row has \(rows[bad].count) values, expected \(columns)")
        }
        return (rows.count, columns, rows.flatMap { $0 })
    }
}
