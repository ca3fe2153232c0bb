import Foundation

/// Progress of a run on standard error: on a terminal a bar with the ETA, redrawn in place
/// after every batch; otherwise one plain line per epoch. Standard error, so that standard output
/// keeps a command's results alone (`mlresnet compare > table.txt`).
///
/// ETA: `elapsed · (1 − f) / f` with `f` the fraction of planned epochs done (fractional within
/// an epoch); a rough figure when the levels of a multilevel run differ in cost.
public final class ProgressReporter {
    /// How progress is shown.
    public enum Style: String, Sendable, Hashable, CaseIterable {
        /// A bar when standard error is a terminal (`isatty(2)`), lines otherwise.
        case automatic
        /// A bar with the ETA, redrawn in place.
        case bar
        /// One line per epoch.
        case lines
        /// Nothing.
        case silent
    }

    /// The style in effect (``Style/automatic`` resolved).
    public let style: Style
    /// A label printed before each line (e.g. the run's name).
    public var label: String
    /// The planned epoch count of the run, for the ETA.
    public var plannedEpochs: Int
    private let start = Date()
    private var lastDraw = Date.distantPast

    /// Creates a reporter.
    ///
    /// - Parameters:
    ///   - style: the style; `automatic` checks `isatty(2)` (standard error).
    ///   - label: the prefix of each line.
    ///   - plannedEpochs: the run's total epochs.
    public init(style: Style = .automatic, label: String = "", plannedEpochs: Int = 0) {
        self.style = style == .automatic ? (isatty(2) == 1 ? .bar : .lines) : style
        self.label = label
        self.plannedEpochs = plannedEpochs
    }

    private func eta(progress: Double) -> String {
        let elapsed = Date().timeIntervalSince(start)
        guard progress > 0 else { return "--:--" }
        let remaining = max(0, elapsed * (1 - progress) / progress)
        return String(format: "%d:%02d", Int(remaining) / 60, Int(remaining) % 60)
    }

    /// Redraws the bar after a batch (bar style only; at most every 0.1 s).
    ///
    /// - Parameters:
    ///   - epoch: the global epoch in progress (from 0).
    ///   - batch: batches done in it.
    ///   - batchCount: batches per epoch.
    ///   - loss: the latest batch loss.
    func batchFinished(epoch: Int, batch: Int, batchCount: Int, loss: Double) {
        guard style == .bar, Date().timeIntervalSince(lastDraw) >= 0.1 || batch == batchCount else { return }
        lastDraw = Date()
        let fraction = plannedEpochs > 0
            ? min(1, (Double(epoch) + Double(batch) / Double(max(batchCount, 1))) / Double(plannedEpochs)) : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = String(format: "\r%@[%@] epoch %d/%d batch %d/%d loss %.4f ETA %@  ", label, bar, epoch + 1,
                          plannedEpochs, batch, batchCount, loss, eta(progress: fraction))
        fflush(nil)
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// Prints the epoch's summary line.
    ///
    /// - Parameter record: the finished epoch.
    func epochFinished(_ record: EpochRecord) {
        guard style != .silent else { return }
        func percent(_ value: Double?) -> String { value.map { String(format: "%.2f%%", 100 * $0) } ?? "-" }
        let fraction = plannedEpochs > 0 ? Double(record.globalEpoch + 1) / Double(plannedEpochs) : 0
        let line = String(format: "%@epoch %d/%d (cycle %d, N=%d) loss %.4f train %@ val %@ test %@ lr %.4g "
                          + "%.1f s %.0f img/s ETA %@",
                          label, record.globalEpoch + 1, plannedEpochs, record.cycle, record.stepCount, record.loss,
                          percent(record.trainAccuracy), percent(record.validationAccuracy),
                          percent(record.testAccuracy), record.learningRateEnd, record.trainSeconds,
                          record.imagesPerSecond, eta(progress: fraction))
        // Flush every C stream first (`print` is buffered when redirected), so lines stay in order.
        fflush(nil)
        FileHandle.standardError.write(Data(((style == .bar ? "\r\u{1B}[K" : "") + line + "\n").utf8))
    }
}
