// The live screen: puts whole-frame `Grid`s on the terminal, reads keys, and always gives the
// terminal back. It leaves out windows, panels and mouse input: the app lays out its frames in
// grids, and this type only copies the cells that changed.

import BNPlots
import CNcursesw
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the live screen could not start. Each message says what to do instead.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    /// stdin or stdout is not a terminal (a pipe, a file, CI).
    case notATerminal
    /// ncurses does not know the terminal type in `TERM`, or it cannot move the cursor.
    case unsupportedTerminalType(String)
    /// A `TerminalScreen` is already open in this process.
    case alreadyOpen

    public var description: String {
        switch self {
        case .notATerminal:
            "bnlab needs a terminal; use --headless for scripts"
        case .unsupportedTerminalType(let term):
            "bnlab cannot drive terminal type '\(term)'; set TERM (e.g. TERM=xterm-256color) or use --headless"
        case .alreadyOpen:
            "bnlab's screen is already open"
        }
    }
}

/// The terminal, taken over by ncurses until `close()`.
///
/// Use it from one thread: ncurses is not thread-safe, which is why this class is not `Sendable`.
/// The terminal is restored by `close()`, by `deinit`, at `exit()`, and on SIGINT, SIGTERM,
/// SIGHUP, SIGQUIT and crashes (see SignalCleanup.swift).
public final class TerminalScreen {
    /// Whether to draw Unicode glyphs (▁▂▃█, box lines); false means ASCII only.
    public let unicode: Bool
    /// Whether styles get colors: the terminal has them and `NO_COLOR` is unset.
    public let colors: Bool

    private var screen: OpaquePointer?
    private let window: UnsafeMutablePointer<WINDOW>
    /// The last grid drawn, to diff against; nil forces a full redraw.
    private var previous: Grid?
    private var previousSize = (width: 0, height: 0)
    /// Set by a resize: the terminal's own reflow may have left garbage, so clear it once.
    private var clearNextFrame = false
    /// Reads in a row that found input ready yet got no key: what end-of-file looks like.
    private var emptyReads = 0

    /// True once the terminal has gone away (hang-up, end of input): the app should exit, since
    /// no key will ever come. Set by `readKey`.
    public private(set) var isGone = false

    private init(screen: OpaquePointer, window: UnsafeMutablePointer<WINDOW>, unicode: Bool, colors: Bool) {
        self.screen = screen
        self.window = window
        self.unicode = unicode
        self.colors = colors
    }

    deinit { close() }

    /// Takes over the terminal. Throws `.notATerminal` when stdin or stdout is not a TTY.
    ///
    /// - Parameter forceASCII: draw ASCII glyphs even when the locale is UTF-8.
    public static func open(forceASCII: Bool = false) throws(TerminalError) -> TerminalScreen {
        // NOTE: never start curses without a TTY: initscr() would exit the process.
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else { throw .notATerminal }
        setlocale(LC_ALL, "")
        let unicode = !usesASCII(asked: forceASCII)

        guard TerminalRestorer.prepare() else { throw .alreadyOpen }
        let term = getenv("TERM").map { String(cString: $0) } ?? ""
        guard let screen = bnlab_newterm(), let window = bnlab_stdscr() else {
            TerminalRestorer.finish()
            throw .unsupportedTerminalType(term)
        }
        guard bnlab_can_address_cursor() else {
            endwin()
            delscreen(screen)
            TerminalRestorer.finish()
            throw .unsupportedTerminalType(term)
        }
        TerminalRestorer.arm()

        cbreak()  // not raw(): Ctrl-C must stay SIGINT, so it works even while the UI is busy
        noecho()
        nonl()
        keypad(window, true)
        intrflush(window, false)
        leaveok(window, true)  // the cursor is hidden; don't spend bytes moving it back
        curs_set(0)
        set_escdelay(25)  // Esc alone is reported after 25 ms, not the default second
        wtimeout(window, 50)
        let colors = CursesColors.start()
        return TerminalScreen(screen: screen, window: window, unicode: unicode, colors: colors)
    }

