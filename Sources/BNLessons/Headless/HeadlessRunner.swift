// `bnlab --headless`: parse every requested lesson first (bad input → exit 2 before any run), then
// for each lesson run its experiments and print it top to bottom: prose (its {{ … }} values filled from
// the runs), final plots, claims and checks with their numbers and verdicts, and predict answers; a
// closing line counts findings and checks apart. `--seeds K` runs every lesson at K seed offsets and
// prints how often each claim held. Progress goes to stderr, only when stderr is a terminal.

import BNEngine
import BNFiles
import BNPlots
import Foundation

public enum HeadlessRunner {
    /// The most seed offsets `--seeds` runs (each one runs every lesson once).
    public static let maximumSeedRuns = 100

    /// Runs the lessons; returns the exit code (0 claims hold, 1 a claim failed, 2 bad input, 3 a run failed).
    public static func run(_ options: HeadlessOptions) -> Int32 {
        let stderrIsTerminal = isatty(2) == 1
        // Standard output that fails (a full disk, a closed pipe) ends the run with exit 3.
        let write: @Sendable (String) -> Void = { StandardStream.error.write($0) }
        return run(options, output: { StandardStream.printOrExit($0) }, errors: write, progress: stderrIsTerminal ? write : nil)
    }

    /// The same, writing through closures (tests capture the text).
    /// Everything written is passed through ``VisibleText/sanitize(_:ascii:keepNewlines:)``: nothing
    /// from a lesson file reaches the terminal as a control character.
    public static func run(_ options: HeadlessOptions, output rawOutput: @escaping (String) -> Void, errors rawErrors: (String) -> Void,
                           progress: (@Sendable (String) -> Void)? = nil) -> Int32 {
        let ascii = options.ascii
        let output = { (s: String) in rawOutput(VisibleText.sanitize(s, ascii: ascii)) }
        func errors(_ s: String) { rawErrors(VisibleText.sanitize(s, ascii: ascii)) }
        guard options.scale > 0, options.scale.isFinite else {
            errors("bnlab: --scale must be a positive number (got \(options.scale))\n")
            return HeadlessExitCode.badInput
        }
        guard (1...maximumSeedRuns).contains(options.seedRuns) else {
            errors("bnlab: --seeds must be 1…\(maximumSeedRuns) (got \(options.seedRuns))\n")
            return HeadlessExitCode.badInput
        }
        let directory = LessonLocator.directory(explicit: options.lessonsDirectory)
        let lessons: [Lesson]
        do {
            lessons = try LessonLocator.lessons(options.lessons, directory: directory)
        } catch {
            errors(error.description + "\n")
            return HeadlessExitCode.badInput
        }
        // --scale × steps is checked for every experiment before any runs.
        for lesson in lessons {
            for cell in lesson.cells {
                guard case .experiment(let spec) = cell.content else { continue }
                for variant in spec.variants {
                    guard case .train(let plan) = variant.plan, plan.scaled(by: options.scale).config.steps > TrainingConfig.maximumSteps else { continue }
                    errors("\(lesson.file):\(spec.location.line): experiment '\(spec.name)', variant '\(variant.name)': --scale \(options.scale) × \(plan.config.steps) steps is more than bnlab's limit of \(TrainingConfig.maximumSteps) steps per run\n")
                    return HeadlessExitCode.badInput
                }
            }
        }
        // The report's place is checked before any training: a run never ends unable to save it.
        if let path = options.json {
            do {
                try AtomicFile.checkWritable(path)
                try JSONReport.checkReplaceable(path)
            } catch {
                errors("bnlab: --json: \(error)\n")
                return HeadlessExitCode.badInput
            }
        }
        var code = HeadlessExitCode.success
        var report: JSONReport
        if options.seedRuns == 1 {
            var session = Session(options: options, offset: options.seedOffset, output: output, progress: progress,
                                  keepsReport: options.json != nil)
            for lesson in lessons { session.run(lesson) }
            if !session.failedClaims.isEmpty { code = HeadlessExitCode.claimFailed }
            if !session.runFailures.isEmpty { code = HeadlessExitCode.runFailed }
            for banner in session.runFailures { output(banner + "\n"); errors(banner + "\n") }
            for banner in session.failedClaims { output(banner + "\n"); errors(banner + "\n") }
            output(session.tally.summary + "\n")
            report = session.report
            report.summary = session.tally
        } else {
            var multi = SeedRuns(options: options, lessons: lessons, output: output, progress: progress)
            code = multi.run(errors: errors)
            report = multi.report
        }
        if let path = options.json {
            report.exitCode = code
            do {
                try report.write(to: path)
            } catch {
                errors("bnlab: cannot write the JSON report to \(path): \(error)\n")
                return HeadlessExitCode.runFailed
            }
        }
        return code
    }
}

