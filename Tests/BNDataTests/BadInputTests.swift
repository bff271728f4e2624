// Every error a user can cause with bad MNIST files: crafted files in a temp directory, no traps.
// Deliberately left out: unreadable-permission files (root in CI reads everything).
import Foundation
import BNEngine
import Testing
@testable import BNData

private let images = MNISTSplit.test.imagesFileName
private let labels = MNISTSplit.test.labelsFileName

/// Writes a test split into a fresh directory and returns the error `MNIST.load(.test)` throws.
private func loadError(images imageBytes: [UInt8], labels labelBytes: [UInt8],
                       imagesName: String = images, labelsName: String = labels) throws -> DataError? {
    let dir = try TempDirectory()
    try dir.write(imageBytes, as: imagesName)
    try dir.write(labelBytes, as: labelsName)
    do {
        _ = try MNIST.load(.test, directory: dir.url)
        return nil
    } catch let error as DataError {
        return error
    }
}

@Test func craftedGoodFilesLoadPlainAndGzipped() throws {
    let plain = try #require(try? {
        let dir = try TempDirectory()
        try dir.write(imagesIDX(count: 3), as: images)
        try dir.write(labelsIDX([0, 9, 4]), as: labels)
        return try MNIST.load(.test, directory: dir.url)
    }())
    #expect(plain.labels == [0, 9, 4])
    #expect(plain.x.allSatisfy { $0 == 7 })

    let dir = try TempDirectory()
    try dir.write(gzipStored(imagesIDX(count: 100)), as: images + ".gz")  // > 64 KiB: several stored blocks
    try dir.write(gzipStored(labelsIDX([UInt8](repeating: 3, count: 100))), as: labels + ".gz")
    let gzipped = try MNIST.load(.test, directory: dir.url)
    #expect(gzipped.count == 100)
    #expect(gzipped.labels.allSatisfy { $0 == 3 })
}

@Test func missingFileNamesThePath() throws {
    let dir = try TempDirectory()
    try dir.write(labelsIDX([1]), as: labels)
    #expect(throws: DataError.missingFile(path: dir.url.appendingPathComponent(images + ".gz").path,
                                          alsoTried: [dir.url.appendingPathComponent(images).path])) {
        try MNIST.load(.test, directory: dir.url)
    }
    let message = String(describing: DataError.missingFile(path: "/x/t10k-images-idx3-ubyte.gz", alsoTried: []))
    #expect(message.contains("/x/t10k-images-idx3-ubyte.gz"))
    #expect(message.contains("BNLAB_MNIST_DIR"))
}

/// $BNLAB_MNIST_DIR can point anywhere: a folder or a FIFO where a file should be is named, not read
/// (a FIFO's ordinary open would wait for a writer forever).
@Test func aFolderOrFIFOInPlaceOfAFileIsNamed() throws {
    let dir = try TempDirectory()
    try dir.write(labelsIDX([1]), as: labels)
    let path = dir.url.appendingPathComponent(images).path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
    #expect(throws: DataError.unreadableFile(path: path, reason: "it is a directory, not a regular file")) {
        try MNIST.load(.test, directory: dir.url)
    }
    try FileManager.default.removeItem(atPath: path)
    #expect(mkfifo(path, 0o644) == 0)
    #expect(throws: DataError.unreadableFile(path: path, reason: "it is a FIFO, not a regular file")) {
        try MNIST.load(.test, directory: dir.url)
    }
    let message = String(describing: DataError.unreadableFile(path: path, reason: "it is a FIFO, not a regular file"))
    #expect(message.contains(path) && message.contains("BNLAB_MNIST_DIR"))
}

@Test func truncatedImagesSayBytesExpectedAndFound() throws {
    let short = Array(imagesIDX(count: 2).dropLast(100))
    let error = try loadError(images: short, labels: labelsIDX([1, 2]))
    #expect(error == .truncatedFile(file: images, expectedBytes: 16 + 2 * 784, foundBytes: 16 + 2 * 784 - 100))
    #expect(String(describing: try #require(error)).contains("promises 1584 bytes but the file holds 1484"))
}

@Test func fileShorterThanItsHeaderIsTruncated() throws {
    #expect(try loadError(images: [0, 0, 8], labels: labelsIDX([1]))
        == .truncatedFile(file: images, expectedBytes: 16, foundBytes: 3))
    #expect(try loadError(images: [], labels: labelsIDX([1]))
        == .truncatedFile(file: images, expectedBytes: 16, foundBytes: 0))
}

