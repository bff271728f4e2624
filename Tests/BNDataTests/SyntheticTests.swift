// Synthetic sets and the catalog's handling of them.
// Deliberately left out: checks that a net can learn them (that belongs to the engine's and lessons' tests).
import BNEngine
import Foundation
import Testing
@testable import BNData

@Test func syntheticSetsAreSeededAndDeterministic() throws {
    #expect(try Synthetic.moons(count: 50, noise: 0.1, seed: 1).x == Synthetic.moons(count: 50, noise: 0.1, seed: 1).x)
    #expect(try Synthetic.moons(count: 50, noise: 0.1, seed: 1).x != Synthetic.moons(count: 50, noise: 0.1, seed: 2).x)
    #expect(try Synthetic.spirals(count: 60, arms: 3, noise: 0.05, seed: 4).x == Synthetic.spirals(count: 60, arms: 3, noise: 0.05, seed: 4).x)
    #expect(try Synthetic.blobs(count: 60, classes: 3, featureScales: [1, 100], noise: 0.5, seed: 9).x
        == Synthetic.blobs(count: 60, classes: 3, featureScales: [1, 100], noise: 0.5, seed: 9).x)
}

@Test func noiselessMoonsLieOnTheirHalfCircles() throws {
    let d = try Synthetic.moons(count: 200, noise: 0, seed: 3)
    #expect(d.features == 2 && d.classes == 2 && d.count == 200)
    for i in 0..<d.count {
        let (x, y) = (Double(d.x[2 * i]), Double(d.x[2 * i + 1]))
        let (cx, cy) = d.labels[i] == 0 ? (0.0, 0.0) : (1.0, 0.5)
        #expect(abs(((x - cx) * (x - cx) + (y - cy) * (y - cy)).squareRoot() - 1) < 1e-5)
        #expect(d.labels[i] == 0 ? y >= -1e-6 : y <= 0.5 + 1e-6)
    }
}

@Test func spiralsHaveOneClassPerArmBalanced() throws {
    let d = try Synthetic.spirals(count: 300, arms: 5, noise: 0, seed: 2)
    #expect(d.classes == 5 && d.features == 2)
    for k in 0..<5 { #expect(d.labels.filter { $0 == Int32(k) }.count == 60) }
    // Without noise every point is within the unit disc.
    for i in 0..<d.count { #expect(Double(d.x[2 * i] * d.x[2 * i] + d.x[2 * i + 1] * d.x[2 * i + 1]) <= 1 + 1e-5) }
    #expect(throws: DataError.self) { try Synthetic.spirals(count: 10, arms: 1, noise: 0, seed: 0) }
}

@Test func blobsFeatureScalesStretchEachFeature() throws {
    let d = try Synthetic.blobs(count: 3_000, classes: 3, featureScales: [1, 100], noise: 1, seed: 5)
    let stats = FeatureStatistics(of: d)
    let ratio = stats.std[1] / stats.std[0]
    #expect(ratio > 30 && ratio < 300, "std ratio \(ratio)")
    #expect(throws: DataError.self) { try Synthetic.blobs(count: 10, classes: 3, featureScales: [1, 0], noise: 1, seed: 0) }
    #expect(throws: DataError.self) { try Synthetic.moons(count: 10, noise: -1, seed: 0) }
}

@Test func catalogSplitsSyntheticSetsSharingOneDistribution() throws {
    let (train, test) = try DataCatalog.load(DataRequest(dataset: "blobs", scaling: .zscore, trainSize: 300, testSize: 90, seed: 8))
    #expect(train.count == 300 && test.count == 90)
    #expect(train.name == "blobs-train" && test.name == "blobs-test")
    let s = FeatureStatistics(of: train)
    #expect(abs(s.std[0] - 1) < 1e-4 && abs(s.std[1] - 1) < 1e-4)
    let (moons, moonsTest) = try DataCatalog.load(DataRequest(dataset: "Moons"))
    #expect(moons.count == DataCatalog.defaultSyntheticSize && moonsTest.count == DataCatalog.defaultSyntheticSize)
}

@Test func pixelScalingsAreRefusedForSyntheticSets() {
    #expect(throws: DataError.invalidRequest("Scaling \"binarized\" is for pixel data 0…255; for spirals use \"raw\" or \"zscore\".")) {
        try DataCatalog.load(DataRequest(dataset: "spirals", scaling: .binarized))
    }
}

@Test func everyCatalogNameLoads() throws {
    for name in DataCatalog.names {
        let (train, test) = try DataCatalog.load(DataRequest(dataset: name, scaling: .zscore, trainSize: 100, testSize: 20, seed: 1))
        #expect(train.count == 100 && test.count == 20, "\(name)")
        #expect(train.x.allSatisfy { $0.isFinite }, "\(name)")
    }
}
