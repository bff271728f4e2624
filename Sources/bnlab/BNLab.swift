// The bnlab command line: the notebook app by default, plus headless runs, verification,
// plot demos and benchmarks. Each subcommand is a thin shell over a library.

import ArgumentParser
import BNLessons
import BNTerminal
import Foundation

@main
struct BNLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bnlab",
        abstract: "See batch normalization: a terminal notebook that trains real networks on MNIST, live.",
        discussion: """
        With no arguments, opens the lesson list in the terminal; `bnlab LESSON` opens that lesson.
        --headless runs lessons as plain text for scripts and CI. Exit codes of --headless:
        0 all claims hold, 1 a claim failed, 2 bad input, 3 a run failed.
        """,
        subcommands: [OpenCommand.self, ListCommand.self, VerifyCommand.self, TrainCommand.self, BenchCommand.self,
                      PlotsCommand.self, TerminalDemoCommand.self, FuzzCommand.self],
        defaultSubcommand: OpenCommand.self
    )

    /// ArgumentParser's main, with two changes: a closed pipe is an error to handle, not a fatal
    /// SIGPIPE; and a usage error exits 2 (bad input, as the README documents), not 64.
    static func main() {
        StandardStream.ignoreBrokenPipe()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// `bnlab [open] [LESSON…] [--headless …]`: the notebook, or a headless run. The default subcommand.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the notebook (the default), or run lessons headless with --headless.",
        discussion: "Exit codes of --headless: 0 all claims hold, 1 a claim failed, 2 bad input, 3 a run failed."
    )

    @Argument(help: ArgumentHelp("Lesson ids or paths (default: every lesson, in order).", valueName: "lesson"))
    var lessons: [String] = []

    @Flag(help: "Run lessons as plain text (prose, final plots, claims) instead of the interactive notebook.")
    var headless = false

    @Option(help: "With --headless: write a JSON report to this file.")
    var json: String?

    @Option(parsing: .unconditional, help: "With --headless: multiply every experiment's step count (CI uses a small scale; default 1).")
    var scale: Double?

    @Option(parsing: .unconditional, help: "With --headless: add N to every variant's seed (training and data), so variants with different seeds stay different. Default 0: the lessons as written.")
    var seed: UInt64?

    @Option(parsing: .unconditional, help: "With --headless: run every lesson K times, at seed offsets --seed…--seed+K-1, and print how often each claim held (exit 1 unless every one held every time).")
    var seeds: Int?

    @Flag(help: "Use 7-bit ASCII glyphs instead of Unicode (headless and the notebook); the default when the locale is not UTF-8.")
    var ascii = false

    @Option(name: .customLong("lessons"),
            help: ArgumentHelp("The lessons folder (default: $BNLAB_LESSONS, else the checkout's lessons/, else ./lessons).", valueName: "dir"))
    var lessonsDirectory: String?

    func validate() throws {
        if let scale, !(scale > 0 && scale.isFinite) { throw ValidationError("--scale must be a positive number (got \(scale))") }
        if let seeds, !(1...HeadlessRunner.maximumSeedRuns).contains(seeds) { throw ValidationError("--seeds must be 1…\(HeadlessRunner.maximumSeedRuns) (got \(seeds))") }
        // The notebook has no report, scale or seed offset: refused rather than silently ignored.
        for (option, given) in [("--json", json != nil), ("--scale", scale != nil), ("--seed", seed != nil), ("--seeds", seeds != nil)] where !headless && given {
            throw ValidationError("\(option) works only with --headless (the notebook runs each lesson as written); add --headless or drop \(option)")
        }
        if !headless && lessons.count > 1 { throw ValidationError("the notebook opens one lesson at a time; use --headless to run several") }
    }

    func run() throws {
        if headless {
            // ASCII when asked, or when the locale cannot show Unicode (as the notebook decides).
            let options = HeadlessOptions(lessons: lessons, json: json, scale: scale ?? 1, seedOffset: seed ?? 0, seedRuns: seeds ?? 1,
                                          ascii: TerminalScreen.usesASCII(asked: ascii),
                                          lessonsDirectory: lessonsDirectory)
            let code = HeadlessRunner.run(options)
            if code != 0 { throw ExitCode(code) }
            return
        }
        let code = InteractiveApp.run(lesson: lessons.first, ascii: ascii, lessonsDirectory: lessonsDirectory)
        if code != 0 { throw ExitCode(code) }
    }
}

/// `bnlab list`: the lessons, in order.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the lessons: id, title and estimated run time.")

    @Option(name: .customLong("lessons"), help: ArgumentHelp("The lessons folder.", valueName: "dir"))
    var lessonsDirectory: String?

    @Flag(help: "Spell titles in 7-bit ASCII (γ as gamma); the default when the locale is not UTF-8.")
    var ascii = false

    func run() throws {
        let code = LessonList.run(lessonsDirectory: lessonsDirectory, ascii: TerminalScreen.usesASCII(asked: ascii))
        if code != 0 { throw ExitCode(code) }
    }
}
