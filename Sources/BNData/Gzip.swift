// Decompresses a gzip stream held in memory, with the system zlib.
//
// Deliberately left out: streaming from disk (MNIST fits in memory), multi-member gzip files (only
// the first member is read; MNIST has one), and compression.

import CZlib

/// Gzip detection and in-memory decompression.
public enum Gzip {
    /// True when `bytes` start with the gzip magic `1f 8b`.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// The decompressed contents of the gzip stream `bytes`; `file` names it in errors.
    ///
    /// Throws ``DataError/corruptGzip(file:detail:)`` when the stream is damaged or ends early.
    public static func decompress(_ bytes: [UInt8], file: String) throws -> [UInt8] {
        guard isGzip(bytes), bytes.count >= 18 else {
            throw DataError.corruptGzip(file: file, detail: "\(bytes.count) bytes is too short for a gzip stream")
        }
        // The trailer's ISIZE (uncompressed size mod 2^32) sizes the buffer in one go. It is only a
        // hint: a damaged trailer cannot make us allocate more than deflate's maximum ratio (~1032:1)
        // allows, and the loop below grows the buffer if the hint is short.
        let n = bytes.count
        let isize = Int(bytes[n - 4]) | Int(bytes[n - 3]) << 8 | Int(bytes[n - 2]) << 16 | Int(bytes[n - 1]) << 24
        var output = [UInt8](repeating: 0, count: max(1024, min(isize, n * 1032)))

        var stream = z_stream()
        // 16 + MAX_WBITS: expect a gzip header and trailer, not a raw zlib stream.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError.corruptGzip(file: file, detail: "zlib could not start: \(message(stream))")
        }
        defer { inflateEnd(&stream) }

        var written = 0
        let status: Int32 = bytes.withUnsafeBufferPointer { input in
            // NOTE: zlib's next_in is not const in its Swift import; inflate never writes through it.
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(clamping: input.count)
            while true {
                if written == output.count {
                    output.append(contentsOf: repeatElement(0, count: output.count))
                }
                let room = output.count - written
                let status: Int32 = output.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress.map { $0 + written }
                    stream.avail_out = UInt32(clamping: room)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    written += room - Int(stream.avail_out)
                    return status
                }
                // Z_BUF_ERROR with output room left means the input ran out before the end marker.
                if status == Z_OK || (status == Z_BUF_ERROR && stream.avail_out == 0) { continue }
                return status
            }
        }
        switch status {
        case Z_STREAM_END:
            output.removeLast(output.count - written)
            return output
        case Z_BUF_ERROR:
            throw DataError.corruptGzip(file: file, detail: "the stream ends early after \(written) decompressed bytes; the file is truncated")
        default:
            throw DataError.corruptGzip(file: file, detail: "zlib error \(status): \(message(stream))")
        }
    }

    private static func message(_ stream: z_stream) -> String {
        stream.msg.map { String(cString: $0) } ?? "no message"
    }
}
