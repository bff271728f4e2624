// The interactive notebook's loop: keys from the terminal into `AppState`, run snapshots from the
// training thread into `AppState`, and whole frames from `Layout` onto the terminal. This file is
// the only place the app meets ncurses (through BNTerminal) and the data layer.
//
// Leaves out everything the state machine decides; it only carries out `AppEffect`s.

import BNApp
import BNData
import BNEngine
import BNTerminal
import Foundation

enum InteractiveApp {
    /// Milliseconds between frames while something moves (20 frames/s).
    static let frameMilliseconds = 50

    /// Runs the notebook until q. Returns the process exit code: 0, or 2 when there is no terminal
    /// or `lesson` names no lesson.
    static func run(lesson: String?, ascii: Bool, lessonsDirectory: String?) -> Int32 {
        let lessons = LessonCatalog.load(directory: lessonsDirectory)
        if let lesson, !lessons.contains(where: { $0.id == lesson }) {
            printError("bnlab: no lesson '\(lesson)'; known: \(lessons.map(\.id).joined(separator: ", "))")
            return 2
        }
        let screen: TerminalScreen
        do {
            screen = try TerminalScreen.open(forceASCII: ascii)
        } catch {
            printError(error.description)
            return 2
        }
        defer { screen.close() }

        let size = screen.size
        var state = AppState(lessons: lessons, width: size.width, height: size.height)
        if let lesson { _ = state.open(lessonID: lesson) }
        var loop = Loop(screen: screen, state: state)
        loop.run()
        state = loop.state
        screen.close()
        loop.stats.write()
        return 0
    }

    /// The frame loop and the run in progress.
    struct Loop {
        let screen: TerminalScreen
        var state: AppState
        var controller: RunController?
        var stats = Stats()
        let clock = ContinuousClock()

        init(screen: TerminalScreen, state: AppState) {
            self.screen = screen
            self.state = state
        }

        mutating func run() {
            var dirty = true
            var nextFrame = clock.now
            while !state.wantsQuit {
                if let controller, let snapshot = controller.takeSnapshot() {
                    state.apply(snapshot)
                    stats.note(snapshot)
                    dirty = true
                }
                let now = clock.now
                // While a run is live every frame is drawn: its clock and counters move.
                if (dirty || state.activeRun != nil) && now >= nextFrame {
                    let start = clock.now
                    screen.draw(Layout.render(state, unicode: screen.unicode))
                    stats.noteFrame(training: state.activeRun != nil, seconds: (clock.now - start).seconds)
                    dirty = false
                    nextFrame = now + .milliseconds(InteractiveApp.frameMilliseconds)
                }
                // While a run is live, wake for the next frame; otherwise poll a little slower.
                let wait = state.activeRun != nil || dirty
                    ? max(0, Int(((nextFrame - clock.now).seconds * 1000).rounded(.up))) : 100
                guard let key = screen.readKey(timeoutMilliseconds: wait) else { continue }
                let effects = state.handle(appKey(key))
                for effect in effects { perform(effect) }
                dirty = true
            }
            controller?.cancel()
        }

        func appKey(_ key: Key) -> AppKey {
            switch key {
            case .up: .up
            case .down: .down
            case .left: .left
            case .right: .right
            case .pageUp: .pageUp
            case .pageDown: .pageDown
            case .home: .home
            case .end: .end
            case .enter: .enter
            case .escape: .escape
            case .backspace: .backspace
            case .tab: .tab
            case .space: .space
            case .resize: .resize(width: screen.size.width, height: screen.size.height)
            case .character(let c): .character(c)
            }
        }

        mutating func perform(_ effect: AppEffect) {
            switch effect {
            case .startRun(_, let experiment):
                controller?.cancel()
                // Snapshots come a little faster than frames, so every frame has a fresh one.
                let run = RunController(publishInterval: 0.6 * Double(InteractiveApp.frameMilliseconds) / 1000)
                run.start(state.plannedVariants(of: experiment), factory: TrainerFactories.live)
                controller = run
            case .setPaused(let paused):
                controller?.setPaused(paused)
            case .cancelRun:
                controller?.cancel()
                controller = nil
            case .quit:
                break
            }
        }
    }

