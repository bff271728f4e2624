// Decodes a batch_noise experiment: data, a network whose layer is measured, batch sizes, batch count.

import BNData
import BNEngine

enum BatchNoisePlanDecoder {
    static let keys = ["data", "network", "layer", "batch_sizes", "batches"]

    /// The most batches one measurement may draw.
    static let maximumBatches = 100_000

    static func decode(_ r: MappingReader) throws(LessonError) -> BatchNoisePlan {
        let seed = try TrainPlanDecoder.decodeSeed(r)
        guard let dataValue = r.value("data") else {
            throw LessonError(r.location, "the experiment has no 'data'", hint: "add data: { dataset: mnist }")
        }
        let data = try TrainPlanDecoder.decodeData(MappingReader(dataValue, context: "data", knownKeys: TrainPlanDecoder.dataKeys), seed: seed)
        guard let networkValue = r.value("network") else {
            throw LessonError(r.location, "the experiment has no 'network'", hint: "add network: { hidden: [100], activation: sigmoid }")
        }
        let network = try TrainPlanDecoder.decodeNetwork(MappingReader(networkValue, context: "network", knownKeys: TrainPlanDecoder.networkKeys))
        let layer = try r.int("layer") ?? 1
        guard layer >= 1, layer <= network.layers.count else {
            throw LessonError(r.keyLocation("layer"), "there is no layer \(layer): the network has \(network.layers.count)",
                              hint: "layers count from 1, the output layer last")
        }
        guard let sizes = try r.intList("batch_sizes"), sizes.count >= 2 else {
            throw LessonError(r.value("batch_sizes")?.location ?? r.location, "'batch_sizes' needs at least two sizes",
                              hint: "write batch_sizes: [4, 16, 64, 256]")
        }
        if sizes.count > TrainingConfig.maximumListLength {
            throw LessonError(r.keyLocation("batch_sizes"), "\(sizes.count) batch sizes; at most \(TrainingConfig.maximumListLength)",
                              hint: "write batch_sizes: [4, 16, 64, 256]")
        }
        if let bad = sizes.first(where: { $0 < 2 }) {
            throw LessonError(r.keyLocation("batch_sizes"), "batch size \(bad) is too small: a spread of means needs m ≥ 2")
        }
        let trainCount = TrainPlanDecoder.trainCount(data)
        if let bad = sizes.first(where: { $0 > trainCount }) {
            throw LessonError(r.keyLocation("batch_sizes"), "batch size \(bad) is larger than the training set (\(trainCount) examples)")
        }
        let batches = try r.int("batches") ?? 200
        guard (2...maximumBatches).contains(batches) else {
            throw LessonError(r.value("batches")?.location ?? r.location, "'batches' must be in 2…\(maximumBatches) (got \(batches))",
                              hint: "write e.g. batches: 200")
        }
        return BatchNoisePlan(data: data, network: network, layer: layer, batchSizes: sizes, batches: batches, seed: seed)
    }
}