/// How many findings and checks held and failed.
struct Tally: Encodable {
    var findingsHeld = 0, findingsFailed = 0, checksHeld = 0, checksFailed = 0

    mutating func count(_ kind: ClaimKind, held: Bool) {
        switch (kind, held) {
        case (.finding, true): findingsHeld += 1
        case (.finding, false): findingsFailed += 1
        case (.check, true): checksHeld += 1
        case (.check, false): checksFailed += 1
        }
    }

    /// The closing line CI reads: "findings: 40 held, 0 failed; checks: 9 held, 0 failed".
    var summary: String {
        "findings: \(findingsHeld) held, \(findingsFailed) failed; checks: \(checksHeld) held, \(checksFailed) failed"
    }
}

/// `--seeds K`: every lesson K times, at seed offsets base…base+K−1, then how often each claim held.
private struct SeedRuns: HeadlessPrinter {
    let options: HeadlessOptions
    let lessons: [Lesson]
    let output: (String) -> Void
    let progress: (@Sendable (String) -> Void)?
    var report: JSONReport

    init(options: HeadlessOptions, lessons: [Lesson], output: @escaping (String) -> Void, progress: (@Sendable (String) -> Void)?) {
        self.options = options
        self.lessons = lessons
        self.output = output
        self.progress = progress
        report = JSONReport(scale: options.scale, seedOffset: options.seedOffset)
    }

