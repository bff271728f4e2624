// The one entry point the lesson engine calls: a DataRequest in, a scaled (train, test) pair out.
//
// Deliberately left out: registering datasets at run time (the set is small and fixed) and any
// progress reporting (the MNIST train split loads in ~0.25 s release, once per process thanks to MNISTCache).

import BNEngine
import Foundation

/// The datasets bnlab knows, by name.
public enum DataCatalog {
    /// Every dataset name ``load(_:)`` accepts.
    public static let names = ["mnist", "moons", "spirals", "blobs"]
    /// Examples per split of a synthetic set when the request leaves the size out.
    public static let defaultSyntheticSize = 1000

    /// Loads, subsets and scales the requested dataset.
    ///
    /// MNIST's held-out test split stays separate: subsets of train and test are drawn independently
    /// (from different streams of the same seed) and z-score statistics are fitted on the returned
    /// training set only. Synthetic sets generate trainSize + testSize points in one seeded draw (so
    /// both splits share blob centres) and split them; labels cycle through the classes, so both
    /// splits are balanced.
    public static func load(_ request: DataRequest) throws -> (train: Dataset, test: Dataset) {
        let name = request.dataset.lowercased()
        guard names.contains(name) else { throw DataError.unknownDataset(name: request.dataset, known: names) }
        for (label, size) in [("trainSize", request.trainSize), ("testSize", request.testSize)] {
            if let size, size < 0 { throw DataError.invalidRequest("\(label) must be ≥ 0, got \(size).") }
        }
        if name != "mnist", request.scaling == .scaled || request.scaling == .binarized {
            throw DataError.invalidRequest(
                "Scaling \"\(request.scaling.rawValue)\" is for pixel data 0…255; for \(name) use \"raw\" or \"zscore\".")
        }
        let pair = name == "mnist" ? try mnist(request) : try synthetic(name, request)
        return Preprocessing.apply(request.scaling, train: pair.train, test: pair.test)
    }

    private static func mnist(_ request: DataRequest) throws -> (train: Dataset, test: Dataset) {
        let train = try MNISTCache.shared.bytes(.train)
        let test = try MNISTCache.shared.bytes(.test)
        func rows(_ size: Int?, of split: MNISTBytes, stream: UInt64) throws -> [Int]? {
            guard let size else { return nil }
            return try Subsets.indices(choosing: size, from: split.count, seed: streamSeed(request.seed, stream))
        }
        return (train.dataset(rows: try rows(request.trainSize, of: train, stream: 1)),
                test.dataset(rows: try rows(request.testSize, of: test, stream: 2)))
    }

    private static func synthetic(_ name: String, _ request: DataRequest) throws -> (train: Dataset, test: Dataset) {
        let trainSize = request.trainSize ?? defaultSyntheticSize
        let testSize = request.testSize ?? defaultSyntheticSize
        let count = trainSize + testSize
        let all: Dataset
        switch name {
        case "moons":
            all = try Synthetic.moons(count: count, noise: request.noise, seed: request.seed)
        case "spirals":
            all = try Synthetic.spirals(count: count, arms: request.arms, noise: request.noise, seed: request.seed)
        default:
            all = try Synthetic.blobs(count: count, classes: request.blobClasses, featureScales: request.featureScales,
                                      noise: request.noise, seed: request.seed)
        }
        return (all.subset(Array(0..<trainSize), name: "\(name)-train"),
                all.subset(Array(trainSize..<count), name: "\(name)-test"))
    }

    /// An independent seed per use of one request seed (one SplitMix64 step of seed ⊕ stream).
    private static func streamSeed(_ seed: UInt64, _ stream: UInt64) -> UInt64 {
        var rng = SplitMix64(seed: seed ^ (stream &* 0x9E37_79B9_7F4A_7C15))
        return rng.next()
    }
}
