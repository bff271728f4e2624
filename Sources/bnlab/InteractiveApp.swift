// The interactive notebook's loop: keys from the terminal into `AppState`, run snapshots from the
// training thread into `AppState`, and whole frames from `Layout` onto the terminal. This file is
// the only place the app meets ncurses (through BNTerminal). Lessons are parsed before the first
// frame; MNIST is decoded on a background thread right after, ready before most first runs.
//
// Leaves out everything the state machine decides; it only carries out `AppEffect`s.

import BNApp
import BNData
import BNFiles
import BNLessons
import BNTerminal
import Foundation

enum InteractiveApp {
    /// Milliseconds between frames while something moves (20 frames/s).
    static let frameMilliseconds = 50

    /// Runs the notebook until q. Returns the process exit code: 0, or 2 when there is no terminal
    /// or `lesson` names no lesson.
    static func run(lesson: String?, ascii: Bool, lessonsDirectory: String?) -> Int32 {
        let started = ContinuousClock.now
        var lessons = LessonCatalog.load(directory: LessonLocator.directory(explicit: lessonsDirectory))
        var opened: Int?
        if let lesson {
            guard let index = LessonCatalog.find(lesson, in: &lessons) else {
                let known = lessons.filter { $0.error == nil }.map(\.id)
                printError("bnlab: no lesson '\(lesson)'; known: \(known.isEmpty ? "none (check --lessons)" : known.joined(separator: ", "))")
                return 2
            }
            if let error = lessons[index].error {
                printError(error)
                return 2
            }
            opened = index
        }
        if let measure = ProcessInfo.processInfo.environment["BNLAB_MEASURE_HEADLESS"], let index = opened {
            return measureHeadless(lessons[index], experiment: measure)
        }
        let screen: TerminalScreen
        do {
            screen = try TerminalScreen.open(forceASCII: ascii)
        } catch {
            printError(error.description)
            return 2
        }
        defer { screen.close() }

        // Decode MNIST in the background while the learner reads, so the first run starts at once;
        // the cache is shared and locked, and a run that needs it first simply waits for it.
        DispatchQueue.global(qos: .utility).async {
            for split in MNISTSplit.allCases { _ = try? MNISTCache.shared.bytes(split) }
        }
        let size = screen.size
        var state = AppState(lessons: lessons, width: size.width, height: size.height)
        state.ascii = !screen.unicode
        // Progress of earlier sessions; a file that cannot be used is ignored with a note.
        let progressPath = ProgressFile.path()
        if let progressPath {
            let (saved, note) = ProgressFile.load(path: progressPath)
            state.restore(saved)
            state.message = note
        }
        if let opened { _ = state.open(lessonID: lessons[opened].id) }
        Layout.measure(&state)
        var loop = Loop(screen: screen, state: state, started: started)
        loop.progressPath = progressPath
        loop.lastSaved = state.progress
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

        let started: ContinuousClock.Instant
        /// Where progress is saved (nil: nowhere), and what was saved last.
        var progressPath: String?
        var lastSaved = SavedProgress()
        var saveFailed = false

        init(screen: TerminalScreen, state: AppState, started: ContinuousClock.Instant) {
            self.screen = screen
            self.state = state
            self.started = started
        }

        mutating func run() {
            var dirty = true
            var nextFrame = clock.now
            while !state.wantsQuit {
                if let controller, let snapshot = controller.takeSnapshot() {
                    state.apply(snapshot)
                    Layout.measure(&state)
                    stats.note(snapshot)
                    if !snapshot.phase.isActive { saveProgress() }
                    dirty = true
                }
                let now = clock.now
                // While a run is live every frame is drawn: its clock and counters move.
                if (dirty || state.activeRun != nil) && now >= nextFrame {
                    let start = clock.now
                    screen.draw(Layout.render(state, unicode: screen.unicode))
                    if stats.firstFrame == nil { stats.firstFrame = (clock.now - started).seconds }
                    stats.noteFrame(training: state.activeRun != nil, seconds: (clock.now - start).seconds)
                    dirty = false
                    nextFrame = now + .milliseconds(InteractiveApp.frameMilliseconds)
                }
                // While a run is live, wake for the next frame; otherwise poll a little slower.
                let wait = state.activeRun != nil || dirty
                    ? max(0, Int(((nextFrame - clock.now).seconds * 1000).rounded(.up))) : 100
                guard let key = screen.readKey(timeoutMilliseconds: wait) else {
                    if screen.isGone { break }  // the terminal went away: nobody is left to press q
                    continue
                }
                let effects = state.handle(appKey(key))
                Layout.measure(&state)
                for effect in effects { perform(effect) }
                saveProgress()
                dirty = true
            }
            controller?.cancel()
        }

        /// Writes the progress file when progress changed; says so once if it cannot.
        mutating func saveProgress() {
            guard let progressPath else { return }
            let progress = state.progress
            guard progress != lastSaved else { return }
            do {
                try ProgressFile.save(progress, path: progressPath)
                lastSaved = progress
            } catch {
                if !saveFailed { state.message = "progress not saved: \(error)" }
                saveFailed = true
                lastSaved = progress
            }
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
                guard let spec = state.lesson?.experiment(named: experiment) else { return }
                // Snapshots come a little faster than frames, so every frame has a fresh one.
                let run = RunController(publishInterval: 0.6 * Double(InteractiveApp.frameMilliseconds) / 1000)
                run.start(spec, options: state.runOptions(of: experiment))
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
        /// Seconds from process start of the app to the first frame on screen.
        var firstFrame: Double?

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
            if let firstFrame { lines.append(String(format: "first_frame %.0f ms after start", 1000 * firstFrame)) }
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
            do {
                try AtomicFile.write(Data((lines.joined(separator: "\n") + "\n").utf8), to: path)
            } catch {
                printError("bnlab: BNLAB_STATS_FILE: \(error)")
            }
        }
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}

extension InteractiveApp {
    /// Runs `lesson`'s experiment `name` (or its first training experiment when `name` is "1")
    /// exactly as the app does (same controller, options and snapshot cadence) with no screen, and
    /// prints its training steps/s: the headless side of the app-vs-headless speed comparison.
    /// Reached with `BNLAB_MEASURE_HEADLESS=NAME bnlab LESSON`.
    static func measureHeadless(_ lesson: Notebook, experiment name: String) -> Int32 {
        let specs = lesson.cells.compactMap { cell -> ExperimentSpec? in
            if case .experiment(let e) = cell { return e } else { return nil }
        }
        guard let spec = specs.first(where: { $0.name == name }) ?? specs.first(where: { $0.kind == .train }) else {
            printError("bnlab: no experiment '\(name)' in \(lesson.id)")
            return 2
        }
        var state = AppState(lessons: [lesson], width: 120, height: 40)
        _ = state.open(lessonID: lesson.id)
        let controller = RunController(publishInterval: 0.6 * Double(frameMilliseconds) / 1000)
        controller.start(spec, options: state.runOptions(of: spec.name))
        while true {
            if let s = controller.takeSnapshot(), !s.phase.isActive {
                say(String(format: "headless %@/%@: %d steps in %.2f s training: %.1f steps/s (load %.2f s)",
                             lesson.id, spec.name, s.stepsDone, s.elapsed, s.stepsPerSecond, s.loadSeconds))
                return 0
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }
}