    mutating func run(errors: (String) -> Void) -> Int32 {
        let offsets = (0..<UInt64(options.seedRuns)).map { options.seedOffset &+ $0 }
        // Per claim (lesson, line): its claim and verdict at each offset.
        var verdicts: [String: [(UInt64, ClaimOutcome?)]] = [:]
        var order: [(Lesson, Claim, String)] = []
        var runFailures: [String] = []
        for (index, offset) in offsets.enumerated() {
            var session = Session(options: options, offset: offset, output: { _ in }, progress: progress,
                                  keepsReport: options.json != nil && index == 0)
            for lesson in lessons { session.run(lesson) }
            if index == 0 { report = session.report }
            runFailures += session.runFailures.map { "\($0) (seed offset \(offset))" }
            output("seed offset \(offset): \(session.tally.summary)\n")
            // What failed at this offset, with its numbers, as soon as the offset is done.
            for (lesson, claim, outcome) in session.outcomes where outcome?.verdict != .pass && outcome?.verdict != .notJudged {
                let numbers = outcome.map { " (\($0.comparisonText))" } ?? " (the experiment did not run)"
                let mark = Session.mark(claim.kind, held: false, ascii: options.ascii)
                wrappedLine("  \(mark) \(lesson.id) line \(claim.location.line): \(claim.text)\(numbers)", indent: indentPast(mark: mark))
            }
            for (lesson, claim, outcome) in session.outcomes {
                let key = "\(lesson.file):\(claim.location.line)"
                if verdicts[key] == nil { order.append((lesson, claim, key)) }
                verdicts[key, default: []].append((offset, outcome))
            }
        }
        var tally = Tally()
        var failed: [String] = []
        var rates: [JSONReport.HoldRateReport] = []
        var currentLesson = ""
        for (lesson, claim, key) in order {
            if lesson.id != currentLesson {
                currentLesson = lesson.id
                output("\n")
                wrappedLine("\(lesson.id) · \(lesson.title)", indent: 2)
            }
            let runs = verdicts[key] ?? []
            let held = runs.filter { $0.1?.verdict == .pass }.count
            let failedAt = runs.filter { $0.1?.verdict != .pass }.map(\.0)
            tally.count(claim.kind, held: failedAt.isEmpty)
            let mark = Session.mark(claim.kind, held: failedAt.isEmpty, ascii: options.ascii)
            var line = claim.text
            if !failedAt.isEmpty { line += "  (failed at offset \(failedAt.map(String.init).joined(separator: ", ")))" }
            wrappedLine(line, indent: indentPast(mark: mark), firstPrefix: "  \(mark) held \(held)/\(runs.count)  ")
            // Where a finding that held every time came closest to failing: a margin small beside its
            // numbers is a finding one more seed may break. (A check holds by construction, whatever the seed.)
            let closest = claim.kind == .finding && failedAt.isEmpty && runs.count > 1 ? Self.closest(runs) : nil
            if let closest, let outcome = closest.outcome, let margin = closest.margin {
                wrappedLine("closest at offset \(closest.offset): \(outcome.comparisonText) (margin \(formatNumber(margin)))",
                            indent: indentPast(mark: mark) + 6, firstPrefix: String(repeating: " ", count: indentPast(mark: mark) + 4))
            }
            if !failedAt.isEmpty {
                failed.append(text("FAILED: lesson \(lesson.id), \(claim.kind.rawValue) at \(lesson.file):\(claim.location.line): \(claim.text) (held \(held)/\(runs.count))"))
            }
            rates.append(JSONReport.HoldRateReport(lesson: lesson.id, line: claim.location.line, kind: claim.kind.rawValue, text: claim.text,
                                                    held: held, runs: runs.count, failedAtOffsets: failedAt,
                                                    closestOffset: closest?.offset, closestMargin: closest?.margin))
        }
        report.holdRates = rates
        report.seedOffsets = offsets
        report.summary = tally
        output("\n")
        for banner in runFailures { output(banner + "\n"); errors(banner + "\n") }
        for banner in failed { output(banner + "\n"); errors(banner + "\n") }
        // The counts on a line of their own (the last line, which .ci/run shows), so both fit 80 columns.
        output("over \(offsets.count) seed offsets (\(offsets.first ?? 0) to \(offsets.last ?? 0)):\n")
        wrappedLine("  " + tally.summary, indent: 4)
        if !runFailures.isEmpty { return HeadlessExitCode.runFailed }
        return failed.isEmpty ? HeadlessExitCode.success : HeadlessExitCode.claimFailed
    }

}

extension SeedRuns {
    /// The run whose claim came closest to failing (least `ClaimOutcome.margin`; the earlier offset on a
    /// tie); nil if no run's claim has a margin.
    static func closest(_ runs: [(UInt64, ClaimOutcome?)]) -> (offset: UInt64, outcome: ClaimOutcome?, margin: Double?)? {
        var best: (offset: UInt64, outcome: ClaimOutcome?, margin: Double?)?
        for (offset, outcome) in runs {
            guard let margin = outcome?.margin else { continue }
            if let current = best?.margin, current <= margin { continue }
            best = (offset, outcome, margin)
        }
        return best
    }
}

/// What prints headless lines (a run at one seed offset, and the `--seeds` summary): one way to show,
/// wrap and mark them.
private protocol HeadlessPrinter {
    var options: HeadlessOptions { get }
    var output: (String) -> Void { get }
}

extension HeadlessPrinter {
    /// `s` as headless prints it: in ASCII mode, control characters made visible and the Unicode of
    /// prose and math transliterated (γ → gamma), before any wrapping, so a wrapped line's width is final.
    func text(_ s: String) -> String { options.ascii ? ASCIIFallback.convert(VisibleText.sanitize(s, ascii: true)) : s }

