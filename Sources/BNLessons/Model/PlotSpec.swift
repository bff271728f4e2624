// A plot cell: which view of which experiment.

import BNEngine

/// The views a plot cell can ask for.
public enum PlotView: String, Sendable, CaseIterable {
    /// Metric curves over steps, one line per variant.
    case curves
    /// One layer and stage's histogram at a step, one panel per variant.
    case histogram
    /// The per-layer histograms at a step: rows are hidden layers (× stages), columns are variants.
    case layers
    /// A unit's 15th/50th/85th percentiles over steps.
    case percentiles
    /// A layer and stage's histogram over time.
    case heatmap
    /// Final values of some metrics, one row per variant (or a transform's numbers).
    case table
    /// One bar per variant: a metric's final value.
    case bars
    /// A sweep's final metric against the swept value, one line per variant as written (SweepChart).
    case sweep
}

/// A plot cell, checked against its experiment before anything runs.
public struct PlotSpec: Sendable {
    public var location: SourceLocation
    public var experiment: String
    public var view: PlotView
    public var metrics: [String]
    public var variants: [String]?
    public var layer: Int?
    public var stage: Stage?
    public var unit: Int?
    /// The step for a histogram or the layers view; nil means the last recorded.
    public var step: Int?
    public var logY: Bool
    public var title: String?
    /// Rows of the whole plot (for percentiles and heatmap: of each variant's panel).
    public var height: Int
    /// The layers view's layers; nil means every hidden layer.
    public var layers: [Int]?
    /// The layers view's stages, one row each per layer; empty means `stage`, else pre_activation.
    public var stages: [Stage]

    public init(location: SourceLocation, experiment: String, view: PlotView, metrics: [String], variants: [String]?,
                layer: Int?, stage: Stage?, unit: Int?, step: Int?, logY: Bool, title: String?, height: Int,
                layers: [Int]? = nil, stages: [Stage] = []) {
        self.location = location
        self.experiment = experiment
        self.view = view
        self.metrics = metrics
        self.variants = variants
        self.layer = layer
        self.stage = stage
        self.unit = unit
        self.step = step
        self.logY = logY
        self.title = title
        self.height = height
        self.layers = layers
        self.stages = stages
    }
}

/// A predict cell: a question, its options, and how the numbers pick the right one.
public struct Predict: Sendable {
    public var location: SourceLocation
    public var experiment: String
    public var question: String
    public var options: [String]
    public var answer: AnswerRule
    /// The answer rule's source text, shown beside the answer.
    public var answerText: String

    public init(location: SourceLocation, experiment: String, question: String, options: [String],
                answer: AnswerRule, answerText: String) {
        self.location = location
        self.experiment = experiment
        self.question = question
        self.options = options
        self.answer = answer
        self.answerText = answerText
    }
}

/// How a predict cell's right answer is computed from the record.
public enum AnswerRule: Sendable {
    /// The option (a variant name) whose measurement is highest.
    case highest(Measurement)
    /// The option (a variant name) whose measurement is lowest.
    case lowest(Measurement)
    /// The option (a variant name) that first reaches the condition.
    case firstToReach(MetricKey, Comparison, Double)
    /// The option whose leading number is nearest the expression's value.
    case nearest(Expression)
}
