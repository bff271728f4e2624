// Reads PyTorch reference files (format "bnlab-reference-v1", see shared/reference/README.md) and
// checks every case against this engine.
//
// Nothing about the cases is assumed beyond the format: shapes, ε, momentum, learning rates and
// layer stacks are all read from the file. The reader is strict: every shape is checked against the
// case's own sizes before the engine sees a value, an empty expectation or a file without cases is an
// error, and every error names the case and the field ("case 'bn_4x3'.dy: has 3 rows, expected 4").

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
    /// How many values were compared (never 0: a case that compares nothing is an error).
    public var comparedValues: Int
    public var passed: Bool
}

/// Compares engine outputs to expected values, keeping the worst error.
struct ErrorTally {
    var maxAbsolute = 0.0
    var maxRelative = 0.0
    var maxScaled = 0.0
    var worstField = ""
    var comparedValues = 0

    /// Compares the engine's `actual` values with the numbers at `expected` (a list or a list of rows),
    /// which must be non-empty and exactly as many. Errors name the expected field.
    mutating func compare(_ actual: [Double], _ expected: JSONNode) throws {
        let values = try expected.numbers()
        guard !values.isEmpty else { throw ReferenceFileError(location: expected.path, message: "is empty: nothing to compare") }
        guard actual.count == values.count else {
            throw ReferenceFileError(location: expected.path, message: "has \(values.count) values, the engine produced \(actual.count)")
        }
        let field = expected.fieldPath
        for (a, b) in zip(actual, values) {
            let absolute = a.isNaN || b.isNaN ? Double.infinity : abs(a - b)
            let scaled = absolute / max(1, abs(b))
            if scaled > maxScaled || (scaled.isNaN && !maxScaled.isNaN) {
                maxScaled = scaled
                worstField = field
            }
            maxAbsolute = max(maxAbsolute, absolute)
            if b != 0 { maxRelative = max(maxRelative, absolute / abs(b)) }
        }
        comparedValues += values.count
    }
}

/// Typed access into the decoded JSON, with errors that name the case and field.
struct JSONNode {
    let value: Any
    let path: String
    /// Where the case's own fields start in `path`, so a tally can name "expect.y" without the case.
    var caseRoot = ""

    /// The path below the case ("expect.first_batch.y").
    var fieldPath: String {
        guard !caseRoot.isEmpty, path.hasPrefix(caseRoot + ".") else { return path }
        return String(path.dropFirst(caseRoot.count + 1))
    }

    func field(_ name: String) throws -> JSONNode {
        guard let object = value as? [String: Any] else {
            throw ReferenceFileError(location: path, message: "expected an object")
        }
        guard let child = object[name] else {
            throw ReferenceFileError(location: path, message: "missing field '\(name)'")
        }
        return JSONNode(value: child, path: "\(path).\(name)", caseRoot: caseRoot)
    }

    func optionalField(_ name: String) -> JSONNode? {
        guard let object = value as? [String: Any], let child = object[name], !(child is NSNull) else { return nil }
        return JSONNode(value: child, path: "\(path).\(name)", caseRoot: caseRoot)
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
        return items.enumerated().map { JSONNode(value: $1, path: "\(path)[\($0)]", caseRoot: caseRoot) }
    }

    func vector() throws -> [Double] { try array().map { try $0.number() } }

    /// A list of exactly `count` numbers.
    func vector(count: Int) throws -> [Double] {
        let v = try vector()
        guard v.count == count else { throw ReferenceFileError(location: path, message: "has \(v.count) values, expected \(count)") }
        return v
    }

    /// A non-empty list of equal-length, non-empty rows, as (rows, columns, row-major values).
    func matrix() throws -> (rows: Int, columns: Int, values: [Double]) {
        let rows = try array().map { try $0.vector() }
        guard let columns = rows.first?.count else { throw ReferenceFileError(location: path, message: "has no rows") }
        guard columns > 0 else { throw ReferenceFileError(location: "\(path)[0]", message: "is an empty row") }
        if let bad = rows.firstIndex(where: { $0.count != columns }) {
            throw ReferenceFileError(location: "\(path)[\(bad)]", message: "row has \(rows[bad].count) values, expected \(columns)")
        }
        return (rows.count, columns, rows.flatMap { $0 })
    }

    /// A matrix of the given shape (nil = any number of rows).
    func matrix(rows expectedRows: Int?, columns expectedColumns: Int) throws -> [Double] {
        let (rows, columns, values) = try matrix()
        if columns != expectedColumns {
            throw ReferenceFileError(location: path, message: "rows have \(columns) values, expected \(expectedColumns)")
        }
        if let expectedRows, rows != expectedRows {
            throw ReferenceFileError(location: path, message: "has \(rows) rows, expected \(expectedRows)")
        }
        return values
    }

    /// The numbers of a list or of a list of rows, flattened (for comparing against the engine).
    func numbers() throws -> [Double] {
        guard let items = value as? [Any] else { throw ReferenceFileError(location: path, message: "expected a list") }
        if items.first is [Any] { return try matrix().values }
        return try vector()
    }
}
