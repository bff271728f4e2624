import Testing
@testable import BNPlots

@Suite struct NumberFormatTests {
    @Test func compactFormsMatchTheIssueExamples() {
        #expect(NumberFormat.compact(0.94) == "0.94")
        #expect(NumberFormat.compact(1.2e-5) == "1.2e-5")
        #expect(NumberFormat.compact(3000) == "3k")
        #expect(NumberFormat.compact(1500) == "1.5k")
        #expect(NumberFormat.compact(2_500_000) == "2.5M")
        #expect(NumberFormat.compact(1e30) == "1e30")
        #expect(NumberFormat.compact(-0.5) == "-0.5")
        #expect(NumberFormat.compact(0) == "0")
        #expect(NumberFormat.compact(12.345) == "12.3")
    }

    @Test func compactNamesNonFiniteValuesInAscii() {
        #expect(NumberFormat.compact(.nan) == "NaN")
        #expect(NumberFormat.compact(.infinity) == "inf")
        #expect(NumberFormat.compact(-.infinity) == "-inf")
    }

    @Test func roundingUpCarriesIntoTheNextUnit() {
        #expect(NumberFormat.compact(999.96) == "1k")
        #expect(NumberFormat.compact(999_960) == "1M")
        #expect(NumberFormat.compact(9.9999e-6) == "1e-5")
    }

    @Test func fixedTrimsTrailingZeros() {
        #expect(NumberFormat.fixed(0.5, decimals: 2) == "0.5")
        #expect(NumberFormat.fixed(-0.001, decimals: 2) == "0")
        #expect(NumberFormat.fixed(2, decimals: 3) == "2")
        #expect(NumberFormat.fixed(0.05, decimals: 2) == "0.05")
    }

    @Test func percentKeepsOneDecimalBelowTen() {
        #expect(NumberFormat.percent(0.031) == "3.1%")
        #expect(NumberFormat.percent(0.5) == "50%")
    }

    @Test func tickLabelsShowJustEnoughDecimals() {
        #expect(NumberFormat.tickLabels([0, 0.25, 0.5, 0.75, 1]) == ["0", "0.25", "0.5", "0.75", "1"])
        #expect(NumberFormat.tickLabels([0, 500, 1000, 1500]) == ["0", "500", "1000", "1500"])
        #expect(NumberFormat.tickLabels([0, 10_000, 20_000]) == ["0", "10k", "20k"])
        #expect(NumberFormat.tickLabels([0.0001, 0.0002]) == ["1e-4", "2e-4"])
    }
}
