// InputFile against what can be at a path: a regular file at, under and over the limit, nothing, a
// directory, a FIFO (whose ordinary open would wait for a writer forever), a device that never ends,
// and links to each.

@testable import BNFiles
import Foundation
import Testing

struct InputFileTests {
    /// A fresh, empty folder for one test.
    static func folder() throws -> String {
        let path = NSTemporaryDirectory() + "bnlab-input-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        return path
    }

    @Test func aRegularFileIsReadWholeUpToTheLimit() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for size in [0, 1, 4095, 4096, 4097, 100_000] {
            let path = dir + "/f\(size)"
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(try InputFile.read(path, limit: size) == bytes)
            #expect(try InputFile.read(path, limit: size + 1) == bytes)
            if size > 0 {
                #expect(throws: InputFileError(path: path, reason: .tooLarge(bytes: size, limit: size - 1))) {
                    try InputFile.read(path, limit: size - 1)
                }
            }
        }
    }

    @Test func whatIsNotARegularFileIsRefusedByName() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let fifo = dir + "/fifo"
        #expect(mkfifo(fifo, 0o644) == 0)
        let file = dir + "/file"
        try Data("text".utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.createSymbolicLink(atPath: dir + "/to-dir", withDestinationPath: dir)
        try FileManager.default.createSymbolicLink(atPath: dir + "/to-file", withDestinationPath: file)
        try FileManager.default.createSymbolicLink(atPath: dir + "/dangling", withDestinationPath: dir + "/gone")

        func reason(_ path: String) -> InputFileError.Reason? {
            do { _ = try InputFile.read(path, limit: 1 << 20); return nil } catch { return error.reason }
        }
        #expect(reason(dir) == .notRegular(kind: "a directory"))
        #expect(reason(dir + "/to-dir") == .notRegular(kind: "a directory"))
        #expect(reason(fifo) == .notRegular(kind: "a FIFO"))  // returns at once: no writer is waited for
        #expect(reason("/dev/zero") == .notRegular(kind: "a character device"))
        #expect(reason("/dev/null") == .notRegular(kind: "a character device"))
        #expect(reason(dir + "/gone") == .missing)
        #expect(reason(dir + "/dangling") == .missing)
        #expect(reason(file + "/below-a-file") == .missing)
        #expect(reason("") == .missing)
        #expect(reason(dir + "/to-file") == nil)
        #expect(try InputFile.read(dir + "/to-file", limit: 4) == Array("text".utf8))
    }

    @Test func messagesSayWhatIsThere() {
        #expect(InputFileError(path: "/tmp", reason: .notRegular(kind: "a directory")).description
                == "/tmp: it is a directory, not a regular file")
        #expect(InputFileError(path: "x.md", reason: .tooLarge(bytes: 10 << 20, limit: 1 << 20)).message
                == "the file is 10 MiB; the limit is 1 MiB")
        #expect(InputFileError(path: "x", reason: .tooLarge(bytes: (1 << 20) + 1, limit: 1 << 20)).message
                == "the file is 1,048,577 bytes; the limit is 1 MiB")
        #expect(InputFile.size(0) == "0 bytes")
        #expect(InputFile.size(1) == "1 byte")
        #expect(InputFile.size(999) == "999 bytes")
        #expect(InputFile.size(2000) == "2,000 bytes")
        #expect(InputFile.size(3072) == "3 KiB")
        #expect(InputFile.size(1_234_567_890) == "1,234,567,890 bytes")
        #expect(InputFileError(path: "x", reason: .missing).message == "no such file")
    }
}
