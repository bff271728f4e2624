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
    public static func lessons(_ arguments: [String], directory: String) throws(LessonError) -> [Lesson] {
        if arguments.isEmpty {
            var lessons: [Lesson] = []
            for file in try lessonFiles(in: directory) { lessons.append(try load(file)) }
            var seen: [String: String] = [:]
            for lesson in lessons {
                if let other = seen[lesson.id] {
                    throw LessonError(file: lesson.file, SourceLocation(line: 1), "lesson id '\(lesson.id)' is also the id of \(other)",
                                      hint: "give each lesson its own id")
                }
                seen[lesson.id] = lesson.file
            }
            return lessons.sorted { ($0.frontMatter.order, $0.id) < ($1.frontMatter.order, $1.id) }
        }
        var lessons: [Lesson] = []
        for argument in arguments {
            if argument.contains("/") || argument.hasSuffix(".md") || FileManager.default.fileExists(atPath: argument) {
                lessons.append(try load(argument))
            } else {
                lessons.append(try lesson(id: argument, in: directory))
            }
        }
        return lessons
    }

    private static func load(_ path: String) throws(LessonError) -> Lesson {
        var lesson = try LessonParser.load(path: path)
        lesson.file = path
        return lesson
    }

    /// The lesson whose id (or file name without its number prefix) is `id`.
    static func lesson(id: String, in directory: String) throws(LessonError) -> Lesson {
        let files = try lessonFiles(in: directory)
        var known: [String] = []
        for file in files {
            let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            let unnumbered = String(stem.drop { $0.isNumber }.drop { $0 == "-" })
            if stem == id || unnumbered == id { return try load(file) }
            if let lesson = try? load(file) {
                if lesson.id == id { return lesson }
                known.append(lesson.id)
            }
        }
        throw LessonError(file: directory, SourceLocation(line: 1), "no lesson with id '\(id)'",
                          hint: known.isEmpty ? "the folder has no lessons" : NearestName.hint(for: id, in: known) + " (see bnlab list)")
    }
}
