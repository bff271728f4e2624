// The one way bnlab writes a file the user named (the --json report, $BNLAB_STATS_FILE): into a
// uniquely named temporary file in the same directory, then rename(2) over the target. A reader
// sees the old file or the new one, never none and never half; two runs writing the same path both
// succeed (the last rename wins); a run that stops early leaves the old file as it was.
//
// Only regular files are ever replaced: a directory, device, FIFO or socket at the path is refused,
// never removed. A symbolic link is followed to the file it names (which must be regular), so the
// link survives.

import Foundation

/// Why an output file cannot be written, for a message.
public struct OutputFileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "cannot write \(path): \(message)" }

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
}

public enum AtomicFile {
    /// Checks, before any work starts, that `path` can be written: whatever is there is a regular
    /// file, and a temporary file can be created next to it. Returns the path writes should go to
    /// (symbolic links resolved).
    @discardableResult
    public static func checkWritable(_ path: String) throws(OutputFileError) -> String {
        let target = try resolve(path)
        let (fd, temporary) = try createTemporary(for: target, reported: path)
        close(fd)
        unlink(temporary)
        return target
    }

    /// Writes `data` to `path` atomically (see the file comment).
    public static func write(_ data: Data, to path: String) throws(OutputFileError) {
        try write(contentsOf: CollectionOfOne(data), to: path)
    }

    /// Writes the pieces, one after another, to `path` atomically: a lazy sequence is drawn as it is
    /// written, so the whole text need not be in memory at once.
    public static func write(contentsOf pieces: some Sequence<Data>, to path: String) throws(OutputFileError) {
        let target = try resolve(path)
        let (fd, temporary) = try createTemporary(for: target, reported: path)
        func fail(_ what: String, _ code: Int32) -> OutputFileError {
            close(fd)
            unlink(temporary)
            return OutputFileError(path: path, message: "\(what): \(String(cString: strerror(code)))")
        }
        for data in pieces {
            if let code = data.withUnsafeBytes({ writeAll(fd, $0) }) { throw fail("writing", code) }
        }
        // Keep the permissions of the file being replaced; a new file gets rw-r--r-- (less the umask).
        var existing = stat()
        let mode: mode_t = stat(target, &existing) == 0 ? existing.st_mode & 0o7777 : 0o644 & ~currentUmask()
        if fchmod(fd, mode) != 0 { throw fail("setting permissions", errno) }
        if fsync(fd) != 0 { throw fail("flushing", errno) }
        if close(fd) != 0 {
            let code = errno
            unlink(temporary)
            throw OutputFileError(path: path, message: "closing: \(String(cString: strerror(code)))")
        }
        // rename(2) replaces a regular file atomically; checked again just before, to narrow the
        // window in which something else could have been put at the path.
        do { _ = try resolve(path) } catch { unlink(temporary); throw error }
        if rename(temporary, target) != 0 {
            let code = errno
            unlink(temporary)
            throw OutputFileError(path: path, message: "renaming into place: \(String(cString: strerror(code)))")
        }
    }

    /// `path` with symbolic links followed; throws unless it is absent or a regular file.
    static func resolve(_ path: String) throws(OutputFileError) -> String {
        if path.isEmpty { throw OutputFileError(path: "''", message: "the path is empty") }
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return path }
            throw OutputFileError(path: path, message: String(cString: strerror(errno)))
        }
        if info.st_mode & S_IFMT == S_IFLNK {
            var target = stat()
            guard stat(path, &target) == 0 else {
                throw OutputFileError(path: path, message: "it is a symbolic link to a missing file; not replacing it")
            }
            guard target.st_mode & S_IFMT == S_IFREG, let real = realpath(path, nil) else {
                throw OutputFileError(path: path, message: "it is a link to \(fileKind(target.st_mode)), not a regular file; not replacing it")
            }
            defer { free(real) }
            return String(cString: real)
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw OutputFileError(path: path, message: "it is \(fileKind(info.st_mode)), not a regular file; not replacing it")
        }
        return path
    }

    /// A new, uniquely named file next to `target`, open for writing.
    static func createTemporary(for target: String, reported: String) throws(OutputFileError) -> (Int32, String) {
        let url = URL(fileURLWithPath: target)
        let directory = url.deletingLastPathComponent().path
        var template = Array((directory as NSString).appendingPathComponent(".\(url.lastPathComponent).tmp-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw OutputFileError(path: reported, message: "cannot create a file in \(directory): \(String(cString: strerror(errno)))")
        }
        return (fd, String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self))
    }

    static func currentUmask() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return mask
    }
}
