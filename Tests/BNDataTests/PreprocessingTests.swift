// Input scalings: z-score, binarized, scaled, raw.
// Deliberately left out: full-MNIST z-score (a 5 000-example subset keeps debug runs fast).
import BNEngine
import Testing
@testable import BNData

@Test func zscoreGivesMeanZeroStdOneAndZeroForConstantFeatures() {
    // Feature 0 varies, feature 1 is constant, feature 2 varies on a large scale.
    let train = Dataset(name: "t", features: 3, classes: 2, x: [1, 5, 100, 2, 5, 300, 3, 5, 500], labels: [0, 1, 0])
    let test = Dataset(name: "u", features: 3, classes: 2, x: [2, 9, 300], labels: [1])
    let (zTrain, zTest) = Preprocessing.apply(.zscore, train: train, test: test)
    let stats = FeatureStatistics(of: zTrain)
    #expect(abs(stats.mean[0]) < 1e-6 && abs(stats.mean[2]) < 1e-6)
    #expect(abs(stats.std[0] - 1) < 1e-6 && abs(stats.std[2] - 1) < 1e-6)
    #expect(zTrain.x[1] == 0 && zTrain.x[4] == 0 && zTrain.x[7] == 0)
    // The test split uses the training statistics: x = mean → 0, and the constant feature → 0 even at 9.
    #expect(zTest.x == [0, 0, 0])
}

@Test func zscoreOnMNISTFitsOnTrainAndAppliesToTest() throws {
    let (train, test) = try DataCatalog.load(DataRequest(dataset: "mnist", scaling: .zscore, trainSize: 5_000, testSize: 1_000, seed: 1))
    let stats = FeatureStatistics(of: train)
    let raw = FeatureStatistics(of: try DataCatalog.load(DataRequest(dataset: "mnist", trainSize: 5_000, testSize: 0, seed: 1)).train)
    var constant = 0
    for j in 0..<784 {
        if raw.std[j] == 0 {
            constant += 1
            #expect(stats.mean[j] == 0 && stats.std[j] == 0)
        } else {
            #expect(abs(stats.mean[j]) < 1e-4, "feature \(j) mean \(stats.mean[j])")
            #expect(abs(stats.std[j] - 1) < 1e-3, "feature \(j) std \(stats.std[j])")
        }
    }
    #expect(constant > 0)  // MNIST's corners are always 0
    // The held-out test split is transformed with the training μ and σ, not its own.
    let rawTest = try DataCatalog.load(DataRequest(dataset: "mnist", trainSize: 0, testSize: 1_000, seed: 1)).test
    let j = 406  // a central pixel, never constant
    let expected = (rawTest.x[j] - raw.mean[j]) / raw.std[j]
    #expect(abs(test.x[j] - expected) < 1e-4)
}

@Test func binarizedIsOnlyZeroAndOneWithThresholdAbove127() {
    let d = Dataset(name: "p", features: 4, classes: 1, x: [0, 127, 128, 255], labels: [0])
    let (b, _) = Preprocessing.apply(.binarized, train: d, test: d)
    #expect(b.x == [0, 0, 1, 1])
}

@Test func binarizedMNISTHoldsOnlyZerosAndOnes() throws {
    let (train, test) = try DataCatalog.load(DataRequest(dataset: "mnist", scaling: .binarized, trainSize: 2_000, testSize: 2_000, seed: 3))
    #expect(Set(train.x) == [0, 1])
    #expect(Set(test.x) == [0, 1])
}

@Test func scaledDividesBy255AndRawKeepsPixels() throws {
    let (scaled, _) = try DataCatalog.load(DataRequest(dataset: "mnist", scaling: .scaled, trainSize: 500, testSize: 10, seed: 5))
    let (raw, _) = try DataCatalog.load(DataRequest(dataset: "mnist", scaling: .raw, trainSize: 500, testSize: 10, seed: 5))
    #expect(scaled.x.max() == 1)
    #expect(raw.x.max() == 255)
    #expect(zip(scaled.x, raw.x).allSatisfy { $0 == $1 / 255 })
    #expect(scaled.labels == raw.labels)
}

@Test func scalingNamesRoundTripForLessonFiles() {
    #expect(InputScaling.allCases.map(\.rawValue) == ["raw", "scaled", "zscore", "binarized"])
    #expect(InputScaling(rawValue: "zscore") == .zscore)
}

/// Byte-stored pixels (MNIST) decode, under every scaling, to exactly the Floats the Float path computes,
/// through `x`, through `copyRow` (the batch gather) and after `subset`. Rows of 21 bytes start with a
/// run of 9 zeros and are half zeros after it, so the decoder's 8-zero-byte vector path, its byte-by-byte
/// path and its tail all run.
@Test(arguments: InputScaling.allCases)
func bytePixelsDecodeBitForBitAsFloats(scaling: InputScaling) {
    var rng = SplitMix64(seed: 5)
    let n = 21, m = 9
    let bytes = (0..<(m * n)).map { i in i % n < 9 || rng.index(below: 2) == 0 ? UInt8(0) : UInt8(rng.index(below: 256)) }
    let labels = (0..<m).map { Int32($0 % 3) }
    let asBytes = Dataset(name: "b", features: n, classes: 3, bytes: bytes, decoding: ByteDecoding { $0 }, labels: labels)
    let asFloats = Dataset(name: "f", features: n, classes: 3, x: bytes.map { Float($0) }, labels: labels)
    let (bTrain, bTest) = Preprocessing.apply(scaling, train: asBytes, test: asBytes.prefix(4))
    let (fTrain, fTest) = Preprocessing.apply(scaling, train: asFloats, test: asFloats.prefix(4))
    #expect(bTrain.byteStorage != nil, "the bytes stay bytes")
    #expect(bTrain.x.map(\.bitPattern) == fTrain.x.map(\.bitPattern))
    #expect(bTest.x.map(\.bitPattern) == fTest.x.map(\.bitPattern))
    var row = [Float](repeating: .nan, count: n)
    row.withUnsafeMutableBufferPointer { bTrain.copyRow(7, into: $0.baseAddress!) }
    #expect(row.map(\.bitPattern) == Array(fTrain.x[(7 * n)..<(8 * n)]).map(\.bitPattern))
    #expect(bTrain.subset([8, 2, 2]).x.map(\.bitPattern) == fTrain.subset([8, 2, 2]).x.map(\.bitPattern))
}
