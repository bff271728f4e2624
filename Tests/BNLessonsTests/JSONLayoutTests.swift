// The report's layout (JSONLayout): only whitespace outside strings changes, whatever the JSON and
// however it is cut into pieces; arrays of scalars stay on one line, objects break.

import BNEngine
@testable import BNLessons
import Foundation
import Testing

/// A random JSON value: nested objects and arrays, strings full of what the layout must not read as
/// structure (brackets, braces, commas, colons, quotes, backslashes, newlines, non-ASCII).
private func randomValue(_ rng: inout SplitMix64, depth: Int = 0) -> Any {
    let pick = depth >= 4 ? Int(rng.next() % 4) : Int(rng.next() % 7)
    switch pick {
    case 0: return Double(Int64(bitPattern: rng.next()) % 1_000_000) / 1000
    case 1: return Int(rng.next() % 1000)
    case 2:
        let alphabet = Array("ab {}[],:\"\\\n\t/é∞ \u{1}")
        return String((0..<Int(rng.next() % 8)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] })
    case 3: return rng.next() % 2 == 0 ? true : NSNull()
    case 4, 5:
        return (0..<Int(rng.next() % 5)).map { _ in randomValue(&rng, depth: depth + 1) }
    default:
        var object: [String: Any] = [:]
        for index in 0..<Int(rng.next() % 5) { object["k\(index)\(index % 2 == 0 ? "[{," : "")"] = randomValue(&rng, depth: depth + 1) }
        return object
    }
}

/// Lays out `compact` cut into pieces at the given offsets.
private func layOut(_ compact: Data, cuts: [Int]) -> Data {
    var layout = JSONLayout()
    var out = Data(), start = 0
    for cut in cuts.sorted() + [compact.count] where cut >= start {
        out.append(layout.layOut(compact.subdata(in: start..<cut)))
        start = cut
    }
    return out
}

/// `json` without the spaces and newlines outside its strings.
private func withoutLayout(_ json: Data) -> Data {
    var out = Data(), inString = false, escaped = false
    for byte in json {
        if inString {
            if escaped { escaped = false } else if byte == UInt8(ascii: "\\") { escaped = true } else if byte == UInt8(ascii: "\"") { inString = false }
        } else if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") {
            continue
        } else if byte == UInt8(ascii: "\"") {
            inString = true
        }
        out.append(byte)
    }
    return out
}

@Test func layoutKeepsEveryValueWhateverThePieces() throws {
    var rng = SplitMix64(seed: 20261206)
    var changedSomething = 0
    for _ in 0..<2000 {
        let value: Any = rng.next() % 2 == 0 ? ["root": randomValue(&rng)] : [randomValue(&rng)]
        let compact = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed])
        let cuts = (0..<Int(rng.next() % 4)).map { _ in Int(rng.next() % UInt64(compact.count + 1)) }
        let laidOut = layOut(compact, cuts: cuts)
        let back = try JSONSerialization.jsonObject(with: laidOut, options: [.fragmentsAllowed])
        #expect(NSArray(object: back).isEqual(NSArray(object: value)), "\(String(decoding: compact, as: UTF8.self))")
        // Only whitespace outside strings changed: without it, the bytes are the compact text's.
        #expect(withoutLayout(laidOut) == compact)
        #expect(laidOut.last == UInt8(ascii: "\n"))
        if laidOut.count != compact.count { changedSomething += 1 }
    }
    #expect(changedSomething > 1500, "the layout left most documents as they were: it does nothing")
}

@Test func arraysOfScalarsStayOnALineAndObjectsBreak() throws {
    let compact = Data(#"{"a":[1,2.5,"x,]"],"b":[{"c":[]},{}],"d":{"e":[true,null,{"f":1}]},"g":[]}"#.utf8)
    let laidOut = String(decoding: layOut(compact, cuts: [1, 7, 8]), as: UTF8.self)
    #expect(laidOut == """
        {
          "a": [1, 2.5, "x,]"],
          "b": [
            {
              "c": []
            },
            {}
          ],
          "d": {
            "e": [true, null, {"f": 1}]
          },
          "g": []
        }

        """)
}

@Test func reportWritesEveryLessonAfterItsKeys() throws {
    try withTemporaryDirectory("bnlab-layout") { dir in
        var report = JSONReport(scale: 1, seedOffset: 0)
        for id in ["01", "02", "03"] {
            var lesson = JSONReport.LessonReport(id: id, title: "T \(id) [\"{", file: "f.md")
            lesson.experiments = [JSONReport.ExperimentReport(name: "e", kind: "train", line: 3, tweaked: false, variants: [
                JSONReport.VariantReport(name: "v", plannedSteps: 3, stepsDone: 3, mayDiverge: false, failure: nil, series: [
                    JSONReport.SeriesReport(metric: "loss", steps: [0, 1, 2], values: [1.5, .nan, .infinity]),
                ]),
            ])]
            report.add(lesson)
        }
        try report.write(to: dir + "/r.json")
        let text = try String(contentsOfFile: dir + "/r.json", encoding: .utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let lessons = try #require(object["lessons"] as? [[String: Any]])
        #expect(lessons.map { $0["id"] as? String } == ["01", "02", "03"])
        #expect(lessons.first?["title"] as? String == "T 01 [\"{")
        #expect(object["format"] as? String == "bnlab-report")
        #expect(text.contains(#""values": [1.5, "NaN", "Infinity"]"#))
        #expect(text.contains(#""steps": [0, 1, 2]"#))
    }
}
