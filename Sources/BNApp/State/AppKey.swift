// The keys the app reacts to. The executable maps the terminal's keys onto these, so the state
// machine and its tests never see ncurses.

/// A key press, or a change of terminal size.
public enum AppKey: Equatable, Sendable {
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, tab, space
    case resize(width: Int, height: Int)
    case character(Character)
}

/// Something the state machine asks its host to do: the only side effects of `AppState.handle`.
public enum AppEffect: Equatable, Sendable {
    /// Start a run of the current experiment (cancelling any run in progress).
    case startRun(lesson: String, experiment: String)
    case setPaused(Bool)
    /// Stop the run in progress, if any.
    case cancelRun
    case quit
}
