import Foundation
import Synchronization

/// Something a trainer asks, after every mini-batch, whether it should stop.
///
/// The trainers poll ``isRequested`` once per batch; when it is `true` they finish nothing more:
/// the state after that batch (position inside the epoch included) is handed to the observers'
/// ``TrainingObserver/didInterrupt(_:network:state:)`` (the run's checkpoint writer saves it) and
/// ``TrainingInterrupted`` is thrown.
///
/// Conform your own type to stop runs on other conditions (a wall-clock limit, a test that stops
/// after `k` batches); ``InterruptFlag`` is the one the command line sets from SIGINT/SIGTERM.
public protocol InterruptionSource: AnyObject, Sendable {
    /// Whether the run should stop after the batch just finished.
    var isRequested: Bool { get }
}

/// A flag that interrupts training when set: an atomic boolean, safe to set from any thread or
/// from a signal handler's queue.
public final class InterruptFlag: InterruptionSource {
    private let value = Atomic<Bool>(false)
    private let signalNumber = Atomic<Int32>(0)

    /// Creates a cleared flag.
    public init() {}

    /// Whether ``request(signal:)`` was called since the last ``clear()``.
    public var isRequested: Bool { value.load(ordering: .acquiring) }

    /// The signal that set the flag (e.g. `SIGINT`), or 0 when set by ``request(signal:)`` without one.
    public var signal: Int32 { signalNumber.load(ordering: .acquiring) }

    /// Sets the flag: the trainers stop after their current batch.
    ///
    /// - Parameter signal: the signal number that asked for it, if any (0: none).
    public func request(signal: Int32 = 0) {
        signalNumber.store(signal, ordering: .releasing)
        value.store(true, ordering: .releasing)
    }

    /// Clears the flag.
    public func clear() {
        value.store(false, ordering: .releasing)
        signalNumber.store(0, ordering: .releasing)
    }

    /// The process's flag, set by the handlers of ``installSignalHandlers(announce:)``.
    public static let process = InterruptFlag()

    /// Installs handlers of SIGINT and SIGTERM (once per process; later calls do nothing) that
    /// set ``process``. A second signal while the flag is set ends the process at once with status
    /// 128 + the signal's number (130 for SIGINT), without a further checkpoint.
    ///
    /// The handlers are `DispatchSource` signal sources on a global queue (the signals' default
    /// actions are ignored while they are installed); they only set the atomic flag and call
    /// `announce`, never touching training state.
    ///
    /// - Parameter announce: called on the handlers' queue at the first signal, with its number
    ///   (e.g. to print "stopping after the current batch").
    public static func installSignalHandlers(announce: @escaping @Sendable (Int32) -> Void = { _ in }) {
        SignalHandlers.shared.install(announce: announce)
    }
}

/// The process's signal sources (kept alive for the process's lifetime).
private final class SignalHandlers: @unchecked Sendable {
    static let shared = SignalHandlers()
    private let lock = Mutex<[DispatchSourceSignal]?>(nil)

    func install(announce: @escaping @Sendable (Int32) -> Void) {
        lock.withLock { sources in
            guard sources == nil else { return }
            let flag = InterruptFlag.process
            sources = [SIGINT, SIGTERM].map { number in
                Foundation.signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler {
                    if flag.isRequested {
                        // The second signal: stop now (no checkpoint; the status stays `running`, the
                        // last checkpoint resumes), with the shell's status for death by that signal.
                        // (`raise` would not do: the signal sources keep the signal blocked.)
                        _exit(128 + number)
                    }
                    flag.request(signal: number)
                    announce(number)
                }
                source.resume()
                return source
            }
        }
    }
}

/// The error a trainer throws when an ``InterruptionSource`` asked it to stop: the run's state
/// after the last finished batch has been given to the observers (checkpoint written).
public struct TrainingInterrupted: Error, Equatable, CustomStringConvertible {
    /// The cycle in progress (0 for plain training).
    public var cycle: Int
    /// The epoch within the cycle, from 0.
    public var epoch: Int
    /// Mini-batches of that epoch finished (and saved).
    public var batchesDone: Int
    /// Mini-batches in the epoch.
    public var batchCount: Int

    /// Creates the error.
    ///
    /// - Parameters:
    ///   - cycle: the cycle in progress.
    ///   - epoch: the epoch within the cycle.
    ///   - batchesDone: batches of that epoch finished.
    ///   - batchCount: batches per epoch.
    public init(cycle: Int, epoch: Int, batchesDone: Int, batchCount: Int) {
        self.cycle = cycle
        self.epoch = epoch
        self.batchesDone = batchesDone
        self.batchCount = batchCount
    }

    /// Where the run stopped.
    public var description: String {
        "training interrupted in cycle \(cycle), epoch \(epoch), after batch \(batchesDone) of \(batchCount)"
    }
}
