import Dispatch
import HDF5Storage
import Testing

/// The process-wide lock lets several threads use the module at once (one HDF5 call at a time).
@Suite struct ConcurrencyTests {
    @Test func threadsWriteAndReadTheirOwnFiles() throws {
        let directory = try TemporaryDirectory()
        let threads = 4
        let results = ResultBox(count: threads)
        let base = directory.path
        DispatchQueue.concurrentPerform(iterations: threads) { index in
            do {
                let path = base + "/thread\(index).h5"
                let values = (0..<50).map { Double($0 * (index + 1)) }
                var allOK = true
                for round in 0..<5 {
                    let file = try HDF5File.create(at: path)
                    try file.root.write(values, shape: [5, 10], to: "g/x\(round)")
                    try file.attributes.set(.int64(Int64(index)), for: "index")
                    try file.close()
                    let reopened = try HDF5File.open(at: path)
                    let ok = try reopened.root.read("g/x\(round)", as: Double.self).values == values
                        && reopened.attributes.int64("index") == Int64(index)
                    // A failure on this thread is still reported as a thrown error.
                    let missing = (try? reopened.root.read("nope", as: Double.self)) == nil
                    allOK = allOK && ok && missing
                }
                results.set(index, allOK)
            } catch {
                results.set(index, false)
                results.record("thread \(index): \(error)")
            }
        }
        #expect(results.all == [Bool](repeating: true, count: threads), "\(results.errors)")
    }
}

/// Per-thread results, written under a lock.
final class ResultBox: @unchecked Sendable {
    private var values: [Bool]
    private var messages: [String] = []
    private let lock = SemaphoreLock()
    init(count: Int) { values = [Bool](repeating: false, count: count) }
    func set(_ index: Int, _ value: Bool) { lock.withLock { values[index] = value } }
    func record(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [Bool] { lock.withLock { values } }
    var errors: [String] { lock.withLock { messages } }
}

/// A minimal lock from Dispatch (no Foundation needed).
final class SemaphoreLock: @unchecked Sendable {
    private let semaphore = DispatchSemaphore(value: 1)
    func withLock<R>(_ body: () -> R) -> R {
        semaphore.wait()
        defer { semaphore.signal() }
        return body()
    }
}
