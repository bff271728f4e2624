// Gives the terminal back on every way out: close(), exit(), Ctrl-C, SIGTERM, SIGHUP, SIGQUIT and
// crashes. It does not handle SIGTSTP (Ctrl-Z): ncurses suspends and resumes the screen itself.
//
// Why a C `sigaction` handler rather than `DispatchSource.makeSignalSource`:
// a dispatch source only runs its handler when a dispatch worker thread gets scheduled, then
// calls endwin() on that thread while the UI thread may be in the middle of doupdate() (ncurses
// is not thread-safe) and while training threads keep both cores busy. It also cannot help with a
// crash. The C handler runs on whichever thread takes the signal, at once, and does only
// async-signal-safe work: it writes the bytes endwin would send (looked up from terminfo while
// curses was up), puts back the tty modes saved before curses started, and re-raises the signal
// with its previous action. So the shell gets back the exact modes it had, sees the usual
// "killed by signal" status (130, 143, 129), and a crash still reaches Swift's backtracer.
//
// NOTE: the C state lives in `static` variables in shim.h, and each Swift file gets its own copy
// in a debug build. This file is the only one that may call the bnlab_restore_* functions.

import CNcursesw

enum TerminalRestorer {
    /// Saves the tty modes and installs the handlers; call before curses starts.
    /// Returns false when a screen is already open in this process.
    static func prepare() -> Bool {
        bnlab_restore_prepare()
    }

    /// Records how to undo curses (from terminfo) and arms the handlers; call after newterm.
    static func arm() {
        bnlab_restore_arm()
    }

    /// Disarms and gives the signals back their previous actions; call after endwin.
    static func finish() {
        bnlab_restore_finish()
    }
}
