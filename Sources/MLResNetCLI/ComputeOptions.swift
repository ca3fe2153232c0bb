import ArgumentParser
import Foundation
import MultilevelResNet

/// `--threads`, one declaration for every command that runs kernels.
struct ComputeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Kernel threads (oneDNN and OpenBLAS), 1 to 4 × cores (default: train and compare: 1 for digits, all cores "
            + "otherwise; other commands: all cores).",
        discussion: "The 8×8 digits make kernels too small to gain from threads, and spinning OpenMP threads "
            + "on a loaded 2-core machine stall for whole scheduler slices, which makes timings erratic. The count "
            + "is recorded with every run; the same configuration with 1 thread gives the same bits."))
    var threads: Int?

    func validate() throws {
        if let threads, !(1...ThreadControl.maximumThreadCount).contains(threads) {
            throw ValidationError("--threads must be in 1...\(ThreadControl.maximumThreadCount) (4 × cores, at most 1024), got \(threads)")
        }
    }

    /// `--threads`, else all cores.
    var threadCount: Int { threads ?? ProcessInfo.processInfo.activeProcessorCount }
}

/// The enumerations the command line takes by name; ArgumentParser lists the valid values in the
/// help and in the error for any other value.
extension IntegratorKind: ExpressibleByArgument {}
extension Prolongation: ExpressibleByArgument {}
extension StateTransferPolicy: ExpressibleByArgument {}
extension ComparisonRunKind: ExpressibleByArgument {}
extension ProgressReporter.Style: ExpressibleByArgument {}
