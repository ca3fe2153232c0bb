import ArgumentParser
import Foundation
import MultilevelResNet

/// The `mlresnet` command-line tool: multi-level training of ODE residual networks.
///
/// Exit statuses: 0 success; 1 an error (bad file, failed write, …); 64 bad usage (ArgumentParser's
/// `EX_USAGE`);
/// ``divergenceExitStatus`` (3) when training diverged (a non-finite loss, gradient, weight or
/// running statistic, or an archive writer refusing a non-finite tensor).
@main
struct MLResNet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlresnet",
        abstract: "Multi-level training of residual networks seen as discretized ODEs.",
        discussion: """
            A residual block is one integrator step Y_{n+1} = Y_n + h F(Y_n, θ_n) of dY/dt = F(Y, θ(t)) \
            on [0, T] with h = T/N. Reference: Chang, Meng, Haber, Tung, Begert, "Multi-level Residual \
            Networks from Dynamical Systems View", ICLR 2018.

            Standard output holds the results (tables, or the JSON of --json -); progress, settings, \
            notes, warnings and `wrote FILE` lines go to standard error.

            Exit status: 0 success, 1 error, 64 bad usage, \(divergenceExitStatus) training diverged \
            (train, compare: a NaN or ±∞ loss, gradient, weight or batch-norm running statistic; the \
            message names cycle, epoch, batch and the first non-finite parameter, and the last \
            checkpoint on disk is the last good one).
            """,
        version: "mlresnet \(multilevelResNetVersion)",
        subcommands: [ConvergenceCommand.self, BenchCommand.self, InspectCommand.self, CompareCommand.self, TrainCommand.self,
                      AnalyzeCommand.self]
    )

    /// The exit status of a run stopped by divergence.
    static let divergenceExitStatus: Int32 = 3

    /// Whether `error` means training diverged (``divergenceExitStatus``).
    static func isDivergence(_ error: any Error) -> Bool {
        switch error {
        case let error as TrainingError: return error.isDivergence
        case ArchiveError.nonFiniteTensor: return true
        default: return false
        }
    }

    /// ArgumentParser's `main()`, with divergence mapped to its own exit status and a usage error
    /// thrown by a subcommand's `run()` printed with that subcommand's usage (``usageFailure(_:in:)``).
    static func main() {
        var command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            try command.run()
        } catch where isDivergence(error) {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            exit(withError: ExitCode(divergenceExitStatus))
        } catch {
            if let (text, status) = usageFailure(error, in: type(of: command)) {
                fflush(nil)
                FileHandle.standardError.write(Data(text.utf8))
                Foundation.exit(status)
            }
            exit(withError: error)
        }
    }
}
