// The system calls BNFiles shares: what kind of file a mode describes, a whole write, and read(2)
// under a name of its own (inside `InputFile.read` a plain `read` is the method itself). At file
// scope `read` and `write` are the C functions, on Linux and macOS alike.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a `stat` mode describes, for a message: "a directory", "a FIFO", …
func fileKind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFDIR: "a directory"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFIFO: "a FIFO"
    case S_IFSOCK: "a socket"
    case S_IFLNK: "a symbolic link"
    default: "not a regular file"
    }
}

/// Writes all of `bytes` to `descriptor`, retrying short writes and EINTR: nil, or the errno of the
/// failure (EPIPE, EBADF, ENOSPC, EIO for a write that wrote nothing).
public func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32? {
    var done = 0
    while done < bytes.count {
        let n = write(descriptor, bytes.baseAddress! + done, bytes.count - done)
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        if n == 0 { return EIO }
        done += n
    }
    return nil
}

/// read(2).
func systemRead(_ descriptor: Int32, _ bytes: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(descriptor, bytes, count)
}
