// A live check of the terminal pieces: a moving bar chart at ~20 frames a second, a frame
// counter and the last keys pressed. It draws no real data and takes no options.

import BNPlots
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `bnlab`'s terminal self-test: run it, watch the bars move, press keys, quit with q.
public enum TerminalDemo {
    /// Opens the screen and animates until q; the terminal is restored however it ends.
    public static func run() throws {
        let screen = try TerminalScreen.open(forceASCII: false)
        defer { screen.close() }

        let clock = ContinuousClock()
        let frameTime = Duration.milliseconds(50)
        var nextFrame = clock.now
        var frame = 0
        var keys: [String] = []
        while true {
            if clock.now >= nextFrame {
                screen.draw(render(frame: frame, keys: keys, screen: screen))
                frame += 1
                nextFrame = max(nextFrame + frameTime, clock.now)
            }
            let wait = (nextFrame - clock.now).components
            let milliseconds = Int(wait.seconds) * 1000 + Int(wait.attoseconds / 1_000_000_000_000_000)
            guard let key = screen.readKey(timeoutMilliseconds: max(0, milliseconds)) else { continue }
            if key == .character("q") { return }
            keys.append(describe(key))
            if keys.count > 10 { keys.removeFirst() }
            if key == .resize { nextFrame = clock.now }
        }
    }

    static func render(frame: Int, keys: [String], screen: TerminalScreen) -> Grid {
        let size = screen.size
        var grid = Grid(width: size.width, height: size.height)
        let bold = Style(bold: true)
        grid.put("bnlab terminal demo", x: 1, y: 0, style: bold)
        grid.put("q quits", x: 22, y: 0, style: Style(dim: true))
        let mode = screen.unicode ? "unicode" : "ascii"
        let colors = screen.colors ? "colors" : "no colors"
        grid.put("frame \(frame)   size \(size.width)x\(size.height)   \(mode), \(colors)", x: 1, y: 1)
        grid.put("keys: " + keys.joined(separator: " "), x: 1, y: 2)

        let chart = Rect(x: 1, y: 4, width: size.width - 2, height: size.height - 5)
        guard !chart.isEmpty else { return grid }
        let levels: [Character] = screen.unicode
            ? [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
            : [" ", " ", ".", ".", "-", "-", "=", "=", "#"]
        let eighths = chart.height * 8
        for column in 0..<chart.width {
            // A travelling wave: each bar's height in eighths of a row.
            let phase = Double(column) * 0.25 - Double(frame) * 0.2
            let value = Int((0.5 + 0.45 * sin(phase)) * Double(eighths))
            let color: Color = value > eighths * 3 / 4 ? .red : value > eighths / 2 ? .yellow : .green
            for row in 0..<chart.height {
                let filled = min(8, max(0, value - row * 8))
                grid.put(levels[filled], x: chart.x + column, y: chart.maxY - 1 - row, style: Style(foreground: color))
            }
        }
        return grid
    }

    static func describe(_ key: Key) -> String {
        switch key {
        case .character(let c): String(c)
        default: "\(key)"
        }
    }
}
