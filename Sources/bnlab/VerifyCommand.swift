// `bnlab verify FILE…`: checks the engine against PyTorch reference vectors.

import ArgumentParser
import BNEngine
import BNVerify
import Foundation

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the BN engine against PyTorch reference files (format bnlab-reference-v1).",
        discussion: "Exits 0 only if every case satisfies |a − b| ≤ 1e-4 · max(1, |b|)."
    )

    @Argument(help: "Reference files to check.", completion: .file(extensions: ["json"]))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one reference file, e.g. bnlab verify torch-reference.json") }
    }

    func run() throws {
        var allPassed = true
        for file in files {
            let results: [ReferenceCaseResult]
            do {
                results = try ReferenceCheck.run(fileAt: URL(fileURLWithPath: file))
            } catch {
                printError("bnlab verify: \(error)")
                throw ExitCode(2)
            }
            print("\(file): \(results.count) cases")
            let nameWidth = max(4, results.map(\.name.count).max() ?? 4)
            print("  \("case".padding(toLength: nameWidth, withPad: " ", startingAt: 0))  kind        max |a−b|    max rel      scaled       result")
            for r in results {
                let name = r.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
                let kind = r.kind.padding(toLength: 10, withPad: " ", startingAt: 0)
                let verdict = r.passed ? "PASS" : "FAIL (worst in \(r.worstField))"
                print("  \(name)  \(kind)  \(sci(r.maxAbsoluteError))  \(sci(r.maxRelativeError))  \(sci(r.maxScaledError))  \(verdict)")
                allPassed = allPassed && r.passed
            }
            let worst = results.map(\.maxScaledError).max() ?? 0
            print("  worst scaled error \(sci(worst)) (tolerance \(sci(ReferenceCheck.tolerance)))")
        }
        if !allPassed { throw ExitCode(1) }
    }

    private func sci(_ x: Double) -> String { String(format: "%.3e", x) }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
