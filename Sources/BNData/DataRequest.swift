// What a lesson asks the data layer for: which dataset, how scaled, how much of it, which seed.
//
// Deliberately left out: validation (DataCatalog.load does it, so errors come from one place) and
// any parsing from lesson text (BNLessons owns the lesson format).

/// A request for a (train, test) pair from ``DataCatalog``.
public struct DataRequest: Sendable, Equatable {
    /// One of ``DataCatalog/names``: "mnist", "moons", "spirals", "blobs".
    public var dataset: String
    /// How features are scaled; `scaled` and `binarized` apply to MNIST only.
    public var scaling: InputScaling
    /// Training examples; nil means all 60 000 for MNIST, ``DataCatalog/defaultSyntheticSize`` for synthetic sets.
    public var trainSize: Int?
    /// Held-out test examples; nil means all 10 000 for MNIST, ``DataCatalog/defaultSyntheticSize`` for synthetic sets.
    public var testSize: Int?
    /// Chooses MNIST subsets and generates synthetic points. Same seed, same data.
    public var seed: UInt64
    /// Synthetic sets: standard deviation of the Gaussian noise on each coordinate.
    public var noise: Double
    /// Spirals: number of arms (= classes).
    public var arms: Int
    /// Blobs: number of classes (one blob each).
    public var blobClasses: Int
    /// Blobs: feature j is stretched by `featureScales[j]`; its count is the number of features.
    public var featureScales: [Double]

    public init(
        dataset: String,
        scaling: InputScaling = .raw,
        trainSize: Int? = nil,
        testSize: Int? = nil,
        seed: UInt64 = 0,
        noise: Double = 0.1,
        arms: Int = 3,
        blobClasses: Int = 3,
        featureScales: [Double] = [1, 100]
    ) {
        self.dataset = dataset
        self.scaling = scaling
        self.trainSize = trainSize
        self.testSize = testSize
        self.seed = seed
        self.noise = noise
        self.arms = arms
        self.blobClasses = blobClasses
        self.featureScales = featureScales
    }
}
