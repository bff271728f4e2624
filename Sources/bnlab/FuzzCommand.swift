// `bnlab fuzz --write DIR`: writes seeded mutants of the shipped lessons and of a reference file,
// for .ci/fuzz.sh to run one by one under a memory limit and a timeout (a crash or hang must not
// take the fuzzer down with it, so this command only writes the cases).

import ArgumentParser
import BNLessons
import Foundation

struct FuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz",
        abstract: "Write seeded mutants of the lessons and a reference file (for .ci/fuzz.sh).",
        shouldDisplay: false
    )

    @Option(help: "Folder to write the cases into (created).") var write: String
    @Option(parsing: .unconditional, help: "Lesson mutants to write.") var cases = 300
    @Option(parsing: .unconditional, help: "Reference-file mutants to write.") var referenceCases = 50
    @Option(parsing: .unconditional, help: "Seed (a whole number, 0 or more).") var seed: UInt64 = 1
    @Option(help: "A reference file to mutate.") var reference: String?
    @Option(name: .customLong("lessons"), help: ArgumentHelp("The lessons folder.", valueName: "dir")) var lessonsDirectory: String?

    func validate() throws {
        if !(0...100_000).contains(cases) || !(0...100_000).contains(referenceCases) {
            throw ValidationError("--cases and --reference-cases must be in 0…100000")
        }
    }

    func run() throws {
        let files = try LessonLocator.lessonFiles(in: LessonLocator.directory(explicit: lessonsDirectory))
        let originals = files.compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }
        guard !originals.isEmpty else { throw ValidationError("no lessons to mutate") }
        try FileManager.default.createDirectory(atPath: write, withIntermediateDirectories: true)
        var fuzzer = LessonFuzzer(seed: seed)
        for i in 0..<cases {
            let original = originals[i % originals.count]
            let mutant = fuzzer.lessonMutant(of: original)
            let name = String(format: "lesson-%04d-%@.md", i, mutant.name)
            try Data(mutant.bytes).write(to: URL(fileURLWithPath: write).appendingPathComponent(name))
        }
        if let reference, let text = try? String(contentsOfFile: reference, encoding: .utf8) {
            for i in 0..<referenceCases {
                let mutant = fuzzer.referenceMutant(of: text)
                let name = String(format: "reference-%04d-%@.json", i, mutant.name)
                try Data(mutant.bytes).write(to: URL(fileURLWithPath: write).appendingPathComponent(name))
            }
        }
        say("wrote \(cases) lesson cases\(reference == nil ? "" : " and \(referenceCases) reference cases") to \(write) (seed \(seed))")
    }
}
