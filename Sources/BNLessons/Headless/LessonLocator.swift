// Finds the lessons folder and the lessons named on the command line, from any working directory.

import Foundation

public enum LessonLocator {
    /// The lessons folder: `explicit`, else $BNLAB_LESSONS, else the source checkout's lessons/, else ./lessons.
    public static func directory(explicit: String? = nil) -> String {
        if let explicit { return explicit }
        if let env = ProcessInfo.processInfo.environment["BNLAB_LESSONS"], !env.isEmpty { return env }
        // This file is Sources/BNLessons/Headless/LessonLocator.swift in the checkout.
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("lessons")
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: checkout.path, isDirectory: &isDirectory), isDirectory.boolValue {
            return checkout.path
        }
        return "lessons"
    }

    /// The lesson files in `directory` (every .md but README.md), by name.
    public static func lessonFiles(in directory: String) throws(LessonError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw LessonError(file: directory, SourceLocation(line: 1), "no lessons folder here",
                              hint: "use --lessons DIR or set BNLAB_LESSONS")
        }
        return names.filter { $0.hasSuffix(".md") && $0.lowercased() != "readme.md" }.sorted()
            .map { (directory as NSString).appendingPathComponent($0) }
    }

    /// Parses the lessons named by `arguments` (ids or paths), or every lesson in order if none.
    /// References to other lessons (`[lesson: id]`) are written out with the folder's lessons.
    public static func lessons(_ arguments: [String], directory: String) throws(LessonError) -> [Lesson] {
        if arguments.isEmpty {
            var lessons: [Lesson] = []
            for file in try lessonFiles(in: directory) {
                let lesson = try load(file)
                if let first = lessons.first(where: { $0.id == lesson.id }) { throw duplicateID(lesson, first: first.file) }
                lessons.append(lesson)
            }
            lessons.sort { ($0.frontMatter.order, $0.id) < ($1.frontMatter.order, $1.id) }
            var resolved: [Lesson] = []
            for lesson in lessons { resolved.append(try LessonReferences.resolved(lesson, in: lessons)) }
            return resolved
        }
        var lessons: [Lesson] = []
        for argument in arguments {
            if argument.contains("/") || argument.hasSuffix(".md") || FileManager.default.fileExists(atPath: argument) {
                lessons.append(try load(argument))
            } else {
                lessons.append(try lesson(id: argument, in: directory))
            }
        }
        guard lessons.contains(where: { !LessonReferences.references(in: $0).isEmpty }) else { return lessons }
        // The folder's lessons that parse, for the numbers and titles references show.
        let known = lessons + ((try? lessonFiles(in: directory)) ?? []).compactMap { try? load($0) }
        var resolved: [Lesson] = []
        for lesson in lessons { resolved.append(try LessonReferences.resolved(lesson, in: known)) }
        return resolved
    }

    private static func load(_ path: String) throws(LessonError) -> Lesson {
        var lesson = try LessonParser.load(path: path)
        lesson.file = path
        return lesson
    }

    /// The names a lesson file answers to on the command line: its file name without `.md`, and that
    /// without its number prefix. "03-depth.md" → ["03-depth", "depth"] (also "03_depth.md").
    public static func names(ofFile file: String) -> [String] {
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        return [stem, String(stem.drop { $0.isNumber }.drop { $0 == "-" || $0 == "_" })]
    }

    /// The error for a second lesson file with an id another file already has.
    public static func duplicateID(_ lesson: Lesson, first: String) -> LessonError {
        LessonError(file: lesson.file, SourceLocation(line: 1), "lesson id '\(lesson.id)' is also the id of \(first)",
                    hint: "give each lesson file its own id in its front matter")
    }

    /// The lesson whose file name (with or without its number prefix) or id is `id`.
    static func lesson(id: String, in directory: String) throws(LessonError) -> Lesson {
        let files = try lessonFiles(in: directory)
        if let file = files.first(where: { names(ofFile: $0).contains(id) }) { return try load(file) }
        var known: [String] = []
        var found: Lesson?
        for file in files {
            guard let lesson = try? load(file) else { continue }
            if lesson.id == id {
                if let found { throw duplicateID(lesson, first: found.file) }
                found = lesson
            }
            known.append(lesson.id)
        }
        if let found { return found }
        throw LessonError(file: directory, SourceLocation(line: 1), "no lesson with id '\(id)'",
                          hint: known.isEmpty ? "the folder has no lessons" : NearestName.hint(for: id, in: known) + " (see bnlab list)")
    }
}
