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

    /// The most any file may decompress to: 256 MiB (MNIST's largest file is 47 MB).
    public static let absoluteLimit = 256 << 20

    /// The decompressed contents of the gzip stream `bytes`; `file` names it in errors.
    ///
    /// The output never grows past `limit` bytes, nor past what `expectedSize` promises once it has
    /// seen enough of the output to say (an IDX file's header gives its exact size); a stream that
    /// would decompress to more is refused. The gzip trailer's size field is never used to size
    /// anything: it is 4 bytes anyone can append.
    ///
    /// Throws ``DataError/corruptGzip(file:detail:)`` when the stream is damaged, ends early or is too large.
    public static func decompress(_ bytes: [UInt8], file: String, limit: Int = absoluteLimit,
                                  expectedSize: (([UInt8]) -> Int?)? = nil) throws -> [UInt8] {
        guard isGzip(bytes), bytes.count >= 18 else {
            throw DataError.corruptGzip(file: file, detail: "\(bytes.count) bytes is too short for a gzip stream")
        }
        var stream = z_stream()
        // 16 + MAX_WBITS: expect a gzip header and trailer, not a raw zlib stream.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError.corruptGzip(file: file, detail: "zlib could not start: \(message(stream))")
        }
        defer { inflateEnd(&stream) }

        // Start small and double, never past the cap; once the header is out, reserve exactly what it promises.
        var cap = limit
        var promised: Int?
        var output = [UInt8](repeating: 0, count: min(cap, 64 << 10))
        var written = 0
        var tooLarge = false
        let status: Int32 = bytes.withUnsafeBufferPointer { input in
            // NOTE: zlib's next_in is not const in its Swift import; inflate never writes through it.
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            stream.avail_in = UInt32(clamping: input.count)
            while true {
                if promised == nil, let expectedSize, let size = expectedSize(Array(output[0..<min(written, 64)])) {
                    promised = size
                    cap = min(cap, max(size, 0))
                    if output.count < cap { output.append(contentsOf: repeatElement(0, count: cap - output.count)) }
                }
                if written == output.count {
                    // Room for one more byte past the cap, so "the stream goes on" can be seen.
                    if written > cap { tooLarge = true; return Z_DATA_ERROR }
                    let grown = min(max(2 * output.count, 1024), cap + 1)
                    output.append(contentsOf: repeatElement(0, count: grown - output.count))
                }
                let room = output.count - written
                let status: Int32 = output.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress.map { $0 + written }
                    stream.avail_out = UInt32(clamping: room)
                    let before = Int(stream.avail_out)
                    let status = inflate(&stream, Z_NO_FLUSH)
                    written += before - Int(stream.avail_out)
                    return status
                }
                if written > cap { tooLarge = true; return Z_DATA_ERROR }
                // Z_BUF_ERROR with output room left means the input ran out before the end marker.
                if status == Z_OK || (status == Z_BUF_ERROR && stream.avail_out == 0) { continue }
                return status
            }
        }
        if tooLarge {
            let why = promised.map { "more than the \($0) bytes its header promises" } ?? "more than bnlab's limit of \(limit >> 20) MiB"
            throw DataError.corruptGzip(file: file, detail: "it decompresses to \(why)")
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
