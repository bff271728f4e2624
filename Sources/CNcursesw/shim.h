#ifndef BNLAB_NCURSES_SHIM_H
#define BNLAB_NCURSES_SHIM_H
// The C side of BNTerminal: accessors Swift 6 cannot write itself, and the async-signal-safe
// terminal restore. It deliberately holds no drawing logic; that lives in Swift.
#define _XOPEN_SOURCE_EXTENDED 1
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <ncursesw/curses.h>

// Swift 6 strict concurrency rejects reads of the C globals COLS, LINES and stdscr;
// these accessors keep strict concurrency on.
static inline int bnlab_cols(void) { return COLS; }
static inline int bnlab_lines(void) { return LINES; }
static inline WINDOW *bnlab_stdscr(void) { return stdscr; }

/// Starts curses on stdout/stdin. Unlike initscr(), returns NULL instead of exiting the process.
static inline SCREEN *bnlab_newterm(void) { return newterm(NULL, stdout, stdin); }

/// The locale's character set, e.g. "UTF-8" or "ANSI_X3.4-1968". Call after setlocale.
static inline const char *bnlab_codeset(void) { return nl_langinfo(CODESET); }

/// Whether the terminal can move the cursor (terminfo `cup`); "dumb" and friends cannot.
static inline bool bnlab_can_address_cursor(void) {
    const char *cup = tigetstr("cup");
    return cup != NULL && cup != (const char *)-1;
}

/// A_BOLD, A_DIM and A_REVERSE are function-like macros, which Swift cannot import.
static inline attr_t bnlab_attributes(bool bold, bool dim, bool reverse) {
    attr_t a = WA_NORMAL;
    if (bold) a |= WA_BOLD;
    if (dim) a |= WA_DIM;
    if (reverse) a |= WA_REVERSE;
    return a;
}

// MARK: - Restoring the terminal from a signal handler, atexit, or a crash
//
// Everything a signal handler does here is async-signal-safe (POSIX list): write(2),
// tcsetattr(3), sigaction(2), raise(3). It never calls endwin(): endwin uses stdio and the
// allocator, and a signal can land while any thread (a training thread, or the UI thread inside
// doupdate) holds the allocator's or ncurses' lock, so endwin could deadlock or corrupt output.
// Instead the bytes endwin would send (leave the alternate screen, show the cursor, reset
// attributes) are looked up once from terminfo while curses is up, and the tty modes saved
// before curses started are put back verbatim.
//
// NOTE: this state is `static` in a header, so every Swift *file* that calls these functions
// gets its own copy in a debug (non-whole-module) build. Only SignalCleanup.swift may call the
// bnlab_restore_* functions.

#define BNLAB_RESTORE_BYTES 256
#define BNLAB_MAX_SIGNAL 65

struct bnlab_restore {
    int in_use;                       // set by prepare, cleared by finish (atomically)
    volatile sig_atomic_t armed;      // 1 while curses owns the terminal
    struct termios saved_in, saved_out;
    int have_in, have_out;
    char bytes[BNLAB_RESTORE_BYTES];  // terminfo strings endwin would have sent
    size_t length;
    int installed[BNLAB_MAX_SIGNAL];
    struct sigaction previous[BNLAB_MAX_SIGNAL];
    int atexit_registered;
};

// NOTE: a function-local static, not a file-scope one: Swift's Clang importer emits the bodies
// of the static functions it calls, but not file-scope static variable definitions.
static inline struct bnlab_restore *bnlab_restore_get(void) {
    static struct bnlab_restore state;
    return &state;
}
#define bnlab_restore_state (*bnlab_restore_get())

/// Puts the terminal back as it was before curses. Async-signal-safe, idempotent.
static void bnlab_restore_now(void) {
    if (!bnlab_restore_state.armed) return;
    bnlab_restore_state.armed = 0;
    int saved_errno = errno;
    if (bnlab_restore_state.length > 0) {
        ssize_t ignored = write(STDOUT_FILENO, bnlab_restore_state.bytes, bnlab_restore_state.length);
        (void)ignored;
    }
    if (bnlab_restore_state.have_out) tcsetattr(STDOUT_FILENO, TCSANOW, &bnlab_restore_state.saved_out);
    if (bnlab_restore_state.have_in) tcsetattr(STDIN_FILENO, TCSANOW, &bnlab_restore_state.saved_in);
    errno = saved_errno;
}

static void bnlab_restore_at_exit(void) { bnlab_restore_now(); }

static inline bool bnlab_is_crash_signal(int sig) {
    return sig == SIGABRT || sig == SIGILL || sig == SIGTRAP || sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE;
}

static inline bool bnlab_is_fault_signal(int sig) {
    return sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE;
}

