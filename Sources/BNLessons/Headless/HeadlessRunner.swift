// `bnlab --headless`: parse every requested lesson first (bad input → exit 2 before any run), then
// run each lesson top to bottom, printing prose, final plots, claims with their numbers and verdicts,
// and predict answers. Progress goes to stderr, only when stderr is a terminal.

import BNEngine
import BNPlots
import Foundation

public enum HeadlessRunner {
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
            } catch {
                errors("bnlab: --json: \(error)\n")
                return HeadlessExitCode.badInput
            }
        }
        var session = Session(options: options, output: output, progress: progress)
        for lesson in lessons { session.run(lesson) }
        var code = HeadlessExitCode.success
        if !session.failedClaims.isEmpty { code = HeadlessExitCode.claimFailed }
        if !session.runFailures.isEmpty { code = HeadlessExitCode.runFailed }
        for banner in session.runFailures { output(banner + "\n"); errors(banner + "\n") }
        for banner in session.failedClaims { output(banner + "\n"); errors(banner + "\n") }
        if let path = options.json {
            session.report.exitCode = code
            do {
                try session.report.write(to: path)
            } catch {
                errors("bnlab: cannot write the JSON report to \(path): \(error)\n")
                return HeadlessExitCode.runFailed
            }
        }
        return code
    }
}

/// One headless run over several lessons.
private struct Session {
    let options: HeadlessOptions
    let output: (String) -> Void
    let progress: (@Sendable (String) -> Void)?
    var report: JSONReport
    var failedClaims: [String] = []
    var runFailures: [String] = []

    init(options: HeadlessOptions, output: @escaping (String) -> Void, progress: (@Sendable (String) -> Void)?) {
        self.options = options
        self.output = output
        self.progress = progress
        report = JSONReport(scale: options.scale, seed: options.seed)
    }

    var check: String { options.ascii ? "[ok]" : "✓" }
    var cross: String { options.ascii ? "[FAIL]" : "✗" }

    func line(_ s: String = "") { output(s + "\n") }

    /// ASCII mode replaces the Unicode the prose and math produce.
    func text(_ s: String) -> String { options.ascii ? ASCIIFallback.convert(VisibleText.sanitize(s, ascii: true)) : s }

    mutating func run(_ lesson: Lesson) {
        let rule = options.ascii ? "=" : "═"
        let heading = " \(lesson.id) · \(lesson.title) "
        line(text(String(repeating: rule, count: 2) + heading + String(repeating: rule, count: max(2, options.width - heading.count - 2))))
        var lessonReport = JSONReport.LessonReport(id: lesson.id, title: lesson.title, file: lesson.file)
        var results: [String: ExperimentResult] = [:]
        var pending: [Predict] = []
        for cell in lesson.cells {
            switch cell.content {
            case .prose(let markdown):
                line()
                for styled in ProseRenderer.render(markdown, width: options.width, ascii: options.ascii) { line(text(styled.text)) }
            case .experiment(let spec):
                line()
                guard let result = runExperiment(spec, lesson: lesson) else {
                    lessonReport.experiments.append(JSONReport.ExperimentReport(name: spec.name, kind: spec.kind.rawValue, line: spec.location.line,
                                                                                tweaked: false, variants: [], error: runFailures.last))
                    continue
                }
                results[spec.name] = result
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
                line("Claims:")
                for claim in claims {
                    guard let result = results[claim.experiment] else {
                        line("  ? \(claim.text)  (not checked: the experiment did not run)")
                        failedClaims.append("FAILED: lesson \(lesson.id), claim cell at \(lesson.file):\(cell.location.line): \(claim.text) (the experiment did not run)")
                        continue
                    }
                    let outcome = ClaimEvaluator.evaluate(claim, in: result)
                    lessonReport.claims.append(JSONReport.claim(outcome))
                    let mark = outcome.verdict == .pass ? check : outcome.verdict == .fail ? cross : "-"
                    line(text("  \(mark) \(claim.text)"))
                    var detail = outcome.measurements.map { "\($0.expression) = \(formatNumber($0.value))" }
                    detail.append(outcome.comparisonText)
                    line(text("      " + detail.joined(separator: "; ")))
                    if let note = outcome.note { line(text("      note: \(note)")) }
                    if outcome.verdict == .fail {
                        failedClaims.append(text("FAILED: lesson \(lesson.id), claim cell at \(lesson.file):\(cell.location.line), line \(claim.location.line): \(claim.text) (\(outcome.comparisonText))"))
                    }
                }
            case .predict(let predict):
                line()
                guard let result = results[predict.experiment] else {
                    line(text("Predict: \(predict.question)"))
                    line(text("  options: " + predict.options.joined(separator: " | ")))
                    line("  (answered after experiment \(predict.experiment) runs)")
                    pending.append(predict)
                    continue
                }
                lessonReport.predictions.append(answer(predict, result: result, showQuestion: true))
            }
        }
        line()
        report.lessons.append(lessonReport)
    }

