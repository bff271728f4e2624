// `bnlab terminal-demo`: a hidden smoke test of the terminal layer (moving bars, keys, q to quit).

import ArgumentParser
import BNTerminal

struct TerminalDemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "terminal-demo",
        abstract: "Animate bars to check the terminal layer (q quits).",
        shouldDisplay: false
    )

    func run() throws {
        do {
            try TerminalDemo.run()
        } catch {
            printError("bnlab: \(error)")
            throw ExitCode(2)
        }
    }
}
