import Foundation
import Testing
import BNVerify

/// The normalization zoo and weight decay against PyTorch (shared/reference/torch-reference-norms.json,
/// copied as a fixture): LayerNorm, GroupNorm, Batch Renorm, SGD/Adam with weight decay, AdamW.
@Suite struct NormsReferenceTests {
    typealias Object = [String: Any]
    static let fixture = Bundle.module.url(forResource: "torch-reference-norms", withExtension: "json", subdirectory: "Fixtures")

    static func cases() throws -> (Object, [Object]) {
        let url = try #require(Self.fixture)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? Object)
        return (object, try #require(object["cases"] as? [Object]))
    }

    /// The results after `edit` changed case `name`.
    static func results(editing name: String, _ edit: (inout Object) throws -> Void) throws -> [ReferenceCaseResult] {
        var (object, cases) = try cases()
        let index = try #require(cases.firstIndex { $0["name"] as? String == name })
        try edit(&cases[index])
        object["cases"] = cases
        return try ReferenceCheck.run(data: JSONSerialization.data(withJSONObject: object))
    }

    @Test func everyNormsCaseMatchesPyTorchWithin1e4() throws {
        let url = try #require(Self.fixture)
        let results = try ReferenceCheck.run(fileAt: url)
        #expect(results.count == 14)
        #expect(Set(results.map(\.kind)) == ["layernorm", "groupnorm", "batchrenorm", "optimizer"])
        for result in results {
            // |a − b| ≤ 1e-4 · max(1, |b|), the float32 tolerance of shared/reference/README.md
            #expect(result.maxScaledError <= 1e-4, "\(result.name): worst \(result.maxScaledError) in \(result.worstField)")
            #expect(result.comparedValues > 0)
        }
    }

    @Test(arguments: [("ln_4x6", "dx"), ("gn_4x6_g2", "dgamma"), ("brn_8x5", "first_batch.d"), ("brn_8x5", "first_batch.dx")])
    func aPerturbedExpectationFails(_ name: String, _ field: String) throws {
        let results = try Self.results(editing: name) { c in
            var expect = try #require(c["expect"] as? Object)
            let path = field.split(separator: ".").map(String.init)
            var parent = path.count == 2 ? try #require(expect[path[0]] as? Object) : expect
            let key = path[path.count - 1]
            if var matrix = parent[key] as? [[Double]] { matrix[0][0] += 0.01; parent[key] = matrix }
            else if var vector = parent[key] as? [Double] { vector[0] += 0.01; parent[key] = vector }
            if path.count == 2 { expect[path[0]] = parent } else { expect = parent }
            c["expect"] = expect
        }
        #expect(results.first { $0.name == name }?.passed == false)
        let others = results.filter { $0.name != name }
        #expect(others.count == 13 && others.allSatisfy { $0.passed })
    }

    /// Nothing is baked in: the checker reads the groups, the limits and the decay from each case, so a
    /// case whose field is changed no longer matches its (unchanged) expectations.
    @Test(arguments: [("gn_60x100_g10", "groups", 5.0), ("brn_8x5", "rmax", 2.0), ("brn_8x5", "dmax", 1.0),
                      ("brn_60x100", "eps", 0.1), ("ln_4x6", "eps", 0.5)])
    func aChangedSettingIsReadFromTheCase(_ name: String, _ field: String, _ value: Double) throws {
        let results = try Self.results(editing: name) { $0[field] = value }
        #expect(results.first { $0.name == name }?.passed == false)
    }

    @Test(arguments: [("sgd_wd", 0.2), ("adamw", 0.5), ("adam_wd", 0.0)])
    func aChangedWeightDecayIsReadFromTheCase(_ name: String, _ decay: Double) throws {
        let results = try Self.results(editing: name) { c in
            var hyper = try #require(c["hyper"] as? Object)
            hyper["weight_decay"] = decay
            c["hyper"] = hyper
        }
        #expect(results.first { $0.name == name }?.passed == false)
    }

    @Test func groupsThatDoNotDivideTheFeaturesAreAnError() throws {
        #expect {
            try Self.results(editing: "gn_4x6_g2") { $0["groups"] = 4 }
        } throws: { "\($0)".contains("case 'gn_4x6_g2'.groups") }
    }

    @Test func aBatchRenormDyWithFewerRowsIsAnError() throws {
        #expect {
            try Self.results(editing: "brn_8x5") { c in
                let dy = try #require(c["dy"] as? [[Double]])
                c["dy"] = Array(dy.dropLast())
            }
        } throws: { "\($0)".contains("case 'brn_8x5'.dy") && "\($0)".contains("rows") }
    }
}