    /// Whether bnlab writes 7-bit ASCII glyphs, on the screen and in text: when `asked` (--ascii), or
    /// when the locale cannot show Unicode. The one place the screen, headless runs, `list` and
    /// `plots` decide it.
    public static func usesASCII(asked: Bool) -> Bool { asked || !localeIsUTF8() }

    /// Whether the user's locale (LC_ALL, else LC_CTYPE, else LANG) encodes text as UTF-8: what
    /// decides between Unicode and ASCII glyphs on the screen and in headless text. Takes the
    /// character-type category from the environment (LC_CTYPE) and leaves the others, numbers among
    /// them, as they are.
    private static func localeIsUTF8() -> Bool {
        setlocale(LC_CTYPE, "")
        guard let codeset = bnlab_codeset() else { return false }
        let name = String(cString: codeset).uppercased().filter { $0 != "-" }
        return name == "UTF8"
    }

    /// The terminal's size in cells; (0, 0) once closed. Updated when `readKey` returns `.resize`.
    public var size: (width: Int, height: Int) {
        guard screen != nil else { return (0, 0) }
        return (Int(bnlab_cols()), Int(bnlab_lines()))
    }

    /// Shows `grid` from the top-left corner, writing only the cells that differ from the last
    /// grid drawn. Cells beyond the screen are cut off; screen beyond the grid is left blank.
    public func draw(_ grid: Grid) {
        guard screen != nil else { return }
        let size = self.size
        // Everything is rewritten on the first frame, after a resize, and when the grid's shape
        // changes. ncurses still sends only what differs from what the terminal shows.
        let last = previous.flatMap { $0.width == grid.width && $0.height == grid.height ? $0 : nil }
        let full = last == nil || size != previousSize
        if full {
            werase(window)
            if clearNextFrame { clearok(window, true) }
        }
        let width = min(grid.width, size.width)
        let height = min(grid.height, size.height)
        for y in 0..<max(0, height) {
            for x in 0..<max(0, width) {
                let index = y * grid.width + x
                let cell = grid.cells[index]
                if !full, let last, last.cells[index] == cell { continue }
                var character = cell.cursesCharacter(unicode: unicode, colors: colors)
                // NOTE: at the bottom-right cell this returns ERR (the cursor cannot advance)
                // after drawing the character; that is expected.
                mvwadd_wch(window, Int32(y), Int32(x), &character)
            }
        }
        previous = grid
        previousSize = size
        clearNextFrame = false
        wnoutrefresh(window)
        doupdate()
    }

    /// Waits up to `timeoutMilliseconds` (negative: forever) for a key.
    /// Returns nil on timeout and for keys bnlab does not use. After `.resize`, `size` is new
    /// and the next `draw` repaints everything.
    public func readKey(timeoutMilliseconds: Int) -> Key? {
        guard screen != nil, !isGone else { return nil }
        // A closed terminal (POLLHUP, or input "ready" that reads as end-of-file, e.g. the window
        // closed while SIGHUP is ignored) would make wget_wch return at once forever: a busy loop.
        var probe = pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0)
        let ready = poll(&probe, 1, 0) > 0
        if ready && probe.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
            isGone = true
            return nil
        }
        wtimeout(window, Int32(clamping: max(-1, timeoutMilliseconds)))
        var code: wint_t = 0
        let status = wget_wch(window, &code)
        if status == ERR && ready {
            emptyReads += 1
            if emptyReads >= 100 { isGone = true }
            return nil
        }
        emptyReads = 0
        let key = Key(status: status, code: code)
        if key == .resize {
            previous = nil
            clearNextFrame = true
        }
        return key
    }

    /// Gives the terminal back: main screen, cursor, echo and line mode. Safe to call twice.
    public func close() {
        guard let screen else { return }
        self.screen = nil
        endwin()
        delscreen(screen)
        TerminalRestorer.finish()
    }
}