    /// Prints a predict cell's answer; returns its report.
    func answer(_ predict: Predict, result: ExperimentResult, showQuestion: Bool) -> JSONReport.PredictReport {
        let outcome = PredictEvaluator.evaluate(predict, in: result)
        if showQuestion {
            line(text("Predict: \(predict.question)"))
            line(text("  options: " + predict.options.joined(separator: " | ")))
        } else {
            line(text("Predict answer (\(predict.question))"))
        }
        line(text("  answer: \(outcome.answer ?? "undecided (nothing was measured)")"))
        line(text("      " + outcome.values.map { "\($0.expression) = \(formatNumber($0.value))" }.joined(separator: "; ")))
        return JSONReport.PredictReport(experiment: predict.experiment, line: predict.location.line, question: predict.question,
                                        options: predict.options, answer: outcome.answer, rule: predict.answerText, values: outcome.values)
    }

    mutating func runExperiment(_ spec: ExperimentSpec, lesson: Lesson) -> ExperimentResult? {
        let progress = self.progress
        var reporter: (@Sendable (VariantSnapshot) -> Void)?
        if let progress {
            reporter = { @Sendable (snapshot: VariantSnapshot) in
                progress("\r\u{1B}[K[\(VisibleText.sanitize(snapshot.experiment, keepNewlines: false))] \(VisibleText.sanitize(snapshot.variant, keepNewlines: false)): step \(snapshot.stepsDone)/\(snapshot.totalSteps)")
            }
        }
        let result: ExperimentResult
        do {
            result = try ExperimentRunner.run(spec, options: RunOptions(scale: options.scale, seed: options.seed), progress: reporter)
        } catch {
            progress?("\r\u{1B}[K")
            line("Experiment \(spec.name): could not run: \(error.message)")
            runFailures.append("RUN FAILED: lesson \(lesson.id), experiment '\(spec.name)' at \(lesson.file):\(spec.location.line): \(error.message)")
            return nil
        }
        progress?("\r\u{1B}[K")
        let steps = Set(result.variants.map(\.plannedSteps)).sorted()
        let variantWord = result.variants.count == 1 ? "variant" : "variants"
        var summary = "Experiment \(spec.name) (\(spec.kind.rawValue)): \(result.variants.count) \(variantWord)"
        if spec.kind == .train { summary += ", \(steps.map(String.init).joined(separator: "/")) steps" }
        line(summary)
        for variant in result.variants {
            guard let failure = variant.failure else { continue }
            if variant.mayDiverge {
                line("  variant \(variant.name) diverged at step \(failure.step) (expected): \(failure.message)")
            } else {
                line("  variant \(variant.name) DIVERGED at step \(failure.step): \(failure.message)")
                runFailures.append("RUN FAILED: lesson \(lesson.id), experiment '\(spec.name)', variant \(variant.name) diverged to NaN/Inf at step \(failure.step): \(failure.message)")
            }
        }
        return result
    }
}

/// ASCII stand-ins for the Unicode prose and math use (`--ascii`).
public enum ASCIIFallback {
    static let table: [Character: String] = [
        "μ": "mu", "σ": "sigma", "Σ": "Sum", "γ": "gamma", "β": "beta", "ε": "eps", "α": "alpha", "θ": "theta",
        "λ": "lambda", "η": "eta", "δ": "delta", "Δ": "Delta", "π": "pi", "∂": "d", "∞": "inf", "√": "sqrt",
        "·": "*", "×": "x", "±": "+/-", "≈": "~", "≤": "<=", "≥": ">=", "≠": "!=", "→": "->", "←": "<-", "∈": "in",
        "−": "-", "…": "...", "•": "*", "═": "=", "─": "-", "²": "^2", "³": "^3", "ᵀ": "^T", "ⁿ": "^n",
        "ᵢ": "_i", "ⱼ": "_j", "ₖ": "_k", "ₘ": "_m", "ₙ": "_n", "₁": "_1", "₂": "_2", "₃": "_3", "✓": "[ok]", "✗": "[FAIL]",
        "‘": "'", "’": "'", "“": "\"", "”": "\"", "—": "--", "–": "-",
    ]

    public static func convert(_ s: String) -> String {
        var out = ""
        for scalarCharacter in s {
            if let replacement = table[scalarCharacter] { out += replacement; continue }
            // x̂ (x + combining circumflex) → x^
            let scalars = scalarCharacter.unicodeScalars
            if scalars.count == 2, let last = scalars.last, last.value == 0x302 {
                out += String(scalars.first.map(Character.init) ?? "?") + "^"
                continue
            }
            out += scalarCharacter.isASCII ? String(scalarCharacter) : "?"
        }
        return out
    }
}
