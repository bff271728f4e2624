// The one way bnlab reads a whole file the user named (a lesson, a reference file, the saved
// progress): only a regular file, only up to a limit, and every refusal says what is at the path.
//
//   open(O_NONBLOCK)   a FIFO at the path would block an ordinary open until a writer came
//   fstat              on the open file, so what is checked is what is read
//   regular file?      a directory, device, FIFO or socket is refused by name (/dev/zero never ends)
//   size ≤ limit       before a byte is read, so nothing large is allocated
//   read ≤ limit + 1   a file that grows after fstat is still refused, not read without end

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an input file cannot be read: the path as given and what is wrong, for a located message.
public struct InputFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: Sendable, Equatable {
        case missing
        case notRegular(kind: String)
        case tooLarge(bytes: Int, limit: Int)
        case unreadable(String)
    }
    public var path: String
    public var reason: Reason

    /// What is wrong, without the path: "no such file", "it is a directory, not a regular file", …
    public var message: String {
        switch reason {
        case .missing: "no such file"
        case let .notRegular(kind): "it is \(kind), not a regular file"
        case let .tooLarge(bytes, limit): "the file is \(InputFile.size(bytes)); the limit is \(InputFile.size(limit))"
        case let .unreadable(why): "cannot read the file: \(why)"
        }
    }
    public var description: String { "\(path): \(message)" }
}

public enum InputFile {
    /// The whole regular file at `path`, if it holds at most `limit` bytes (see the file comment).
    public static func read(_ path: String, limit: Int) throws(InputFileError) -> [UInt8] {
        func failure(_ reason: InputFileError.Reason) -> InputFileError { InputFileError(path: path, reason: reason) }
        func errnoFailure(_ code: Int32) -> InputFileError {
            code == ENOENT || code == ENOTDIR ? failure(.missing) : failure(.unreadable(String(cString: strerror(code))))
        }
        guard !path.isEmpty else { throw failure(.missing) }
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw errnoFailure(errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw errnoFailure(errno) }
        guard info.st_mode & S_IFMT == S_IFREG else { throw failure(.notRegular(kind: fileKind(info.st_mode))) }
        guard Int(info.st_size) <= limit else { throw failure(.tooLarge(bytes: Int(info.st_size), limit: limit)) }

        var bytes = [UInt8](repeating: 0, count: min(Int(info.st_size), limit) + 1)
        var count = 0
        while true {
            if count == bytes.count {
                guard count <= limit else { throw failure(.tooLarge(bytes: count, limit: limit)) }  // it grew
                bytes += [UInt8](repeating: 0, count: min(max(count, 4096), limit + 1 - count))
            }
            let n = bytes.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw errnoFailure(errno)
            }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// A byte count for a message, exact: "3 MiB", "12 KiB" for whole multiples, else "1,048,577 bytes".
    static func size(_ bytes: Int) -> String {
        if bytes > 0, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes > 0, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        var digits = String(bytes.magnitude), grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return (bytes < 0 ? "-" : "") + digits + grouped + (bytes == 1 ? " byte" : " bytes")
    }
}