    func line(_ s: String = "") { output(s + "\n") }

    /// `s` (after `firstPrefix`) shown and wrapped at the width (``wrappedLines``).
    func wrappedLine(_ s: String, indent: Int, firstPrefix: String = "") {
        for row in wrappedLines(text(s), width: options.width, indent: indent, firstPrefix: text(firstPrefix)) { line(row) }
    }

    /// The indent of a claim's wrapped lines: past "  " and its mark (`Session.mark`) and a space.
    func indentPast(mark: String) -> Int { 3 + text(mark).count }
}

/// A printed line wrapped at the width, continuation lines indented by `indent` spaces (TextLayout: a
/// line that fits is left as it is). A claim's first line starts with its mark ([ok], ✗, …), which
/// .ci/run counts; its continuation lines are indented past the mark. Not for FAILED banners: those are
/// diagnostics, one located line each (as a compiler's), for grep.
func wrappedLines(_ shown: String, width: Int, indent: Int, firstPrefix: String = "") -> [String] {
    TextLayout.wrap(shown, width: width, indent: String(repeating: " ", count: indent), firstPrefix: firstPrefix)
}

/// One headless run over several lessons.
private struct Session: HeadlessPrinter {
    let options: HeadlessOptions
    let offset: UInt64
    let output: (String) -> Void
    let progress: (@Sendable (String) -> Void)?
    /// The lessons' reports, kept only when a report will be written (`--json`, first seed offset).
    let keepsReport: Bool
    var report: JSONReport
    var failedClaims: [String] = []
    var runFailures: [String] = []
    var tally = Tally()
    /// Every claim's outcome (nil: its experiment did not run), in lesson order.
    var outcomes: [(Lesson, Claim, ClaimOutcome?)] = []

    init(options: HeadlessOptions, offset: UInt64, output: @escaping (String) -> Void, progress: (@Sendable (String) -> Void)?,
         keepsReport: Bool) {
        self.options = options
        self.offset = offset
        self.output = output
        self.progress = progress
        self.keepsReport = keepsReport
        report = JSONReport(scale: options.scale, seedOffset: offset)
    }

    /// A verdict's mark: findings ✓/✗ ([ok]/[FAIL]), checks ✓ check/✗ check ([check ok]/[check FAIL]).
    static func mark(_ kind: ClaimKind, held: Bool?, ascii: Bool) -> String {
        guard let held else { return "-" }
        switch (kind, ascii) {
        case (.finding, false): return held ? "✓" : "✗"
        case (.finding, true): return held ? "[ok]" : "[FAIL]"
        case (.check, false): return held ? "✓ check" : "✗ check"
        case (.check, true): return held ? "[check ok]" : "[check FAIL]"
        }
    }


