// Seeded subsets and the generator behind them.
// Deliberately left out: statistical tests of uniformity; determinism and distinctness are what lessons rely on.
import BNEngine
import Testing
@testable import BNData

@Test func sameSeedSameIndicesDifferentSeedDifferent() throws {
    let a = try Subsets.indices(choosing: 100, from: 60_000, seed: 7)
    let b = try Subsets.indices(choosing: 100, from: 60_000, seed: 7)
    let c = try Subsets.indices(choosing: 100, from: 60_000, seed: 8)
    #expect(a == b)
    #expect(a != c)
    #expect(Set(a).count == 100)
    #expect(a == a.sorted())
    #expect(a.allSatisfy { (0..<60_000).contains($0) })
}

@Test func choosingEverythingGivesEveryIndexOnce() throws {
    #expect(try Subsets.indices(choosing: 50, from: 50, seed: 1) == Array(0..<50))
    #expect(try Subsets.indices(choosing: 0, from: 50, seed: 1) == [])
}

@Test func askingForMoreThanThereIsSaysHowMany() {
    #expect(throws: DataError.invalidRequest("Cannot choose 70000 examples from 60000; ask for 0…60000.")) {
        try Subsets.indices(choosing: 70_000, from: 60_000, seed: 1)
    }
    #expect(throws: DataError.self) { try DataCatalog.load(DataRequest(dataset: "mnist", trainSize: -1)) }
}


@Test func mnistSubsetsAreDeterministicAndKeepTestSeparate() throws {
    let r = DataRequest(dataset: "mnist", scaling: .scaled, trainSize: 1_000, testSize: 200, seed: 11)
    let first = try DataCatalog.load(r)
    let again = try DataCatalog.load(r)
    var other = r
    other.seed = 12
    let different = try DataCatalog.load(other)
    #expect(first.train.x == again.train.x && first.train.labels == again.train.labels)
    #expect(first.test.labels == again.test.labels)
    #expect(first.train.labels != different.train.labels)
    #expect(first.train.count == 1_000 && first.test.count == 200)
    // Test examples come from the held-out split: the full test split contains each of them.
    let fullTest = try MNIST.load(.test)
    let fullX = fullTest.x, firstX = first.test.x  // decoded once (MNIST is stored as bytes)
    let testRows = Set((0..<fullTest.count).map { Array(fullX[$0 * 784..<($0 + 1) * 784]) })
    for i in 0..<first.test.count {
        #expect(testRows.contains(Array(firstX[i * 784..<(i + 1) * 784]).map { ($0 * 255).rounded() }))
    }
}
