import BNEngine
// Chooses seeded, deterministic subsets of a dataset's examples.
//
// Deliberately left out: stratification (a random subset of 1000 MNIST digits has roughly, not
// exactly, 100 per class) and shuffling for training (the trainer does that per epoch).

/// Seeded choice of example indices.
public enum Subsets {
    /// `size` distinct indices from `0..<population`, chosen by `seed`, in increasing order.
    ///
    /// The same (population, size, seed) always gives the same indices. A partial Fisher–Yates
    /// shuffle over a lazily materialised permutation keeps the cost O(size), not O(population).
    public static func indices(choosing size: Int, from population: Int, seed: UInt64) throws -> [Int] {
        guard size >= 0, size <= population else {
            throw DataError.invalidRequest("Cannot choose \(size) examples from \(population); ask for 0…\(population).")
        }
        var rng = SplitMix64(seed: seed)
        var swapped: [Int: Int] = [:]  // position → value, for positions moved away from identity
        var chosen = [Int]()
        chosen.reserveCapacity(size)
        for i in 0..<size {
            let j = i + rng.index(below: population - i)
            let atJ = swapped[j] ?? j
            let atI = swapped[i] ?? i
            swapped[j] = atI
            chosen.append(atJ)
        }
        return chosen.sorted()
    }
}
