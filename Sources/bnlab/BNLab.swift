// The bnlab command line: the notebook app by default, plus headless runs, verification,
// plot demos and benchmarks. Each subcommand is a thin shell over a library.

import ArgumentParser

@main
struct BNLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bnlab",
        abstract: "See batch normalization: a terminal notebook that trains real networks on MNIST, live.",
        discussion: """
        With no arguments, opens the lesson list (needs a terminal). Use --headless for scripts and CI.
        """,
        subcommands: [VerifyCommand.self, TrainCommand.self, BenchCommand.self, TerminalDemoCommand.self]
    )

    func run() throws {
        throw CleanExit.helpRequest(self)
    }
}
