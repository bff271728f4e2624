// Issue 13: nothing a user types can crash bnlab, hang it, or lose a file. One test (or a few) per
// class: output files, limits, YAML aliases, errors in file order, visible control characters, and
// the fuzzer's in-process run.

import BNEngine
import BNFiles
import BNLessons
import BNPlots
import Foundation
import Testing

private func temporaryPath(_ name: String) -> String {
    NSTemporaryDirectory() + "bnlab-hostile-\(UUID().uuidString)-\(name)"
}

private func runText(_ text: String, json: String? = nil, scale: Double = 1) -> Captured {
    let path = temporaryPath("lesson.md")
    try? text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return headless(HeadlessOptions(lessons: [path], json: json, scale: scale, ascii: true))
}

// MARK: Files the user owns

@Suite struct OutputFileTests {
    @Test func jsonOverADirectoryIsRefusedAndTheDirectoryKept() throws {
        let directory = temporaryPath("victim")
        try FileManager.default.createDirectory(atPath: directory + "/sub", withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: URL(fileURLWithPath: directory + "/sub/file"))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let run = headless(HeadlessOptions(lessons: [Paths.fixture("tiny.md")], json: directory))
        #expect(run.code == 2)
        #expect(run.errors.contains("not a regular file"))
        #expect(!run.output.contains("Experiment"), "training started before the report's place was checked")
        #expect(FileManager.default.contents(atPath: directory + "/sub/file") == Data("keep".utf8))
    }

    @Test func jsonOverADeviceIsRefused() {
        let run = headless(HeadlessOptions(lessons: [Paths.fixture("tiny.md")], json: "/dev/null"))
        #expect(run.code == 2)
        #expect(run.errors.contains("character device"))
    }

    @Test func jsonInAMissingFolderIsRefusedBeforeTraining() {
        let run = headless(HeadlessOptions(lessons: [Paths.fixture("tiny.md")], json: "/nonexistent-bnlab-folder/report.json"))
        #expect(run.code == 2)
        #expect(run.output.isEmpty)
    }

    @Test func aSymbolicLinkIsFollowedAndKept() throws {
        let target = temporaryPath("target.json"), link = temporaryPath("link.json")
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        defer { try? FileManager.default.removeItem(atPath: target); try? FileManager.default.removeItem(atPath: link) }
        try AtomicFile.write(Data("new".utf8), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == target)
        #expect(FileManager.default.contents(atPath: target) == Data("new".utf8))
    }

    /// A reader polling the file while two writers replace it over and over never finds it
    /// missing or partial, and every write succeeds.
    @Test func concurrentWritersAndAReaderNeverSeeNoFile() throws {
        let path = temporaryPath("report.json")
        let payload = { @Sendable (i: Int) in Data((String(repeating: "x", count: 20_000) + " \(i)\n").utf8) }
        try AtomicFile.write(payload(0), to: path)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let failures = TextSink(), missing = TextSink()
        let finished = TextSink()
        let reader = Thread {
            while finished.value.isEmpty {
                guard let data = FileManager.default.contents(atPath: path) else { missing.append("m"); continue }
                if data.count < 20_000 || data.last != UInt8(ascii: "\n") { missing.append("p") }
            }
        }
        reader.start()
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            for i in 0..<150 {
                do { try AtomicFile.write(payload(writer * 1000 + i), to: path) } catch { failures.append("\(error)\n") }
            }
        }
        finished.append("done")
        Thread.sleep(forTimeInterval: 0.05)
        #expect(failures.value.isEmpty)
        #expect(missing.value.isEmpty, "missing or partial in \(missing.value.count) reads")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: NSTemporaryDirectory())
            .filter { $0.hasPrefix("." + (path as NSString).lastPathComponent + ".tmp-") }
        #expect(leftovers.isEmpty)
    }
}

// MARK: Limits before allocation

