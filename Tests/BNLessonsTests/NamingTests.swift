// One name per thing: the metric table against what the lesson runners record, lesson ids against
// file names, and a second lesson file with an id already taken.

import BNEngine
import BNLessons
import Foundation
import Testing

@Suite struct NamingTests {
    static let lesson = lessonText("""
    ```experiment
    name: transform
    kind: transform
    batch:
      - [1.0, 180]
      - [2.0, 220]
      - [4.0, 190]
    ```

    ```experiment
    name: noise
    kind: batch_noise
    data: { dataset: blobs, train_size: 200, test_size: 20 }
    network: { hidden: [4], activation: relu }
    batch_sizes: [4, 16]
    batches: 10
    ```

    """)

    @Test func transformAndBatchNoiseRecordExactlyTheirNamesInTheTable() throws {
        let lesson = try LessonParser.parse(text: Self.lesson, file: "x.md")
        for (spec, source) in zip(lesson.experiments, [MetricName.Source.transform, .batchNoise]) {
            let result = try ExperimentRunner.run(spec)
            let recorded = Set(result.variants.flatMap { $0.record.series.keys.map(\.name) })
            #expect(recorded == MetricName.names(of: source), "\(spec.name)")
            #expect(spec.knownMetrics == MetricName.names(of: source))
        }
    }

    @Test func aFileAnswersToItsNameWithAndWithoutItsNumber() {
        #expect(LessonLocator.names(ofFile: "lessons/03-redundant-bias.md") == ["03-redundant-bias", "redundant-bias"])
        #expect(LessonLocator.names(ofFile: "07_original.md") == ["07_original", "original"])
    }

    @Test func twoLessonFilesWithOneIdAreAnErrorNamingBoth() throws {
        try withTemporaryDirectory("bnlab-ids") { directory in
            let text = lessonText("Some prose.\n")  // id: t
            for name in ["01-first.md", "02-second.md"] {
                try text.write(toFile: directory + "/" + name, atomically: true, encoding: .utf8)
            }
            for arguments in [[], ["t"]] {
                let run = headless(HeadlessOptions(lessons: arguments, lessonsDirectory: directory))
                #expect(run.code == 2)
                #expect(run.errors.contains("01-first.md") && run.errors.contains("02-second.md"), "\(run.errors)")
                #expect(run.errors.contains("lesson id 't'"))
            }
        }
    }
}
