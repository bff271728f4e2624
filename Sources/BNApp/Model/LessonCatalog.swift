// Where the app's lessons come from: every lesson file in the lessons folder, parsed one by one
// with the lesson engine, so one broken file shows its error in the list instead of hiding the rest.

import BNLessons
import Foundation

public enum LessonCatalog {
    /// The lessons in `directory`, in lesson order (front matter `order`, then id); files that do
    /// not parse come last, by name, carrying their error. Empty if the folder does not exist.
    public static func load(directory: String) -> [Notebook] {
        guard let files = try? LessonLocator.lessonFiles(in: directory) else { return [] }
        var parsed: [(order: Int, notebook: Notebook)] = []
        var broken: [Notebook] = []
        for file in files {
            do throws(LessonError) {
                var lesson = try LessonParser.load(path: file)
                lesson.file = file
                if let first = parsed.first(where: { $0.notebook.id == lesson.id }) {
                    throw LessonLocator.duplicateID(lesson, first: first.notebook.file)
                }
                parsed.append((lesson.frontMatter.order, Notebook(lesson)))
            } catch {
                broken.append(.broken(file: file, error: error))
            }
        }
        let sorted = parsed.sorted { ($0.order, $0.notebook.id) < ($1.order, $1.notebook.id) }.map(\.notebook)
        let known = sorted.compactMap(\.source)
        return sorted.map { resolvingReferences($0, known: known) } + broken
    }

    /// `notebook` with its prose's `[lesson: id]` written out from `known` (LessonReferences), and
    /// the ids each cell refers to kept for the `g` key; a broken notebook if an id is unknown.
    static func resolvingReferences(_ notebook: Notebook, known: [Lesson]) -> Notebook {
        guard let lesson = notebook.source else { return notebook }
        let references = LessonReferences.references(in: lesson)
        guard !references.isEmpty else { return notebook }
        do throws(LessonError) {
            var resolved = Notebook(try LessonReferences.resolved(lesson, in: known))
            for (cell, reference) in references { resolved.references[cell, default: []].append(reference.id) }
            return resolved
        } catch {
            return .broken(file: notebook.file, error: error)
        }
    }

    /// The lesson `argument` names: an id, a file name without its number prefix, or a path to a
    /// lesson file (which is parsed and added to `lessons` if it is not there yet). Nil if none.
    public static func find(_ argument: String, in lessons: inout [Notebook]) -> Int? {
        if let i = lessons.firstIndex(where: { $0.id == argument }) { return i }
        if let i = lessons.firstIndex(where: { LessonLocator.names(ofFile: $0.file).contains(argument) }) { return i }
        guard argument.hasSuffix(".md") || argument.contains("/"), FileManager.default.fileExists(atPath: argument) else {
            return nil
        }
        let standardized = URL(fileURLWithPath: argument).standardizedFileURL.path
        if let i = lessons.firstIndex(where: { URL(fileURLWithPath: $0.file).standardizedFileURL.path == standardized }) {
            return i
        }
        do {
            var lesson = try LessonParser.load(path: argument)
            lesson.file = argument
            lessons.append(resolvingReferences(Notebook(lesson), known: lessons.compactMap(\.source)))
        } catch {
            lessons.append(.broken(file: argument, error: error))
        }
        return lessons.count - 1
    }

}
