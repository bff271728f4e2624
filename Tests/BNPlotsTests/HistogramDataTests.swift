import Testing
@testable import BNPlots

@Suite struct HistogramDataTests {
    @Test func binningRawValuesCountsOutsideAndNonFinite() {
        let data = HistogramData(values: [-5, -1, -0.5, 0, 0.5, 1, 7, .nan, .infinity], binCount: 4, range: ValueRange(lower: -1, upper: 1))
        #expect(data.bins == [1, 1, 1, 2])  // 1 lands in the last bin: the upper end is inclusive
        #expect(data.below == 1)
        #expect(data.above == 1)
        #expect(data.nonFinite == 2)
        #expect(data.mean == 2 / 7.0)
    }

    @Test func saturationCountsValuesAtOrBeyondTheThreshold() {
        let data = HistogramData(values: [-3, -1, 0, 1, 2, 3], binCount: 3, saturationThreshold: 2)
        #expect(data.saturatedFraction == 0.5)
    }

    @Test func rebinningKeepsTheTotalCount() {
        let data = HistogramData(bins: [1, 2, 3, 4], lower: 0, upper: 4, below: 1, above: 2)
        let wider = data.rebinned(to: ValueRange(lower: -2, upper: 6), binCount: 8)
        #expect(wider.bins == [0, 0, 1, 2, 3, 4, 0, 0])
        let narrower = data.rebinned(to: ValueRange(lower: 1, upper: 3), binCount: 4)
        #expect(narrower.bins == [1, 1, 1.5, 1.5])
        #expect(narrower.below == 2)
        #expect(narrower.above == 6)
    }

    @Test func rebinningAReversedRangeRepairsIt() {
        let data = HistogramData(bins: [1, 1], lower: 0, upper: 2)
        let out = data.rebinned(to: ValueRange(lower: 2, upper: 0), binCount: 2)
        #expect(out.lower == 0 && out.upper == 2)
        #expect(out.bins == [1, 1])
    }

    @Test func estimatedStatisticsComeFromBinCentres() {
        let data = HistogramData(bins: [1, 0, 1], lower: 0, upper: 3)
        #expect(data.estimatedMean == 1.5)
        #expect(data.estimatedStd == 1)
    }

    @Test func emptyValuesGiveEmptyHistogramWithoutStatistics() {
        let data = HistogramData(values: [], binCount: 5)
        #expect(data.bins == [0, 0, 0, 0, 0])
        #expect(data.mean == nil)
        #expect(data.estimatedMean == nil)
    }

    @Test func percentilesOfRawValuesInterpolate() {
        let p = PercentilePoint(step: 0, values: Array(0...100).map(Double.init) + [.nan])
        #expect(p.p15 == 15)
        #expect(p.p50 == 50)
        #expect(p.p85 == 85)
    }
}
