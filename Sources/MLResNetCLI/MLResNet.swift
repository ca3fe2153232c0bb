import ArgumentParser
import MultilevelResNet

/// The `mlresnet` command-line tool: multi-level training of ODE residual networks.
@main
struct MLResNet: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mlresnet",
        abstract: "Multi-level training of residual networks seen as discretized ODEs.",
        discussion: """
            A residual block is one integrator step Y_{n+1} = Y_n + h F(Y_n, θ_n) of dY/dt = F(Y, θ(t)) \
            on [0, T] with h = T/N. Reference: Chang, Meng, Haber, Tung, Begert, "Multi-level Residual \
            Networks from Dynamical Systems View", ICLR 2018.
            """,
        version: "mlresnet \(multilevelResNetVersion)",
        subcommands: [ConvergenceCommand.self, BenchCommand.self, InspectCommand.self, CompareCommand.self, TrainCommand.self,
                      AnalyzeCommand.self]
    )
}
