// Checks the bundled MNIST against the facts in /work/shared/data/mnist/README.md.
// Deliberately left out: sha256 of the files (no CryptoKit in Linux Foundation; label counts and pixel
// moments already pin the contents) and the BNLAB_MNIST_DIR override (process-global, racy in parallel tests).
import BNEngine
import Foundation
import Testing
@testable import BNData

private func labelCounts(_ labels: [UInt8]) -> [Int] {
    var counts = [Int](repeating: 0, count: 10)
    for l in labels { counts[Int(l)] += 1 }
    return counts
}

/// Mean and std of all pixels ÷ 255, from a histogram of the bytes (exact, and fast in debug builds).
private func scaledPixelMoments(_ pixels: [UInt8]) -> (mean: Double, std: Double) {
    var histogram = [Int](repeating: 0, count: 256)
    pixels.withUnsafeBufferPointer { p in
        histogram.withUnsafeMutableBufferPointer { h in
            guard let src = p.baseAddress, let dst = h.baseAddress else { return }
            var k = 0
            while k < p.count { dst[Int(src[k])] += 1; k += 1 }
        }
    }
    let total = Double(pixels.count)
    var mean = 0.0, square = 0.0
    for (v, c) in histogram.enumerated() {
        let s = Double(v) / 255
        mean += s * Double(c) / total
        square += s * s * Double(c) / total
    }
    return (mean, (square - mean * mean).squareRoot())
}

private func rounded4(_ v: Double) -> Double { (v * 10_000).rounded() / 10_000 }

@Test func trainLabelCountsMatchTheReadme() throws {
    let train = try MNISTCache.shared.bytes(.train)
    #expect(train.count == 60_000)
    #expect(labelCounts(train.labels.labels) == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
}

@Test func testLabelCountsMatchTheReadme() throws {
    let test = try MNISTCache.shared.bytes(.test)
    #expect(test.count == 10_000)
    #expect(labelCounts(test.labels.labels) == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
}

@Test func scaledPixelMeanAndStdMatchTheReadme() throws {
    let train = scaledPixelMoments(try MNISTCache.shared.bytes(.train).images.pixels)
    let test = scaledPixelMoments(try MNISTCache.shared.bytes(.test).images.pixels)
    #expect(rounded4(train.mean) == 0.1307)
    #expect(rounded4(train.std) == 0.3081)
    #expect(rounded4(test.mean) == 0.1325)
    #expect(rounded4(test.std) == 0.3105)
}

@Test func loadGivesRawPixelsAs784FeaturesAnd10Classes() throws {
    let test = try MNIST.load(.test)
    #expect(test.count == 10_000)
    #expect(test.features == 784)
    #expect(test.classes == 10)
    let x = test.x  // decoded once (MNIST is stored as bytes)
    #expect(x.count == 10_000 * 784)
    #expect(x.min() == 0)
    #expect(x.max() == 255)
    let bytes = try MNISTCache.shared.bytes(.test)
    // Spot-check the conversion and the label order against the decoded bytes.
    for i in [0, 1, 4_999, 9_999] {
        #expect(test.labels[i] == Int32(bytes.labels.labels[i]))
        for j in [0, 300, 406, 783] {
            #expect(x[i * 784 + j] == Float(bytes.images.pixels[i * 784 + j]))
        }
    }
    #expect(test.labels.prefix(10) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
}

@Test func trainSplitHas60000Examples() throws {
    // Speed is measured by `bnlab bench`, not asserted here: test machines are shared and noisy.
    let train = try MNIST.load(.train)
    #expect(train.count == 60_000)
    #expect(train.features == 784)
}

@Test func cacheDecodesOnceAndReturnsTheSameBytes() throws {
    let cache = MNISTCache()
    let first = try cache.bytes(.test)
    let second = try cache.bytes(.test)
    #expect(first == second)
}

@Test func cacheIsSafeFromManyTasksAtOnce() async throws {
    let cache = MNISTCache()
    let counts = try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<4 { group.addTask { try cache.bytes(.test).count } }
        return try await group.reduce(into: [Int]()) { $0.append($1) }
    }
    #expect(counts == [10_000, 10_000, 10_000, 10_000])
}

@Test func plainUncompressedIDXFilesLoadToo() throws {
    let dir = try TempDirectory()
    for name in [MNISTSplit.test.imagesFileName, MNISTSplit.test.labelsFileName] {
        let gz = try MNIST.locate(name, in: MNIST.defaultDirectory())
        try Data(IDXFile.contents(of: gz)).write(to: dir.url.appendingPathComponent(name))
    }
    let plain = try MNIST.load(.test, directory: dir.url)
    let bundled = try MNIST.load(.test)
    #expect(plain.labels == bundled.labels)
    #expect(plain.x == bundled.x)
}