    /// Frame and training rates, written to `$BNLAB_STATS_FILE` at exit when that is set.
    struct Stats {
        var trainingFrames = 0
        var frameSeconds = 0.0
        var firstTrainingFrame: ContinuousClock.Instant?
        var lastTrainingFrame: ContinuousClock.Instant?
        var lastSnapshot: RunSnapshot?

        mutating func noteFrame(training: Bool, seconds: Double) {
            guard training else { return }
            let now = ContinuousClock.now
            if firstTrainingFrame == nil { firstTrainingFrame = now }
            lastTrainingFrame = now
            trainingFrames += 1
            frameSeconds += seconds
        }

        mutating func note(_ snapshot: RunSnapshot) { lastSnapshot = snapshot }

        func write() {
            guard let path = ProcessInfo.processInfo.environment["BNLAB_STATS_FILE"] else { return }
            var lines: [String] = []
            if let first = firstTrainingFrame, let last = lastTrainingFrame, trainingFrames > 1 {
                let span = (last - first).seconds
                lines.append(String(format: "frames_while_training %d in %.2f s: %.1f frames/s, %.2f ms to render+draw a frame",
                                    trainingFrames, span, Double(trainingFrames - 1) / max(span, 1e-9),
                                    1000 * frameSeconds / Double(trainingFrames)))
            }
            if let s = lastSnapshot {
                lines.append(String(format: "run %@: %d steps in %.2f s training: %.1f steps/s (load %.2f s)",
                                    "\(s.phase)", s.stepsDone, s.elapsed, s.stepsPerSecond, s.loadSeconds))
            }
            try? (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

/// Where the app's lessons come from.
enum LessonCatalog {
    /// The built-in quick tour. NOTE: lesson files join once the lesson engine's parser lands;
    /// `directory` is accepted now so the command line does not change then.
    static func load(directory: String?) -> [Notebook] {
        [QuickTour.notebook(steps: stepsOverride ?? 2000)]
    }

    /// `BNLAB_QUICK_TOUR_STEPS` shortens or lengthens the built-in tour (tests, demos).
    static var stepsOverride: Int? {
        ProcessInfo.processInfo.environment["BNLAB_QUICK_TOUR_STEPS"].flatMap(Int.init)
    }
}

/// Builds trainers for the app's runs, loading data through BNData.
enum TrainerFactories {
    /// Loads each variant's data (the last dataset is kept, so variants on the same data share it)
    /// and builds its trainer.
    static let live: TrainerFactory = { variant in
        let data = try DataMemo.shared.load(variant.data)
        return try Trainer(config: variant.config, train: data.train, test: data.test)
    }
}

/// The last loaded (train, test) pair, so two variants on the same data do not hold two copies.
///
/// NOTE: `@unchecked Sendable` is safe because `last` is only touched while holding `lock`.
final class DataMemo: @unchecked Sendable {
    static let shared = DataMemo()
    private let lock = NSLock()
    private var last: (spec: DataSpec, train: Dataset, test: Dataset)?

    func load(_ spec: DataSpec) throws -> (train: Dataset, test: Dataset) {
        lock.lock()
        defer { lock.unlock() }
        if let last, last.spec == spec { return (last.train, last.test) }
        let request = DataRequest(dataset: spec.dataset, scaling: InputScaling(rawValue: spec.scaling) ?? .raw,
                                  trainSize: spec.trainSize, testSize: spec.testSize, seed: spec.seed)
        let (train, test) = try DataCatalog.load(request)
        last = (spec, train, test)
        return (train, test)
    }
}

extension InteractiveApp {
    /// Trains the quick tour's experiment exactly as the app does (same variants, same thread and
    /// snapshot cadence) with no screen, and returns its training steps/s: the headless side of
    /// the app-vs-headless speed comparison.
    static func measureHeadless(steps: Int) -> RunSnapshot? {
        guard let experiment = QuickTour.notebook(steps: steps).experiment(named: "fig1") else { return nil }
        let controller = RunController(publishInterval: 0.6 * Double(frameMilliseconds) / 1000)
        controller.start(experiment.variants, factory: TrainerFactories.live)
        while true {
            if let s = controller.takeSnapshot(), !s.phase.isActive { return s }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }
}
