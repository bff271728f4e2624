// Runs a batch_noise experiment: the spread of batch means for each batch size, and a table of it.

import BNData
import BNEngine

enum BatchNoiseRun {
    static func run(_ plan: BatchNoisePlan, experiment: String, seedOffset: UInt64) throws(RunError) -> (RunRecord, [NumberTable]) {
        var request = plan.data
        request.seed &+= seedOffset
        let seed = plan.seed &+ seedOffset
        let data: (train: Dataset, test: Dataset)
        do { data = try DataCatalog.load(request) } catch {
            throw RunError(experiment: experiment, message: "cannot load \(plan.data.dataset): \(error)")
        }
        var spec = plan.network
        spec.inputs = data.train.features
        spec.layers[spec.layers.count - 1].outputs = data.train.classes
        let network = Network(spec, seed: seed)
        let spread = BatchMeanSpread.measure(network: network, data: data.train, layer: plan.layer,
                                             batchSizes: plan.batchSizes, batches: plan.batches, seed: seed)
        var record = RunRecord()
        for (index, (m, s)) in zip(plan.batchSizes, spread).enumerated() {
            record.append(MetricKey(.batchSize), step: index, Double(m))
            record.append(MetricKey(.batchMeanSpread), step: index, s)
        }
        let table = NumberTable(
            title: "Spread of μ_B across \(plan.batches) batches, layer \(plan.layer) (mean over units)",
            columns: ["std of μ_B", "× √m"],
            rows: zip(plan.batchSizes, spread).map { m, s in
                NumberTable.Row(label: "m = \(m)", values: [s, s * Double(m).squareRoot()])
            })
        return (record, [table])
    }
}