@Suite struct LimitTests {
    @Test func aHugeNetworkIsRefusedWithTheEstimate() {
        let config = TrainingConfig(network: .mlp(inputs: 784, hidden: [100_000_000], classes: 10, activation: .relu),
                                    optimizer: .sgd(learningRate: 0.1), batchSize: 60, steps: 10)
        #expect {
            try config.validate(trainCount: 60_000, features: 784, classes: 10)
        } throws: { error in
            let text = "\(error)"
            return text.contains("GB") && text.contains("limit")
        }
        // Absurd widths saturate rather than overflow.
        let absurd = MemoryEstimate(TrainingConfig(network: .mlp(inputs: 784, hidden: [Int.max / 2, Int.max / 2], classes: 10, activation: .relu),
                                                   optimizer: .sgd(learningRate: 0.1), batchSize: 60, steps: 10), trainCount: 1, features: 784)
        #expect(absurd.total == Int.max)
    }

    @Test func theShippedLessonsFitTheBudget() throws {
        // The largest shipped network, as a lesson configures it, is far below the budget.
        let config = TrainingConfig(network: .mlp(inputs: 784, hidden: [100, 100, 100], classes: 10, activation: .sigmoid, batchNorm: .before),
                                    optimizer: .sgd(learningRate: 0.5), batchSize: 60, steps: 50_000, evaluationInterval: 500)
        let estimate = MemoryEstimate(config, trainCount: 60_000, testCount: 10_000, features: 784)
        #expect(estimate.total < MemoryEstimate.budget / 4)
        #expect(estimate.data > 60_000 * 784 * 4)
    }

    @Test func aHugeHiddenLayerInALessonIsBadInput() {
        let text = lessonText("""
        ```experiment
        name: e
        data: { dataset: blobs, train_size: 100, test_size: 50 }
        network: { hidden: [100000000], activation: relu }
        optimizer: { name: sgd, learning_rate: 0.1 }
        batch_size: 10
        steps: 5
        ```
        """)
        let started = Date()
        let run = runText(text)
        #expect(run.code == 2)
        #expect(run.errors.contains("limit"), "\(run.errors)")
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func anyScaleConvertsWithoutTrappingAndHugeOnesAreRefused() {
        let run = headless(HeadlessOptions(lessons: [Paths.fixture("tiny.md")], scale: 1e300))
        #expect(run.code == 2)
        #expect(run.errors.contains("limit of \(TrainingConfig.maximumSteps)"))
        let run9 = headless(HeadlessOptions(lessons: [Paths.fixture("tiny.md")], scale: 1e9))
        #expect(run9.code == 2)
    }

    @Test func claimNumbersTooLargeForIntAreErrorsNotTraps() {
        for claim in ["final mean of layer 99999999999999999999 in bn > 0", "test_accuracy at step 1e300 of bn > 0",
                      "final p50 of layer 1 unit 1e30 in bn > 0", "final mean of layer -3 in bn > 0"] {
            let text = lessonText("""
            \(plainAndBNExperiment())
            ```claim
            \(claim)
            ```
            """)
            #expect(parseError(text) != nil, "accepted: \(claim)")
        }
    }
}

// MARK: YAML anchors, CRLF and BOM

@Suite struct YAMLShapeTests {
    @Test func aliasBombFailsFastWithAMessage() {
        let bomb = LessonFuzzer.billionLaughs
        let text = lessonText("```experiment\nname: e\n" + bomb + "```\n")
        let started = Date()
        let error = parseError(text)
        #expect(Date().timeIntervalSince(started) < 1)
        #expect(error?.message.contains("not supported") == true, "\(String(describing: error))")
    }

    @Test func anAliasInTheFrontMatterIsRefused() {
        let error = parseError("---\nid: &x t\ntitle: *x\norder: 1\nsummary: s\nestimated_time: 1 s\n---\nHi\n")
        #expect(error != nil)
    }

    @Test func deepNestingIsRefused() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = parseError(lessonText("```experiment\nname: e\nnetwork: { hidden: \(deep) }\n```\n"))
        #expect(error?.message.contains("nests deeper") == true)
    }

    @Test func crlfAndByteOrderMarkAreReadNormally() throws {
        let original = try String(contentsOfFile: Paths.fixture("tiny.md"), encoding: .utf8)
        let plain = try LessonParser.parse(text: original, file: "tiny.md")
        let windows = Array("\u{FEFF}".utf8) + Array(original.replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let converted = try LessonParser.parse(bytes: windows, file: "tiny.md")
        #expect(converted.cells.count == plain.cells.count)
        #expect(converted.id == plain.id)
        #expect(converted.cells.map(\.location) == plain.cells.map(\.location))
    }

    @Test func aLessonFolderWithAnAliasBombDoesNotHangTheList() throws {
        let folder = temporaryPath("lessons")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try lessonText("```experiment\nname: e\n" + LessonFuzzer.billionLaughs + "```\n")
            .write(toFile: folder + "/01-bomb.md", atomically: true, encoding: .utf8)
        let started = Date()
        let lessons = try? LessonLocator.lessons([], directory: folder)
        #expect(lessons == nil)
        #expect(Date().timeIntervalSince(started) < 1)
    }
}

// MARK: Errors a lesson author can act on

