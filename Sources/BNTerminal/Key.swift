// The keys bnlab reacts to, decoded from ncurses' wget_wch. Function keys, mouse events and
// Alt-combinations are left out: nothing in the app uses them, and they decode to nil.

import CNcursesw

/// A key press, or a change of terminal size.
public enum Key: Equatable, Sendable {
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, tab, space
    /// The terminal changed size; `TerminalScreen.size` already has the new size.
    case resize
    case character(Character)
}

extension Key {
    /// Decodes what `wget_wch` returned: `status` is `KEY_CODE_YES` for a key code, `OK` for a
    /// character. Returns nil for a timeout and for keys bnlab does not use.
    init?(status: Int32, code: wint_t) {
        if status == KEY_CODE_YES {
            switch Int32(bitPattern: code) {
            case KEY_UP: self = .up
            case KEY_DOWN: self = .down
            case KEY_LEFT: self = .left
            case KEY_RIGHT: self = .right
            case KEY_PPAGE: self = .pageUp
            case KEY_NPAGE: self = .pageDown
            case KEY_HOME: self = .home
            case KEY_END: self = .end
            case KEY_ENTER: self = .enter
            case KEY_BACKSPACE: self = .backspace
            case KEY_RESIZE: self = .resize
            default: return nil
            }
            return
        }
        guard status == OK else { return nil }
        switch code {
        case 10, 13: self = .enter
        case 27: self = .escape
        case 9: self = .tab
        case 32: self = .space
        case 8, 127: self = .backspace  // ^H and DEL: terminals disagree on which one Backspace sends
        default:
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            self = .character(Character(scalar))
        }
    }
}
