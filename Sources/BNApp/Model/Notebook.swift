// The notebook the app steps through: cells in order, each prose, an experiment, a prediction or
// claims. It is the app's own small model, filled from a parsed lesson (LessonAdapter.swift) or
// built in code (QuickTour.swift); it leaves out parsing and file formats on purpose.

import BNEngine

/// A lesson as the app shows it.
public struct Notebook: Sendable {
    public var id: String
    public var title: String
    public var summary: String
    /// A human estimate of the time to run everything, e.g. "1 min".
    public var estimatedTime: String
    public var cells: [NotebookCell]

    public init(id: String, title: String, summary: String, estimatedTime: String, cells: [NotebookCell]) {
        self.id = id
        self.title = title
        self.summary = summary
        self.estimatedTime = estimatedTime
        self.cells = cells
    }

    /// The experiment named `name`.
    public func experiment(named name: String) -> AppExperiment? {
        for cell in cells { if case .experiment(let e) = cell, e.name == name { return e } }
        return nil
    }
}

/// One cell of a notebook.
public enum NotebookCell: Sendable {
    /// Markdown-ish text: `#` headings, paragraphs, `-` lists, `$…$` math left as written.
    case prose(String)
    case experiment(AppExperiment)
    case predict(AppPredict)
    case claims(AppClaims)
}

/// Which data a run trains on: the fields of BNData's `DataRequest` the app needs, so this module
/// does not depend on the data layer (the executable turns it into a request).
public struct DataSpec: Sendable, Equatable {
    public var dataset: String
    /// An `InputScaling` raw value: raw, scaled, zscore, binarized.
    public var scaling: String
    public var trainSize: Int?
    public var testSize: Int?
    public var seed: UInt64

    public init(dataset: String, scaling: String, trainSize: Int? = nil, testSize: Int? = nil, seed: UInt64 = 0) {
        self.dataset = dataset
        self.scaling = scaling
        self.trainSize = trainSize
        self.testSize = testSize
        self.seed = seed
    }
}

/// One named run of an experiment.
public struct AppVariant: Sendable {
    public var name: String
    public var data: DataSpec
    /// The full training config (inputs and classes already filled in).
    public var config: TrainingConfig

    public init(name: String, data: DataSpec, config: TrainingConfig) {
        self.name = name
        self.data = data
        self.config = config
    }
}

/// An experiment cell: variants trained side by side, the source of every number the lesson shows.
public struct AppExperiment: Sendable {
    public var name: String
    /// One line saying what is compared, shown above the dashboard.
    public var caption: String
    public var variants: [AppVariant]

    public init(name: String, caption: String, variants: [AppVariant]) {
        self.name = name
        self.caption = caption
        self.variants = variants
    }
}

/// Records by variant name: what claims and predictions read.
public typealias RecordsByVariant = [String: RunRecord]

/// The outcome of one claim on one finished run.
public struct ClaimVerdict: Sendable, Equatable {
    public var passed: Bool
    /// The numbers behind the verdict, e.g. "0.962 > 0.913".
    public var detail: String

    public init(passed: Bool, detail: String) {
        self.passed = passed
        self.detail = detail
    }
}

/// A checked claim: its text and how to judge it from the records.
public struct AppClaim: Sendable {
    public var text: String
    public var judge: @Sendable (RecordsByVariant) -> ClaimVerdict

    public init(text: String, judge: @escaping @Sendable (RecordsByVariant) -> ClaimVerdict) {
        self.text = text
        self.judge = judge
    }
}

/// A claims cell: claims about one experiment.
public struct AppClaims: Sendable {
    public var experiment: String
    public var claims: [AppClaim]

    public init(experiment: String, claims: [AppClaim]) {
        self.experiment = experiment
        self.claims = claims
    }
}

/// The right answer of a prediction and why, read from the records.
public struct PredictAnswer: Sendable, Equatable {
    public var option: Int
    public var explanation: String

    public init(option: Int, explanation: String) {
        self.option = option
        self.explanation = explanation
    }
}

/// A predict cell: asked before the run, revealed after it.
public struct AppPredict: Sendable {
    public var experiment: String
    public var question: String
    public var options: [String]
    public var answer: @Sendable (RecordsByVariant) -> PredictAnswer?

    public init(experiment: String, question: String, options: [String],
                answer: @escaping @Sendable (RecordsByVariant) -> PredictAnswer?) {
        self.experiment = experiment
        self.question = question
        self.options = options
        self.answer = answer
    }
}