/// Restores the terminal, then ends the process the way the signal would have: every terminating
/// signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1/2, SIGALRM, SIGXCPU, real-time signals…) by
/// its default action (so the shell sees "killed by SIGINT", status 130, and a calling script stops
/// too); a hardware fault by the handler it had before (Swift's backtracer, which then prints onto
/// a sane terminal); a crash signal someone sent (kill -SEGV, abort) by its default action, so the
/// process always ends.
static void bnlab_on_signal(int sig, siginfo_t *info, void *context) {
    (void)context;
    int saved_errno = errno;
    bnlab_restore_now();
    bool fault = bnlab_is_fault_signal(sig) && info != NULL && info->si_code > 0;
    if (sig > 0 && sig < BNLAB_MAX_SIGNAL && bnlab_restore_state.installed[sig]) {
        if (bnlab_is_crash_signal(sig) && fault) {
            sigaction(sig, &bnlab_restore_state.previous[sig], NULL);
        } else {
            // NOTE: not the previous handler: one that returns (Swift's backtracer does, for
            // SIGQUIT and for a SIGSEGV sent with kill) would leave the process running on a
            // terminal already handed back.
            signal(sig, SIG_DFL);
        }
        bnlab_restore_state.installed[sig] = 0;
    } else {
        signal(sig, SIG_DFL);
    }
    // A hardware fault re-executes its instruction when we return and faults again into the
    // previous handler, with the real context. Everything else is re-sent; it stays blocked
    // until this handler returns, then its default action ends the process.
    if (!fault) raise(sig);
    errno = saved_errno;
}

/// Signals whose default action ends the process (the crash signals are listed apart). SIGPIPE is
/// here too, for a process that has not ignored it; an ignored signal stays ignored.
static const int bnlab_terminating_signals[] = {
    SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ, SIGPIPE,
#ifdef SIGPOLL
    SIGPOLL,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
};
static const int bnlab_crash_signals[] = { SIGABRT, SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGSYS };

static void bnlab_install_handler(int sig, bool skip_if_ignored) {
    struct sigaction previous;
    if (sigaction(sig, NULL, &previous) != 0) return;
    // A signal ignored at startup (nohup, a non-interactive `&`) stays ignored.
    if (skip_if_ignored && !(previous.sa_flags & SA_SIGINFO) && previous.sa_handler == SIG_IGN) return;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = bnlab_on_signal;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigfillset(&action.sa_mask);  // no nesting: one restore, then out
    if (sigaction(sig, &action, NULL) != 0) return;
    bnlab_restore_state.previous[sig] = previous;
    bnlab_restore_state.installed[sig] = 1;
}

/// Saves the tty modes and installs the handlers. Call before newterm, so ncurses sees our
/// SIGINT/SIGTERM handlers and does not install its own. Returns false if already in use.
static inline bool bnlab_restore_prepare(void) {
    if (__atomic_exchange_n(&bnlab_restore_state.in_use, 1, __ATOMIC_SEQ_CST)) return false;
    bnlab_restore_state.have_in = tcgetattr(STDIN_FILENO, &bnlab_restore_state.saved_in) == 0;
    bnlab_restore_state.have_out = tcgetattr(STDOUT_FILENO, &bnlab_restore_state.saved_out) == 0;
    bnlab_restore_state.length = 0;
    for (size_t i = 0; i < sizeof bnlab_terminating_signals / sizeof(int); i++)
        bnlab_install_handler(bnlab_terminating_signals[i], true);
    for (size_t i = 0; i < sizeof bnlab_crash_signals / sizeof(int); i++)
        bnlab_install_handler(bnlab_crash_signals[i], false);
#ifdef SIGRTMIN
    for (int sig = SIGRTMIN; sig <= SIGRTMAX && sig < BNLAB_MAX_SIGNAL; sig++) bnlab_install_handler(sig, true);
#endif
    if (!bnlab_restore_state.atexit_registered) {
        atexit(bnlab_restore_at_exit);
        bnlab_restore_state.atexit_registered = 1;
    }
    return true;
}

static inline void bnlab_restore_append(const char *capability) {
    const char *s = tigetstr(capability);
    if (s == NULL || s == (const char *)-1) return;
    size_t n = strlen(s);
    if (bnlab_restore_state.length + n > BNLAB_RESTORE_BYTES) return;
    memcpy(bnlab_restore_state.bytes + bnlab_restore_state.length, s, n);
    bnlab_restore_state.length += n;
}

/// Looks up the restore bytes from terminfo and arms the handlers. Call right after newterm.
static inline void bnlab_restore_arm(void) {
    bnlab_restore_state.length = 0;
    // CAN (0x18) first: it aborts an escape sequence a signal may have cut in half.
    bnlab_restore_state.bytes[bnlab_restore_state.length++] = 0x18;
    bnlab_restore_append("sgr0");   // attributes off
    bnlab_restore_append("op");     // default colors
    bnlab_restore_append("cnorm");  // cursor visible
    bnlab_restore_append("rmkx");   // keypad back to normal mode
    bnlab_restore_append("rmcup");  // leave the alternate screen
    bnlab_restore_state.armed = 1;
}

/// Disarms (endwin has run) and gives every signal back its previous action.
static inline void bnlab_restore_finish(void) {
    bnlab_restore_state.armed = 0;
    for (int sig = 1; sig < BNLAB_MAX_SIGNAL; sig++) {
        if (!bnlab_restore_state.installed[sig]) continue;
        sigaction(sig, &bnlab_restore_state.previous[sig], NULL);
        bnlab_restore_state.installed[sig] = 0;
    }
    __atomic_store_n(&bnlab_restore_state.in_use, 0, __ATOMIC_SEQ_CST);
}
#endif