@Test func truncatedLabels() throws {
    let short = Array(labelsIDX([1, 2, 3]).dropLast())
    #expect(try loadError(images: imagesIDX(count: 3), labels: short)
        == .truncatedFile(file: labels, expectedBytes: 11, foundBytes: 10))
}

@Test func hugeHeaderCountsDoNotOverflowOrTrap() throws {
    let header = bigEndian(0x803) + bigEndian(.max) + bigEndian(.max) + bigEndian(.max)
    let error = try #require(try loadError(images: header, labels: labelsIDX([1])))
    guard case let .truncatedFile(file, _, found) = error else { Issue.record("got \(error)"); return }
    #expect(file == images)
    #expect(found == 16)
}

@Test func corruptGzipIsReported() throws {
    var gz = gzipStored(imagesIDX(count: 1))
    gz[10] = 0x07  // BTYPE = 11: a reserved, invalid block type
    let error = try #require(try loadError(images: gz, labels: labelsIDX([1]), imagesName: images + ".gz"))
    guard case let .corruptGzip(file, detail) = error else { Issue.record("got \(error)"); return }
    #expect(file == images + ".gz")
    #expect(!detail.isEmpty)
}

@Test func gzipWithBadChecksumIsCorrupt() throws {
    var gz = gzipStored(labelsIDX([1, 2]))
    gz[gz.count - 8] ^= 0xff  // CRC32 of the trailer
    let error = try loadError(images: imagesIDX(count: 2), labels: gz, labelsName: labels + ".gz")
    guard case .corruptGzip(labels + ".gz", _) = try #require(error) else { Issue.record("got \(String(describing: error))"); return }
}

@Test func truncatedGzipIsReportedNotTrapped() throws {
    let bundled = try MNIST.locate(labels, in: MNIST.defaultDirectory())
    let whole = [UInt8](try Data(contentsOf: bundled))
    for keep in [2, 10, 100, whole.count / 2, whole.count - 1] {
        let error = try #require(try loadError(images: imagesIDX(count: 1), labels: Array(whole.prefix(keep)),
                                               labelsName: labels + ".gz"))
        guard case .corruptGzip(labels + ".gz", _) = error else { Issue.record("keep \(keep): got \(error)"); continue }
    }
}

@Test func randomBytesAfterGzipMagicNeverTrap() throws {
    var rng = SplitMix64(seed: 42)
    for length in [2, 17, 18, 40, 1000] {
        let bytes = [0x1f, 0x8b] + (2..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
        #expect(throws: DataError.self) { try Gzip.decompress(bytes, file: "noise.gz") }
    }
}

@Test func swappedFilesGiveWrongMagicWithBothNumbers() throws {
    let error = try loadError(images: labelsIDX([1]), labels: labelsIDX([1]))
    #expect(error == .wrongMagic(file: images, expected: 0x803, found: 0x801))
    #expect(String(describing: try #require(error)).contains("magic number 0x00000801, expected 0x00000803"))
    #expect(try loadError(images: imagesIDX(count: 1), labels: imagesIDX(count: 1))
        == .wrongMagic(file: labels, expected: 0x801, found: 0x803))
}

@Test func imageAndLabelCountMismatch() throws {
    let error = try loadError(images: imagesIDX(count: 2), labels: labelsIDX([1, 2, 3]))
    #expect(error == .countMismatch(imagesFile: images, images: 2, labelsFile: labels, labels: 3))
    #expect(String(describing: try #require(error)).contains("holds 2 images but"))
}

@Test func labelOutOfRangeNamesIndexAndValue() throws {
    let error = try loadError(images: imagesIDX(count: 3), labels: labelsIDX([1, 10, 200]))
    #expect(error == .labelOutOfRange(file: labels, index: 1, label: 10, classes: 10))
}

@Test func wrongImageSize() throws {
    #expect(try loadError(images: imagesIDX(count: 1, rows: 2, columns: 3), labels: labelsIDX([1]))
        == .wrongImageSize(file: images, expectedRows: 28, expectedColumns: 28, foundRows: 2, foundColumns: 3))
}

@Test func unknownDatasetListsTheKnownOnes() throws {
    #expect(throws: DataError.unknownDataset(name: "cifar", known: DataCatalog.names)) {
        try DataCatalog.load(DataRequest(dataset: "cifar"))
    }
    let message = DataError.unknownDataset(name: "cifar", known: DataCatalog.names).localizedDescription
    #expect(message == "Unknown dataset \"cifar\". Known datasets: mnist, moons, spirals, blobs.")
}
