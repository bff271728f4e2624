// Reads IDX files (the format MNIST ships in), plain or gzip-compressed, and checks them.
//
// Deliberately left out: IDX element types other than unsigned bytes (type code 0x08) and tensors
// of rank other than 1 (labels) and 3 (images); MNIST uses only those. Nothing here converts to Float.

import BNFiles
import Foundation

/// A rank-3 IDX file of unsigned bytes: `count` images of `rows × columns` pixels, row-major.
public struct IDXImages: Sendable, Equatable {
    public var count: Int
    public var rows: Int
    public var columns: Int
    /// count × rows × columns bytes, image after image, each row-major.
    public var pixels: [UInt8]

    public init(count: Int, rows: Int, columns: Int, pixels: [UInt8]) {
        self.count = count
        self.rows = rows
        self.columns = columns
        self.pixels = pixels
    }
}

/// A rank-1 IDX file of unsigned bytes: one label per example.
public struct IDXLabels: Sendable, Equatable {
    public var labels: [UInt8]
    public var count: Int { labels.count }

    public init(labels: [UInt8]) { self.labels = labels }
}

/// Reading and parsing IDX files.
public enum IDXFile {
    /// The magic number of an images file: unsigned bytes (0x08), rank 3.
    public static let imagesMagic: UInt32 = 0x0000_0803
    /// The magic number of a labels file: unsigned bytes (0x08), rank 1.
    public static let labelsMagic: UInt32 = 0x0000_0801

    /// The bytes of the file at `url`, decompressed if they start with the gzip magic.
    public static func contents(of url: URL) throws -> [UInt8] {
        // At most what the decompressor would produce: a plain file larger than that is refused unread.
        let bytes: [UInt8]
        do { bytes = try InputFile.read(url.path, limit: Gzip.absoluteLimit) } catch {
            throw error.reason == .missing ? DataError.missingFile(path: url.path, alsoTried: [])
                                           : DataError.unreadableFile(path: url.path, reason: error.message)
        }
        guard Gzip.isGzip(bytes) else { return bytes }
        return try Gzip.decompress(bytes, file: url.lastPathComponent, expectedSize: expectedSize)
    }

    /// The whole file's size as its header gives it (header + payload), once `prefix` holds the
    /// header; nil before. An unknown magic number promises nothing (the parser reports it).
    static func expectedSize(_ prefix: [UInt8]) -> Int? {
        guard prefix.count >= 8 else { return nil }
        func word(_ at: Int) -> Int { Int(prefix[at]) << 24 | Int(prefix[at + 1]) << 16 | Int(prefix[at + 2]) << 8 | Int(prefix[at + 3]) }
        switch UInt32(word(0)) {
        case labelsMagic:
            return 8 + word(4)
        case imagesMagic:
            guard prefix.count >= 16 else { return nil }
            let (a, o1) = word(4).multipliedReportingOverflow(by: word(8))
            let (b, o2) = a.multipliedReportingOverflow(by: word(12))
            let (total, o3) = b.addingReportingOverflow(16)
            return o1 || o2 || o3 ? Int.max : total
        default:
            return Int.max
        }
    }

    /// Reads an images file (plain or gzip).
    public static func readImages(at url: URL) throws -> IDXImages {
        try parseImages(contents(of: url), file: url.lastPathComponent)
    }

    /// Reads a labels file (plain or gzip).
    public static func readLabels(at url: URL) throws -> IDXLabels {
        try parseLabels(contents(of: url), file: url.lastPathComponent)
    }

    /// Parses the uncompressed bytes of an images file; `file` names it in errors.
    public static func parseImages(_ bytes: [UInt8], file: String) throws -> IDXImages {
        let header = 16
        let magic = try bigEndianWord(bytes, at: 0, headerBytes: header, file: file)
        guard magic == imagesMagic else { throw DataError.wrongMagic(file: file, expected: imagesMagic, found: magic) }
        let count = Int(try bigEndianWord(bytes, at: 4, headerBytes: header, file: file))
        let rows = Int(try bigEndianWord(bytes, at: 8, headerBytes: header, file: file))
        let columns = Int(try bigEndianWord(bytes, at: 12, headerBytes: header, file: file))
        // Each factor is < 2^32, so the product of three could overflow Int; check as we go.
        let (pixelsPerImage, o1) = rows.multipliedReportingOverflow(by: columns)
        let (payload, o2) = count.multipliedReportingOverflow(by: pixelsPerImage)
        let (expected, o3) = payload.addingReportingOverflow(header)
        guard !o1, !o2, !o3, bytes.count >= expected else {
            throw DataError.truncatedFile(file: file, expectedBytes: (o1 || o2 || o3) ? Int.max : expected, foundBytes: bytes.count)
        }
        return IDXImages(count: count, rows: rows, columns: columns, pixels: Array(bytes[header..<expected]))
    }

    /// Parses the uncompressed bytes of a labels file; `file` names it in errors.
    public static func parseLabels(_ bytes: [UInt8], file: String) throws -> IDXLabels {
        let header = 8
        let magic = try bigEndianWord(bytes, at: 0, headerBytes: header, file: file)
        guard magic == labelsMagic else { throw DataError.wrongMagic(file: file, expected: labelsMagic, found: magic) }
        let count = Int(try bigEndianWord(bytes, at: 4, headerBytes: header, file: file))
        let expected = header + count
        guard bytes.count >= expected else {
            throw DataError.truncatedFile(file: file, expectedBytes: expected, foundBytes: bytes.count)
        }
        return IDXLabels(labels: Array(bytes[header..<expected]))
    }

    /// The big-endian UInt32 at `offset`; a file shorter than its header is truncated.
    private static func bigEndianWord(_ bytes: [UInt8], at offset: Int, headerBytes: Int, file: String) throws -> UInt32 {
        guard bytes.count >= offset + 4 else {
            throw DataError.truncatedFile(file: file, expectedBytes: headerBytes, foundBytes: bytes.count)
        }
        return UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
