// The interactive notebook's entry point. Until the app lands, it explains what works today.

import Foundation

enum Interactive {
    static func run(lesson: String?, ascii: Bool, lessonsDirectory: String?) -> Int32 {
        guard isatty(0) != 0, isatty(1) != 0 else {
            printError("bnlab needs a terminal; use --headless for scripts (bnlab --headless [LESSON…])")
            return 2
        }
        printError("The interactive notebook is not built yet; run lessons with: bnlab --headless [LESSON…]")
        return 2
    }
}