    mutating func run(_ lesson: Lesson) {
        let rule = options.ascii ? "=" : "═"
        let heading = text(" \(lesson.id) · \(lesson.title) ")
        if heading.count + 4 <= options.width {
            line(String(repeating: rule, count: 2) + heading + String(repeating: rule, count: options.width - heading.count - 2))
        } else {  // a title too long for one line: between two rules, wrapped
            line(String(repeating: rule, count: options.width))
            wrappedLine("\(lesson.id) · \(lesson.title)", indent: 2)
            line(String(repeating: rule, count: options.width))
        }
        var lessonReport = JSONReport.LessonReport(id: lesson.id, title: lesson.title, file: lesson.file)
        // Every experiment runs first, so prose above an experiment can show its numbers ({{ … }}).
        var results: [String: ExperimentResult] = [:]
        var runLines: [String: [String]] = [:], runErrors: [String: String] = [:]
        for spec in lesson.experiments {
            let (result, lines) = runExperiment(spec, lesson: lesson)
            runLines[spec.name] = lines
            results[spec.name] = result
            if result == nil { runErrors[spec.name] = runFailures.last }
        }
        var pending: [Predict] = []
        for (index, cell) in lesson.cells.enumerated() {
            switch cell.content {
            case .prose:
                line()
                let markdown = lesson.filledProse(cell: index, results: results)
                for styled in ProseRenderer.render(markdown, width: options.width, ascii: options.ascii) { line(text(styled.text)) }
            case .experiment(let spec):
                line()
                for row in runLines[spec.name] ?? [] { wrappedLine(row, indent: 2) }
                guard let result = results[spec.name] else {
                    lessonReport.experiments.append(JSONReport.ExperimentReport(name: spec.name, kind: spec.kind.rawValue, line: spec.location.line,
                                                                                tweaked: false, variants: [], error: runErrors[spec.name]))
                    continue
                }
                lessonReport.experiments.append(JSONReport.experiment(result, line: spec.location.line))
                for predict in pending where predict.experiment == spec.name {
                    lessonReport.predictions.append(answer(predict, result: result, showQuestion: false))
                }
                pending.removeAll { $0.experiment == spec.name }
            case .plot(let plot):
                guard let result = results[plot.experiment] else { continue }
                line()
                let grid = PlotCells.grid(for: plot, result: result, width: options.width, ascii: options.ascii)
                for row in grid.text.split(separator: "\n", omittingEmptySubsequences: false) { line(text(String(row))) }
            case .claims(let claims):
                line()
                let isChecks = claims.first?.kind == .check
                wrappedLine(isChecks ? "Checks (true by construction; they test the engine, not a finding):" : "Claims:", indent: 2)
                for claim in claims {
                    guard let result = results[claim.experiment] else {
                        wrappedLine("  ? \(claim.text)  (not checked: the experiment did not run)", indent: 4)
                        failedClaims.append("FAILED: lesson \(lesson.id), \(cell.content.kindName) cell at \(lesson.file):\(cell.location.line): \(claim.text) (the experiment did not run)")
                        tally.count(claim.kind, held: false)
                        outcomes.append((lesson, claim, nil))
                        continue
                    }
                    let outcome = ClaimEvaluator.evaluate(claim, in: result)
                    outcomes.append((lesson, claim, outcome))
                    lessonReport.claims.append(JSONReport.claim(outcome))
                    if outcome.verdict != .notJudged { tally.count(claim.kind, held: outcome.verdict == .pass) }
                    let mark = Self.mark(claim.kind, held: outcome.verdict == .notJudged ? nil : outcome.verdict == .pass, ascii: options.ascii)
                    // The claim under its mark, then its numbers and note, each wrapped under itself.
                    wrappedLine("  \(mark) \(claim.text)", indent: indentPast(mark: mark))
                    var detail = outcome.measurements.map { "\($0.expression) = \($0.displayValue)" }
                    detail.append(outcome.comparisonText)
                    wrappedLine("      " + detail.joined(separator: "; "), indent: 8)
                    if let note = outcome.note { wrappedLine("      note: \(note)", indent: 12) }
                    if outcome.verdict == .fail {
                        failedClaims.append(text("FAILED: lesson \(lesson.id), \(cell.content.kindName) cell at \(lesson.file):\(cell.location.line), line \(claim.location.line): \(claim.text) (\(outcome.comparisonText))"))
                    }
                }
            case .predict(let predict):
                line()
                let runsBelow = lesson.cells[(index + 1)...].contains {
                    if case .experiment(let spec) = $0.content { return spec.name == predict.experiment } else { return false }
                }
                guard let result = results[predict.experiment], !runsBelow else {
                    wrappedLine("Predict: \(predict.question)", indent: 2)
                    wrappedLine("  options: " + predict.options.joined(separator: " | "), indent: 4)
                    wrappedLine("  (answered after experiment \(predict.experiment) runs)", indent: 3)
                    if runsBelow { pending.append(predict) }
                    continue
                }
                lessonReport.predictions.append(answer(predict, result: result, showQuestion: true))
            }
        }
        line()
        if keepsReport { report.add(lessonReport) }
    }
    /// Prints a predict cell's answer; returns its report.
    func answer(_ predict: Predict, result: ExperimentResult, showQuestion: Bool) -> JSONReport.PredictReport {
        let outcome = PredictEvaluator.evaluate(predict, in: result)
        if showQuestion {
            wrappedLine("Predict: \(predict.question)", indent: 2)
            wrappedLine("  options: " + predict.options.joined(separator: " | "), indent: 4)
        } else {
            wrappedLine("Predict answer (\(predict.question))", indent: 2)
        }
        wrappedLine("  answer: \(outcome.answer ?? "undecided (nothing was measured)")", indent: 4)
        wrappedLine("      " + outcome.values.map { "\($0.expression) = \(formatNumber($0.value))" }.joined(separator: "; "), indent: 8)
        return JSONReport.PredictReport(experiment: predict.experiment, line: predict.location.line, question: predict.question,
                                        options: predict.options, answer: outcome.answer, rule: predict.answerText, values: outcome.values)
    }

