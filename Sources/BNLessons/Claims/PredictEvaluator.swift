// Decides a predict cell's right answer from the experiment's own numbers.

import Foundation

/// A predict cell's answer, with the number behind each option.
public struct PredictOutcome: Sendable {
    public var predict: Predict
    /// The right option (nil if the numbers cannot decide, e.g. nothing was recorded).
    public var answer: String?
    /// Each option's value, where the rule measures options (variants); else the one value measured.
    public var values: [MeasuredValue]
}

public enum PredictEvaluator {
    public static func evaluate(_ predict: Predict, in result: ExperimentResult) -> PredictOutcome {
        switch predict.answer {
        case .highest(let m), .lowest(let m):
            let values = predict.options.map { option -> MeasuredValue in
                var measurement = m
                measurement.variant = option
                return MeasuredValue(expression: measurement.text, value: ClaimEvaluator.value(of: measurement, in: result))
            }
            let finite = zip(predict.options, values).filter { !$0.1.value.isNaN }
            let best: (String, MeasuredValue)?
            if case .highest = predict.answer { best = finite.max { $0.1.value < $1.1.value } }
            else { best = finite.min { $0.1.value < $1.1.value } }
            return PredictOutcome(predict: predict, answer: best?.0, values: values)
        case let .firstToReach(metric, op, threshold):
            let values = predict.options.map { option -> MeasuredValue in
                let m = Measurement(reduction: .stepsUntil(op, threshold), metric: metric, variant: option, variantLocation: nil)
                return MeasuredValue(expression: m.text, value: ClaimEvaluator.value(of: m, in: result))
            }
            let reached = zip(predict.options, values).filter { $0.1.value.isFinite }
            return PredictOutcome(predict: predict, answer: reached.min { $0.1.value < $1.1.value }?.0, values: values)
        case .nearest(let expression):
            let value = ClaimEvaluator.value(of: expression, in: result)
            let answer = value.isNaN ? nil : predict.options.min { a, b in
                abs((PredictParser.leadingNumber(a) ?? .infinity) - value) < abs((PredictParser.leadingNumber(b) ?? .infinity) - value)
            }
            let text = predict.answerText.hasPrefix("nearest ") ? String(predict.answerText.dropFirst(8)) : predict.answerText
            return PredictOutcome(predict: predict, answer: answer, values: [MeasuredValue(expression: text, value: value)])
        }
    }
}
