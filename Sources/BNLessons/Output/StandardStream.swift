// Writing to standard output and standard error without ever trapping: `FileHandle.write` raises
// (and so crashes the process) when the descriptor is closed, the disk is full or the reader of a
// pipe has gone (`bnlab … | head`). These write with write(2), retry short writes and EINTR, and
// report failure, so a command can stop with an exit code instead.
//
// SIGPIPE must be ignored (`ignoreBrokenPipe()`, done first thing in main) for a closed pipe to
// come back as EPIPE here rather than killing the process silently.

import BNFiles
import Foundation

public enum StandardStream: Sendable {
    case output, error

    /// The exit code after standard output failed: the same as a run that could not finish.
    public static let failureExitCode: Int32 = 3

    var descriptor: Int32 { self == .output ? 1 : 2 }

    /// Makes a closed pipe an EPIPE error instead of a fatal signal.
    public static func ignoreBrokenPipe() { signal(SIGPIPE, SIG_IGN) }

    /// Writes all of `text`; returns the errno on failure (EPIPE, EBADF, ENOSPC, EIO…), nil on success.
    @discardableResult
    public func write(_ text: String) -> Int32? {
        var text = text
        return text.withUTF8 { writeAll(descriptor, UnsafeRawBufferPointer($0)) }
    }

    /// Writes `text` to standard output; if that fails, says so on standard error (if it can) and
    /// ends the process with ``failureExitCode``. For the executable's printing, not for libraries.
    public static func printOrExit(_ text: String) {
        guard let failure = StandardStream.output.write(text) else { return }
        // A reader that went away (head) is not news; anything else is.
        if failure != EPIPE {
            StandardStream.error.write("bnlab: cannot write to standard output: \(String(cString: strerror(failure)))\n")
        }
        exit(failureExitCode)
    }
}
