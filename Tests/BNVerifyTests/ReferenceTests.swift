import Foundation
import Testing
import BNEngine
import BNVerify

/// The engine against PyTorch's own numbers (shared/reference, copied as a fixture).
@Suite struct ReferenceTests {
    static let fixture = Bundle.module.url(forResource: "torch-reference", withExtension: "json", subdirectory: "Fixtures")

    @Test func everyReferenceCaseMatchesPyTorchWithin1e4() throws {
        let url = try #require(Self.fixture)
        let results = try ReferenceCheck.run(fileAt: url)
        #expect(results.count == 11)
        for result in results {
            // |a − b| ≤ 1e-4 · max(1, |b|), the float32 tolerance of shared/reference/README.md
            #expect(result.maxScaledError <= 1e-4, "\(result.name): worst \(result.maxScaledError) in \(result.worstField)")
        }
    }

    @Test func aMalformedCaseNamesTheCaseAndField() throws {
        let json = #"{"format":"bnlab-reference-v1","cases":[{"kind":"batchnorm","name":"broken","eps":1e-5,"momentum":0.1,"gamma":[1,1],"beta":[0]}]}"#
        #expect {
            try ReferenceCheck.run(data: Data(json.utf8))
        } throws: { error in
            "\(error)".contains("case 'broken'") && "\(error)".contains("beta")
        }
    }

    @Test func anUnknownFormatIsRejected() {
        #expect(throws: ReferenceFileError.self) {
            try ReferenceCheck.run(data: Data(#"{"format":"other","cases":[]}"#.utf8))
        }
    }

    @Test func aPerturbedExpectationFails() throws {
        let url = try #require(Self.fixture)
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        var cases = try #require(object["cases"] as? [[String: Any]])
        var expect = try #require(cases[0]["expect"] as? [String: Any])
        var probe = try #require(expect["probe_eval"] as? [[Double]])
        probe[0][0] += 0.01
        expect["probe_eval"] = probe
        cases[0]["expect"] = expect
        object["cases"] = cases
        let results = try ReferenceCheck.run(data: JSONSerialization.data(withJSONObject: object))
        #expect(results[0].passed == false)
        #expect(results[1].passed == true)
    }
}
