// A scratch directory for crafted IDX files, and helpers to write them.
// Deliberately left out: real deflate compression (stored blocks make valid gzip without zlib in tests).
import Foundation
@testable import BNData

/// A fresh directory under the system temp dir; removed when the value goes away.
final class TempDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("bndata-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func write(_ bytes: [UInt8], as name: String) throws {
        try Data(bytes).write(to: url.appendingPathComponent(name))
    }
}

func bigEndian(_ v: UInt32) -> [UInt8] {
    [UInt8(v >> 24), UInt8((v >> 16) & 0xff), UInt8((v >> 8) & 0xff), UInt8(v & 0xff)]
}

/// An images IDX file: header then `count × rows × columns` bytes (all `fill`).
func imagesIDX(count: Int, rows: Int = 28, columns: Int = 28, magic: UInt32 = 0x803, fill: UInt8 = 7) -> [UInt8] {
    bigEndian(magic) + bigEndian(UInt32(count)) + bigEndian(UInt32(rows)) + bigEndian(UInt32(columns))
        + [UInt8](repeating: fill, count: count * rows * columns)
}

/// A labels IDX file.
func labelsIDX(_ labels: [UInt8], magic: UInt32 = 0x801) -> [UInt8] {
    bigEndian(magic) + bigEndian(UInt32(labels.count)) + labels
}

/// A valid gzip file holding `payload` in stored (uncompressed) deflate blocks.
func gzipStored(_ payload: [UInt8]) -> [UInt8] {
    var out: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]
    var start = 0
    repeat {
        let end = min(start + 65_535, payload.count)
        let len = UInt16(end - start)
        out.append(end == payload.count ? 1 : 0)  // BFINAL, BTYPE = 00 (stored)
        out += [UInt8(len & 0xff), UInt8(len >> 8), UInt8(~len & 0xff), UInt8(~len >> 8)]
        out += payload[start..<end]
        start = end
    } while start < payload.count
    let crc = crc32(payload), size = UInt32(truncatingIfNeeded: payload.count)
    for v in [crc, size] { out += [UInt8(v & 0xff), UInt8((v >> 8) & 0xff), UInt8((v >> 16) & 0xff), UInt8(v >> 24)] }
    return out
}

private func crc32(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = 0xffff_ffff
    for b in bytes {
        crc ^= UInt32(b)
        for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
    }
    return ~crc
}