    /// Runs one experiment; returns its result (nil if it could not run) and the lines that report the run.
    mutating func runExperiment(_ spec: ExperimentSpec, lesson: Lesson) -> (ExperimentResult?, [String]) {
        let progress = self.progress
        var reporter: (@Sendable (VariantSnapshot) -> Void)?
        if let progress {
            reporter = { @Sendable (snapshot: VariantSnapshot) in
                progress("\r\u{1B}[K[\(VisibleText.sanitize(snapshot.experiment, keepNewlines: false))] \(VisibleText.sanitize(snapshot.variant, keepNewlines: false)): step \(snapshot.stepsDone)/\(snapshot.totalSteps)")
            }
        }
        let result: ExperimentResult
        do {
            result = try ExperimentRunner.run(spec, options: RunOptions(scale: options.scale, seedOffset: offset), progress: reporter)
        } catch {
            progress?("\r\u{1B}[K")
            runFailures.append("RUN FAILED: lesson \(lesson.id), experiment '\(spec.name)' at \(lesson.file):\(spec.location.line): \(error.message)")
            return (nil, ["Experiment \(spec.name): could not run: \(error.message)"])
        }
        progress?("\r\u{1B}[K")
        var lines: [String] = []
        let steps = Set(result.variants.map(\.plannedSteps)).sorted()
        let names = result.variantNames.count
        let variantWord = names == 1 ? "variant" : "variants"
        var summary = "Experiment \(spec.name) (\(spec.kind.rawValue)): \(names) \(variantWord)"
        if let sweep = spec.sweep {
            summary += " (\(sweep.baseVariants.joined(separator: ", ")) × \(sweep.path) in \(sweep.values.map(formatNumber).joined(separator: ", ")))"
        }
        if !spec.seeds.isEmpty {
            summary += " × \(spec.seeds.count) seeds (\(spec.seeds.map(String.init).joined(separator: ", "))) = \(result.variants.count) runs"
        }
        if spec.kind == .train { summary += ", \(steps.map(String.init).joined(separator: "/")) steps" }
        lines.append(summary)
        for variant in result.variants {
            guard let failure = variant.failure else { continue }
            if variant.mayDiverge {
                lines.append("  variant \(variant.name)\(variant.seed.map { " (seed \($0))" } ?? "") diverged at step \(failure.step) (expected): \(failure.message)")
            } else {
                lines.append("  variant \(variant.name)\(variant.seed.map { " (seed \($0))" } ?? "") DIVERGED at step \(failure.step): \(failure.message)")
                runFailures.append("RUN FAILED: lesson \(lesson.id), experiment '\(spec.name)', variant \(variant.name) diverged to NaN/Inf at step \(failure.step): \(failure.message)")
            }
        }
        return (result, lines)
    }
}
