import BNEngine
import Foundation
import Testing
@testable import BNData

@Test func trainSplitLoadsQuickly() throws {
    let t0 = Date()
    let bytes = try MNIST.loadBytes(.train)
    let t1 = Date()
    let d = bytes.dataset()
    let t2 = Date()
    print("decode \(t1.timeIntervalSince(t0)) s, widen \(t2.timeIntervalSince(t1)) s")
    #expect(d.count == 60000)
}
