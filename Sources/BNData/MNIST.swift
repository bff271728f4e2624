// Finds and loads the MNIST splits as `Dataset`s of raw pixel values 0…255.
//
// Deliberately left out: caching (see MNISTCache.swift), scaling (see Preprocessing.swift) and
// downloading: bnlab ships its own copy so a fresh clone runs offline.

import BNEngine
import Foundation

/// One of MNIST's two splits: 60 000 training and 10 000 held-out test images.
public enum MNISTSplit: String, CaseIterable, Sendable {
    case train, test

    /// The images file's canonical name, without `.gz`.
    public var imagesFileName: String { self == .train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte" }
    /// The labels file's canonical name, without `.gz`.
    public var labelsFileName: String { self == .train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte" }
}

/// One MNIST split as decoded bytes, checked, not yet converted to Float.
public struct MNISTBytes: Sendable, Equatable {
    public var split: MNISTSplit
    public var images: IDXImages
    public var labels: IDXLabels
    public var count: Int { labels.count }

    public init(split: MNISTSplit, images: IDXImages, labels: IDXLabels) {
        self.split = split
        self.images = images
        self.labels = labels
    }

    /// The examples at `rows` (all of them, in file order, when nil) as a `Dataset` of pixels 0…255.
    /// The pixels stay bytes (decoded as Float(byte) when a batch is gathered); all rows share this
    /// split's bytes without a copy.
    ///
    /// Row indices must lie in `0..<count`; callers pass indices they drew from `0..<count`.
    public func dataset(rows: [Int]? = nil) -> Dataset {
        let n = MNIST.features
        let m = rows?.count ?? count
        var y = [Int32](repeating: 0, count: m)
        for i in 0..<m { y[i] = Int32(labels.labels[rows?[i] ?? i]) }
        let bytes: [UInt8]
        if let rows {
            var chosen = [UInt8]()
            chosen.reserveCapacity(m * n)
            for r in rows { chosen.append(contentsOf: images.pixels[(r * n)..<((r + 1) * n)]) }
            bytes = chosen
        } else {
            bytes = images.pixels
        }
        return Dataset(name: "mnist-\(split.rawValue)", features: n, classes: MNIST.classes, bytes: bytes,
                       decoding: ByteDecoding { $0 }, labels: y)
    }
}

/// Loading MNIST from the bundled copy or a directory of IDX files.
public enum MNIST {
    /// Set this environment variable to a directory of the four IDX files to use them instead of the bundled copy.
    public static let directoryEnvironmentVariable = "BNLAB_MNIST_DIR"
    public static let rows = 28
    public static let columns = 28
    public static let features = rows * columns
    public static let classes = 10

    /// The directory MNIST loads from: `$BNLAB_MNIST_DIR` if set and non-empty, else the bundled copy.
    public static func defaultDirectory() throws -> URL {
        if let dir = ProcessInfo.processInfo.environment[directoryEnvironmentVariable], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        guard let url = Bundle.module.url(forResource: "MNIST", withExtension: nil) else {
            throw DataError.missingFile(path: Bundle.module.bundlePath + "/MNIST", alsoTried: [])
        }
        return url
    }

    /// The path of `name` in `directory`: `name.gz` if present, else `name` (plain IDX).
    public static func locate(_ name: String, in directory: URL) throws -> URL {
        let gz = directory.appendingPathComponent(name + ".gz")
        let plain = directory.appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: gz.path) { return gz }
        if FileManager.default.fileExists(atPath: plain.path) { return plain }
        throw DataError.missingFile(path: gz.path, alsoTried: [plain.path])
    }

    /// Reads and checks one split's images and labels from `directory` (default: ``defaultDirectory()``).
    public static func loadBytes(_ split: MNISTSplit, directory: URL? = nil) throws -> MNISTBytes {
        let dir = try directory ?? defaultDirectory()
        let imagesURL = try locate(split.imagesFileName, in: dir)
        let labelsURL = try locate(split.labelsFileName, in: dir)
        let images = try IDXFile.readImages(at: imagesURL)
        let labels = try IDXFile.readLabels(at: labelsURL)
        let imagesFile = imagesURL.lastPathComponent, labelsFile = labelsURL.lastPathComponent
        guard images.rows == rows, images.columns == columns else {
            throw DataError.wrongImageSize(file: imagesFile, expectedRows: rows, expectedColumns: columns,
                                           foundRows: images.rows, foundColumns: images.columns)
        }
        guard images.count == labels.count else {
            throw DataError.countMismatch(imagesFile: imagesFile, images: images.count, labelsFile: labelsFile, labels: labels.count)
        }
        if let bad = labels.labels.firstIndex(where: { Int($0) >= classes }) {
            throw DataError.labelOutOfRange(file: labelsFile, index: bad, label: Int(labels.labels[bad]), classes: classes)
        }
        return MNISTBytes(split: split, images: images, labels: labels)
    }

    /// One split as a `Dataset`: 784 features of raw pixel values 0…255, 10 classes. Not cached.
    public static func load(_ split: MNISTSplit, directory: URL? = nil) throws -> Dataset {
        try loadBytes(split, directory: directory).dataset()
    }
}
