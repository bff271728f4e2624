// Issue 13: a gzip file decompresses to no more than its IDX header promises (and never more than
// Gzip.absoluteLimit), and the trailer's size field sizes nothing.

import CZlib
import Foundation
import Testing
@testable import BNData

/// `bytes` gzip-compressed (zlib's deflate with a gzip wrapper).
private func gzip(_ bytes: [UInt8]) -> [UInt8] {
    var stream = z_stream()
    guard deflateInit2_(&stream, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else { return [] }
    defer { deflateEnd(&stream) }
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
    var input = bytes
    let written: Int = input.withUnsafeMutableBufferPointer { inp in
        output.withUnsafeMutableBufferPointer { out in
            stream.next_in = inp.baseAddress
            stream.avail_in = UInt32(inp.count)
            stream.next_out = out.baseAddress
            stream.avail_out = UInt32(out.count)
            _ = deflate(&stream, Z_FINISH)
            return out.count - Int(stream.avail_out)
        }
    }
    return Array(output.prefix(written))
}

private func labelsFile(count: Int, payload: Int) -> [UInt8] {
    [0, 0, 8, 1] + withUnsafeBytes(of: UInt32(count).bigEndian, Array.init) + [UInt8](repeating: 3, count: payload)
}

@Test func gzipThatDecompressesPastItsHeaderIsRefused() throws {
    // The header promises 10 labels; the stream holds 20 MB more.
    let bomb = gzip(labelsFile(count: 10, payload: 20_000_000))
    #expect(bomb.count < 100_000)
    #expect(throws: DataError.self) {
        try Gzip.decompress(bomb, file: "bomb.gz", expectedSize: IDXFile.expectedSize)
    }
    do {
        _ = try Gzip.decompress(bomb, file: "bomb.gz", expectedSize: IDXFile.expectedSize)
    } catch {
        #expect("\(error)".contains("more than the 18 bytes its header promises"), "\(error)")
    }
}

@Test func gzipPastTheAbsoluteLimitIsRefused() {
    let big = gzip([UInt8](repeating: 0, count: 3_000_000))
    #expect(throws: DataError.self) { try Gzip.decompress(big, file: "big.gz", limit: 1_000_000) }
}

@Test func aForgedTrailerIsIgnored() throws {
    let honest = labelsFile(count: 1000, payload: 1000)
    var forged = gzip(honest)
    // ISIZE, the last 4 bytes, claims 4 GB; zlib checks ISIZE itself, so only the allocation matters:
    // decompression must not size its buffer from it (it would ask for 4 GB at once).
    forged.append(contentsOf: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    let plain = gzip(honest)
    #expect(try Gzip.decompress(plain, file: "ok.gz", expectedSize: IDXFile.expectedSize) == honest)
    // With 8 appended bytes the first member still decodes to the honest contents.
    #expect(try Gzip.decompress(forged, file: "forged.gz", expectedSize: IDXFile.expectedSize) == honest)
}

@Test func theBundledMNISTStillDecompresses() throws {
    let url = try MNIST.locate("t10k-labels-idx1-ubyte", in: MNIST.defaultDirectory())
    let labels = try IDXFile.readLabels(at: url)
    #expect(labels.count == 10_000)
}
