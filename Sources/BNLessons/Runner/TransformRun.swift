// The transform experiment: one small batch through the engine's BatchNorm, by the numbers.
//
// m = examples, n = features. Records, as one-point series at step 0:
//   max_abs_mean               max over features of |mean of x̂|            (should be ≈ 0)
//   max_abs_variance_minus_one max over features of |variance of x̂ − 1|   (≈ 0, up to ε/σ²)
//   identity_error             max |y − x| with γ = √(σ² + ε), β = μ        (≈ 0: BN can undo itself)
//   gamma_size, beta_size      how many numbers γ and β hold (n: per feature)
//   examples, features         m and n
//   max_abs_output             max |γ·x̂ + β| with the plan's γ, β

import BNEngine

enum TransformRun {
    static func run(_ plan: TransformPlan) -> (RunRecord, [NumberTable]) {
        let m = plan.examples, n = plan.features
        let x = Tensor(rows: m, columns: n, values: plan.batch)
        let bn = BatchNorm(features: n, epsilon: plan.epsilon)
        let cache = BatchNorm.Cache(rows: m, features: n)
        // γ = 1, β = 0: y is x̂ itself.
        let xHat = Tensor(rows: m, columns: n)
        bn.forwardTrain(x, into: xHat, rows: m, ghostSize: m, cache: cache, updateRunningStatistics: false)
        let mu = (0..<n).map { cache.mean[0, $0] }
        let variance = (0..<n).map { cache.variance[0, $0] }
        var maxAbsMean = 0.0, maxAbsVarianceMinusOne = 0.0
        for j in 0..<n {
            var sum = 0.0, squares = 0.0
            for i in 0..<m { sum += Double(xHat[i, j]) }
            let mean = sum / Double(m)
            for i in 0..<m { squares += (Double(xHat[i, j]) - mean) * (Double(xHat[i, j]) - mean) }
            maxAbsMean = max(maxAbsMean, abs(mean))
            maxAbsVarianceMinusOne = max(maxAbsVarianceMinusOne, abs(squares / Double(m) - 1))
        }
        // γ = √(σ² + ε), β = μ: BN gives back its input.
        bn.setIdentity(mean: mu, variance: variance)
        let identity = Tensor(rows: m, columns: n)
        bn.forwardTrain(x, into: identity, rows: m, ghostSize: m, cache: cache, updateRunningStatistics: false)
        var identityError = 0.0
        for i in 0..<(m * n) { identityError = max(identityError, Double(abs(identity.pointer[i] - x.pointer[i]))) }
        // The plan's γ and β.
        bn.gamma.value.copy(from: plan.gamma)
        bn.beta.value.copy(from: plan.beta)
        let y = Tensor(rows: m, columns: n)
        bn.forwardTrain(x, into: y, rows: m, ghostSize: m, cache: cache, updateRunningStatistics: false)
        let maxAbsOutput = y.values.map { Double(abs($0)) }.max() ?? 0
        let minAbsOutput = y.values.map { Double(abs($0)) }.min() ?? 0

        var record = RunRecord()
        let measured: [(MetricName, Double)] = [
            (.maxAbsMean, maxAbsMean), (.maxAbsVarianceMinusOne, maxAbsVarianceMinusOne),
            (.identityError, identityError), (.gammaSize, Double(bn.gamma.count)), (.betaSize, Double(bn.beta.count)),
            (.examples, Double(m)), (.features, Double(n)), (.maxAbsOutput, maxAbsOutput),
            (.minAbsOutput, minAbsOutput),
        ]
        for (name, value) in measured { record.append(MetricKey(name), step: 0, value) }

        let columns = (1...n).map { "feature \($0)" }
        func rows(_ t: Tensor, _ symbol: String) -> [NumberTable.Row] {
            (0..<m).map { i in NumberTable.Row(label: "\(symbol) example \(i + 1)", values: (0..<n).map { Double(t[i, $0]) }) }
        }
        let table = NumberTable(title: "One mini-batch: m = \(m) examples × n = \(n) features", columns: columns, rows:
            rows(x, "x") + [
                NumberTable.Row(label: "μ (batch mean)", values: mu.map(Double.init)),
                NumberTable.Row(label: "σ² (batch variance)", values: variance.map(Double.init)),
            ] + rows(xHat, "x̂") + [
                NumberTable.Row(label: "γ", values: plan.gamma.map(Double.init)),
                NumberTable.Row(label: "β", values: plan.beta.map(Double.init)),
            ] + rows(y, "y = γx̂ + β"))
        return (record, [table])
    }
}