@Suite struct ErrorOrderTests {
    @Test func everyErrorIsReportedInFileOrder() {
        let text = lessonText("""
        ```predict
        question: q?
        options: [plain, bn]
        answer: highest final test_accuracy
        ```

        ```experiment
        name: e
        kind: trian
        ```

        ```claims
        final test_accuracy of bn > 0.5
        ```

        ```experiment
        name: f
        batch_sise: 3
        ```
        """)
        guard let error = parseError(text) else { Issue.record("accepted"); return }
        let all = error.all
        #expect(all.count == 3, "\(error)")
        #expect(all.map(\.location.line) == all.map(\.location.line).sorted())
        // The predict above the broken experiment does not mask the experiment's own error.
        #expect(!error.description.contains("before any experiment"))
        #expect(all.first?.message.contains("trian") == true)
        #expect(all.contains { $0.message.contains("'claims'") && $0.hint?.contains("did you mean 'claim'") == true })
    }

    @Test func duplicatePredictOptionsAreAnError() {
        let text = lessonText("""
        \(plainAndBNExperiment())
        ```predict
        question: q?
        options: [plain, bn, plain]
        answer: highest final test_accuracy
        ```
        """)
        #expect(parseError(text)?.message.contains("listed twice") == true)
    }

    @Test func twoLessonsWithOneIdAreNamedBoth() throws {
        let folder = temporaryPath("lessons")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try lessonText("Hello\n").write(toFile: folder + "/01-a.md", atomically: true, encoding: .utf8)
        try lessonText("Hello\n").write(toFile: folder + "/02-b.md", atomically: true, encoding: .utf8)
        do {
            _ = try LessonLocator.lessons([], directory: folder)
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains("01-a.md") && error.description.contains("02-b.md"))
        }
    }
}

// MARK: Nothing raw reaches the terminal

@Suite struct ControlCharacterTests {
    @Test func headlessOutputAndErrorsCarryNoControlCharacters() {
        let nasty = "\u{1B}]0;pwned\u{07}\u{1B}[2J \u{9B}31m \u{1B}]52;c;aGk=\u{07} \u{08}\u{7F}"
        for ascii in [false, true] {
            let path = temporaryPath("ctl.md")
            try? lessonText("# Hello \(nasty)\n\nProse \(nasty)\n").write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let run = headless(HeadlessOptions(lessons: [path], ascii: ascii))
            #expect(run.code == 0, "\(run.errors)")
            let raw = run.output.unicodeScalars.filter { VisibleText.needsEscape($0) }
            #expect(raw.isEmpty, "raw control characters: \(raw.map { String($0.value, radix: 16) })")
            #expect(run.output.contains(ascii ? "\\e]0;pwned\\a" : "␛]0;pwned␇"))
            // An error message quoting the input is sanitized too.
            let bad = headless(HeadlessOptions(lessons: ["no\u{1B}[2Jsuch"], ascii: ascii))
            #expect(bad.code == 2)
            #expect(!bad.errors.unicodeScalars.contains { $0.value == 0x1B })
        }
    }
}

// MARK: The fuzzer, in-process (parse only)

@Suite struct FuzzTests {
    /// Mutants of every shipped lesson and the tiny fixture: parsing never traps and never hangs;
    /// every failure is a LessonError whose locations lie inside the file.
    @Test func mutatedLessonsParseOrFailWithALocatedError() throws {
        var originals = try LessonLocator.lessonFiles(in: Paths.lessons).map { try String(contentsOfFile: $0, encoding: .utf8) }
        originals.append(try String(contentsOfFile: Paths.fixture("tiny.md"), encoding: .utf8))
        var fuzzer = LessonFuzzer(seed: 13)
        var failures = 0, worst = 0.0
        let cases = 400
        for i in 0..<cases {
            let mutant = fuzzer.lessonMutant(of: originals[i % originals.count])
            let lines = mutant.bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
            let started = Date()
            do {
                _ = try LessonParser.parse(bytes: mutant.bytes, file: "case-\(i).md")
            } catch {
                failures += 1
                for e in error.all {
                    #expect(e.file == "case-\(i).md")
                    #expect(e.location.line >= 1 && e.location.line <= lines + 1, "case \(i) (\(mutant.name)): \(e)")
                    #expect(e.location.column >= 1)
                }
            }
            let seconds = Date().timeIntervalSince(started)
            worst = max(worst, seconds)
            // A hang shows as minutes; 5 s leaves room for an unoptimized debug build on a busy
            // machine (a 60,000-character line parses in ~0.3 s in release, process start included).
            #expect(seconds < 5, "case \(i) (\(mutant.name)) took \(seconds) s")
        }
        // The mutations are real: most mutants are errors.
        #expect(failures > cases / 3, "only \(failures) of \(cases) mutants failed to parse")
    }

    @Test func theFuzzerIsDeterministic() {
        var a = LessonFuzzer(seed: 7), b = LessonFuzzer(seed: 7)
        for _ in 0..<20 { #expect(a.lessonMutant(of: lessonText("Hi\n")).bytes == b.lessonMutant(of: lessonText("Hi\n")).bytes) }
    }
}
