// Errors a user can cause by pointing bnlab at bad data or asking for a dataset that does not exist.
//
// Deliberately left out: errors from the engine and the lessons (they have their own types), and
// recovery: every case says what is wrong and what to do, and the caller decides whether to retry.

import Foundation

/// What went wrong while finding, decoding or preparing a dataset, and what to do about it.
public enum DataError: Error, Equatable, Sendable {
    /// No file at `path` (the other names tried are listed in `alsoTried`).
    case missingFile(path: String, alsoTried: [String])
    /// Something is at `path` but cannot be used as a data file (a directory, a device, too large, …).
    case unreadableFile(path: String, reason: String)
    /// The file holds fewer bytes than its header promises.
    case truncatedFile(file: String, expectedBytes: Int, foundBytes: Int)
    /// The file starts like gzip (1f 8b) but does not decompress.
    case corruptGzip(file: String, detail: String)
    /// The IDX header's magic number is not the one this kind of file must have.
    case wrongMagic(file: String, expected: UInt32, found: UInt32)
    /// The images file and the labels file disagree on how many examples there are.
    case countMismatch(imagesFile: String, images: Int, labelsFile: String, labels: Int)
    /// A label is not a class index `0..<classes`.
    case labelOutOfRange(file: String, index: Int, label: Int, classes: Int)
    /// An images file whose rows × columns is not the size the dataset expects.
    case wrongImageSize(file: String, expectedRows: Int, expectedColumns: Int, foundRows: Int, foundColumns: Int)
    /// A dataset name the catalog does not know.
    case unknownDataset(name: String, known: [String])
    /// A request whose parameters cannot be satisfied (sizes, noise, scaling for the kind of data).
    case invalidRequest(String)
}

extension DataError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .missingFile(path, alsoTried):
            let tried = alsoTried.isEmpty ? "" : " (also tried \(alsoTried.joined(separator: ", ")))"
            return "No file at \(path)\(tried). Check the path, or unset \(MNIST.directoryEnvironmentVariable) to use the bundled MNIST copy."
        case let .unreadableFile(path, reason):
            return "Cannot use \(path): \(reason). Check the path, or unset \(MNIST.directoryEnvironmentVariable) to use the bundled MNIST copy."
        case let .truncatedFile(file, expected, found):
            return "\(file) is truncated: its header promises \(expected) bytes but the file holds \(found). Download the file again."
        case let .corruptGzip(file, detail):
            return "\(file) starts like a gzip file but does not decompress (\(detail)). Download the file again, or store it uncompressed."
        case let .wrongMagic(file, expected, found):
            return "\(file) is not the expected IDX file: magic number \(hex(found)), expected \(hex(expected)). Check that images and labels files are not swapped and that the file is MNIST IDX."
        case let .countMismatch(imagesFile, images, labelsFile, labels):
            return "\(imagesFile) holds \(images) images but \(labelsFile) holds \(labels) labels. Use an images file and a labels file from the same split."
        case let .labelOutOfRange(file, index, label, classes):
            return "\(file): label \(label) at index \(index) is outside 0..<\(classes). The labels file is damaged or not MNIST."
        case let .wrongImageSize(file, er, ec, fr, fc):
            return "\(file) holds \(fr)×\(fc) images, expected \(er)×\(ec). Use the MNIST images files."
        case let .unknownDataset(name, known):
            return "Unknown dataset \"\(name)\". Known datasets: \(known.joined(separator: ", "))."
        case let .invalidRequest(detail):
            return detail
        }
    }
}

extension DataError: LocalizedError {
    public var errorDescription: String? { description }
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
