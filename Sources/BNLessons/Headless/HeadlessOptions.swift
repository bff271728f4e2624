// Options of `bnlab --headless`, filled in by the bnlab executable's argument parser.

/// What `bnlab --headless` was asked to do.
public struct HeadlessOptions: Sendable {
    /// Lesson ids or paths; empty means every lesson, in order.
    public var lessons: [String]
    /// Where to write the JSON report (written to a temporary file, then renamed).
    public var json: String?
    public var scale: Double
    /// Added to every seed of every variant (`--seed N`; 0 runs the lessons as written).
    public var seedOffset: UInt64
    /// `--seeds K`: run every lesson K times, at offsets seedOffset…seedOffset+K−1, and report how often
    /// each claim held.
    public var seedRuns: Int
    public var ascii: Bool
    /// The lessons folder (else $BNLAB_LESSONS, else the checkout's lessons/, else ./lessons).
    public var lessonsDirectory: String?
    /// Output width for prose and plots.
    public var width: Int

    public init(lessons: [String] = [], json: String? = nil, scale: Double = 1, seedOffset: UInt64 = 0, seedRuns: Int = 1, ascii: Bool = false,
                lessonsDirectory: String? = nil, width: Int = 80) {
        self.lessons = lessons
        self.json = json
        self.scale = scale
        self.seedOffset = seedOffset
        self.seedRuns = seedRuns
        self.ascii = ascii
        self.lessonsDirectory = lessonsDirectory
        self.width = width
    }
}

/// Exit codes of `bnlab --headless` and `bnlab list`.
public enum HeadlessExitCode {
    public static let success: Int32 = 0
    public static let claimFailed: Int32 = 1
    public static let badInput: Int32 = 2
    public static let runFailed: Int32 = 3
}
