import Foundation
import Testing
import BNVerify

/// `bnlab verify` refuses what it cannot check: each malformed file is an error that names the case
/// and the field, never a pass, a trap or a read past a buffer. Each test edits one case of the
/// shipped fixture, so the rest of the file stays valid.
@Suite struct StrictnessTests {
    typealias Object = [String: Any]

    static func fixture() throws -> Object {
        let url = try #require(ReferenceTests.fixture)
        return try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? Object)
    }

    /// Runs the fixture with only case `index`, after `edit` changed it; returns the error's text.
    static func error(inCase index: Int, _ edit: (inout Object) throws -> Void) throws -> String {
        var object = try fixture()
        let cases = try #require(object["cases"] as? [Object])
        var c = cases[index]
        try edit(&c)
        object["cases"] = [c]
        do {
            _ = try ReferenceCheck.run(data: JSONSerialization.data(withJSONObject: object))
            return "no error"
        } catch {
            return "\(error)"
        }
    }

    @Test func aFileWithoutCasesIsAnError() throws {
        let json = #"{"format":"bnlab-reference-v1","cases":[]}"#
        #expect { try ReferenceCheck.run(data: Data(json.utf8)) } throws: { "\($0)".contains("cases: has no cases") }
    }

    @Test func anEmptyExpectationComparesNothingAndIsAnError() throws {
        let message = try Self.error(inCase: 0) { c in
            var expect = try #require(c["expect"] as? Object)
            expect["probe_eval"] = [[Double]]()
            c["expect"] = expect
        }
        #expect(message.contains("case 'bn_2x1'.expect.probe_eval") && message.contains("nothing to compare"), "\(message)")
    }

    @Test func anOptimizerCaseWithoutStepsIsAnError() throws {
        let message = try Self.error(inCase: 4) { c in
            c["grads"] = [[Double]]()
            c["expect"] = ["params_after_each_step": [[Double]]()]
        }
        #expect(message.contains("case 'sgd'.grads") && message.contains("no step"), "\(message)")
    }

    @Test func aShorterLayerListIsAnError() throws {
        let message = try Self.error(inCase: 8) { c in
            var expect = try #require(c["expect"] as? Object)
            let layers = try #require(expect["final_linear_layers"] as? [Any])
            expect["final_linear_layers"] = Array(layers.dropLast())
            c["expect"] = expect
        }
        #expect(message.contains("case 'bn_before_sigmoid'.expect.final_linear_layers") && message.contains("layers, the case's network has"), "\(message)")
    }

    @Test func aDyWithFewerRowsThanTheBatchIsAnError() throws {
        let message = try Self.error(inCase: 1) { c in
            let dy = try #require(c["dy"] as? [[Double]])
            c["dy"] = Array(dy.dropLast())
        }
        #expect(message.contains("case 'bn_16x7'.dy") && message.contains("has 15 rows, expected 16"), "\(message)")
    }

    @Test func aRaggedBatchIsAnError() throws {
        let message = try Self.error(inCase: 1) { c in
            var batches = try #require(c["batches"] as? [[[Double]]])
            batches[1][3].removeLast()
            c["batches"] = batches
        }
        #expect(message.contains("case 'bn_16x7'.batches[1][3]") && message.contains("row has 6 values"), "\(message)")
    }

    @Test func layersThatDoNotChainAreAnError() throws {
        let message = try Self.error(inCase: 8) { c in
            var layers = try #require(c["layers"] as? [Object])
            let inputs = try #require(layers[1]["inputs"] as? Int)
            layers[1]["inputs"] = inputs + 1
            c["layers"] = layers
        }
        #expect(message.contains("case 'bn_before_sigmoid'.layers[1]") && message.contains("inputs"), "\(message)")
    }

    @Test func aWeightOfTheWrongShapeIsAnError() throws {
        let message = try Self.error(inCase: 10) { c in
            var layers = try #require(c["layers"] as? [Object])
            let weight = try #require(layers[0]["weight"] as? [[Double]])
            layers[0]["weight"] = Array(weight.dropLast())
            c["layers"] = layers
        }
        #expect(message.contains("case 'plain_tanh'.layers[0].weight") && message.contains("rows"), "\(message)")
    }

    @Test func anExpectedBiasForABiasFreeLayerIsAnError() throws {
        let message = try Self.error(inCase: 8) { c in
            var layers = try #require(c["layers"] as? [Object])
            var expect = try #require(c["expect"] as? Object)
            var finals = try #require(expect["final_linear_layers"] as? [Object])
            guard let index = layers.firstIndex(where: { $0["bias"] is NSNull || $0["bias"] == nil }) else {
                // No bias-free layer in this case: drop an expected bias instead.
                finals[0]["bias"] = NSNull()
                expect["final_linear_layers"] = finals
                c["expect"] = expect
                return
            }
            finals[index]["bias"] = [Double](repeating: 0, count: try #require(layers[index]["outputs"] as? Int))
            layers[index]["bias"] = NSNull()
            expect["final_linear_layers"] = finals
            c["expect"] = expect
            c["layers"] = layers
        }
        #expect(message.contains("case 'bn_before_sigmoid'.expect.final_linear_layers[") && message.contains("bias"), "\(message)")
    }

    @Test func aValueCountMismatchNamesTheExpectedField() throws {
        let message = try Self.error(inCase: 0) { c in
            var expect = try #require(c["expect"] as? Object)
            var first = try #require(expect["first_batch"] as? Object)
            first["dgamma"] = [1.0, 2.0]
            expect["first_batch"] = first
            c["expect"] = expect
        }
        #expect(message.contains("case 'bn_2x1'.expect.first_batch.dgamma") && message.contains("has 2 values"), "\(message)")
    }
}
