// A rows × columns block of Floats, row-major, allocated once and reused.
//
// Reference semantics on purpose: the training loop writes into preallocated tensors every step,
// and a class with a raw pointer avoids copy-on-write checks and exclusivity bookkeeping in hot
// loops. Deliberately absent: broadcasting, strides, views, autograd. Layers own their math. One
// exception to owning its memory: a tensor can take another's first rows·columns values as its own
// (`init(sharing:rows:columns:)`), for buffers that several layers use one after another.
// The zeros come from calloc: a large block is fresh zero pages from the system, which take no memory
// until written, so a buffer a run never uses (a workspace's backward buffers during evaluation, `h`
// when the normalization comes before the activation) costs address space, not resident memory.

import Foundation

/// A preallocated row-major matrix of Floats. Row r occupies `pointer[r*columns ..< (r+1)*columns]`.
public final class Tensor {
    public let rows: Int
    public let columns: Int
    public let pointer: UnsafeMutablePointer<Float>
    /// The tensor whose memory this one uses, if it does not own its own (kept alive by this reference).
    private let storage: Tensor?

    /// A zero-filled rows × columns tensor.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "Tensor: negative shape \(rows) × \(columns)")
        self.rows = rows
        self.columns = columns
        storage = nil
        guard let zeros = calloc(max(1, rows * columns), MemoryLayout<Float>.stride) else {
            fatalError("Tensor: out of memory for \(rows) × \(columns) Floats")
        }
        pointer = zeros.bindMemory(to: Float.self, capacity: max(1, rows * columns))
    }

    /// A tensor holding `values` (rows × columns of them).
    public convenience init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "Tensor: \(values.count) values for \(rows) × \(columns)")
        self.init(rows: rows, columns: columns)
        for i in 0..<values.count { pointer[i] = values[i] }
    }

    /// A rows × columns tensor in the first rows·columns values of `storage`: writing one writes the
    /// other. For a buffer that layers use in turn, each seeing its own shape (Workspace).
    public init(sharing storage: Tensor, rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0 && rows * columns <= storage.count,
                     "Tensor: \(rows) × \(columns) does not fit in the \(storage.count) values it shares")
        self.rows = rows
        self.columns = columns
        self.storage = storage
        pointer = storage.pointer
    }

    deinit { if storage == nil { free(pointer) } }

    public var count: Int { rows * columns }

    /// A copy of the contents, row-major.
    public var values: [Float] { Array(UnsafeBufferPointer(start: pointer, count: count)) }

    public subscript(row: Int, column: Int) -> Float {
        get { pointer[row * columns + column] }
        set { pointer[row * columns + column] = newValue }
    }

    /// Sets every element to `value`.
    public func fill(_ value: Float) { pointer.update(repeating: value, count: count) }

    /// Copies `other`'s contents (same count) into this tensor.
    public func copy(from other: Tensor) {
        precondition(other.count == count)
        pointer.update(from: other.pointer, count: count)
    }

    /// Copies `values` (same count) into this tensor.
    public func copy(from values: [Float]) {
        precondition(values.count == count)
        for i in 0..<count { pointer[i] = values[i] }
    }

    /// A pointer to the start of row `r`.
    @inline(__always) public func row(_ r: Int) -> UnsafeMutablePointer<Float> { pointer + r * columns }
}
