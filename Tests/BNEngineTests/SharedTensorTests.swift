import Testing
@testable import BNEngine

/// A tensor that shares another's memory (the workspace's dz and scratch, one buffer for every layer).
@Suite struct SharedTensorTests {
    @Test func aSharingTensorWritesItsStorageWithItsOwnShape() {
        let storage = Tensor(rows: 4, columns: 6)
        let narrow = Tensor(sharing: storage, rows: 4, columns: 3)
        narrow[1, 2] = 7   // element 1·3 + 2 = 5 of the shared memory
        #expect(storage.pointer[5] == 7 && narrow.row(1)[2] == 7)
        #expect(narrow.count == 12 && storage.count == 24)
    }

    @Test func everyLayerOfAWorkspaceSharesDzAndScratch() {
        let network = Network(NetworkSpec.mlp(inputs: 5, hidden: [7, 3], classes: 2, activation: .relu, batchNorm: .before), seed: 1)
        let workspace = Workspace(network: network, capacity: 4)
        let dz = Set(workspace.layers.map { UnsafeRawPointer($0.dz.pointer) })
        let scratch = Set(workspace.layers.map { UnsafeRawPointer($0.scratch.pointer) })
        #expect(dz.count == 1 && scratch.count == 1 && dz != scratch)
        #expect(workspace.layers.map(\.dz.columns) == [7, 3, 2])
    }
}
