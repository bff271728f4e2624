// `bnlab verify FILE…`: checks the engine against PyTorch reference vectors.

import ArgumentParser
import BNEngine
import BNLessons
import BNPlots
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
            say("\(file): \(results.count) cases")
            let nameWidth = max(4, results.map(\.name.count).max() ?? 4)
            let kindWidth = max(4, results.map(\.kind.count).max() ?? 4)
            // The header's columns as wide as the rows' (9 for each number).
            say("  \(pad("case", nameWidth))  \(pad("kind", kindWidth))  values   \(pad("max |a−b|", 9))  \(pad("max rel", 9))  \(pad("scaled", 9))  result")
            for r in results {
                let verdict = r.passed ? "PASS" : "FAIL (worst in \(r.worstField))"
                let values = String(r.comparedValues).padding(toLength: 7, withPad: " ", startingAt: 0)
                say("  \(pad(r.name, nameWidth))  \(pad(r.kind, kindWidth))  \(values)  \(sci(r.maxAbsoluteError))  \(sci(r.maxRelativeError))  \(sci(r.maxScaledError))  \(verdict)")
                allPassed = allPassed && r.passed
            }
            // The worst scaled error of each kind, in the order the kinds first appear.
            var kinds = [String]()
            for r in results where !kinds.contains(r.kind) { kinds.append(r.kind) }
            let perKind = kinds.map { kind in "\(kind) \(sci(results.filter { $0.kind == kind }.map(\.maxScaledError).max() ?? 0))" }
            // Wrapped at 80 columns between kinds, never between a kind and its number.
            var line = "  worst scaled error per kind:"
            for (index, item) in perKind.enumerated() {
                let piece = index < perKind.count - 1 ? item + "," : item
                if line.count + 1 + piece.count > 80 {
                    say(line)
                    line = "    " + piece
                } else {
                    line += " " + piece
                }
            }
            say(line)
            let worst = results.map(\.maxScaledError).max() ?? 0
            say("  worst scaled error \(sci(worst)) (tolerance \(sci(ReferenceCheck.tolerance)))")
        }
        if !allPassed { throw ExitCode(1) }
    }

    private func sci(_ x: Double) -> String { String(format: "%.3e", x) }
    private func pad(_ s: String, _ width: Int) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }
}

/// Writes `message` to standard error, control characters made visible; a failing stderr is ignored.
func printError(_ message: String) {
    StandardStream.error.write(VisibleText.sanitize(message) + "\n")
}

/// Writes `message` and a newline to standard output, control characters made visible; exits 3 if
/// standard output is gone.
func say(_ message: String) {
    StandardStream.printOrExit(VisibleText.sanitize(message) + "\n")
}
