import ArgumentParser
import Foundation
import MultilevelResNet

/// `mlresnet convergence`: the measured order of convergence of every catalogue integrator.
///
/// Solves the three problems of ``ConvergenceProblem/all`` with N = 2^k steps, fits the slope of
/// log error on log h, and compares it with the nominal order (tolerance 0.2).
///
/// - Throws: `ExitCode(1)` when any method misses its order by more than 0.2 on any problem.
struct ConvergenceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convergence",
        abstract: "Measure the order of convergence of every Runge–Kutta method in the catalogue.",
        discussion: """
            For each method and each problem with an exact solution (y' = -y; y' = ty; a 2-D \
            rotation) the error at T is measured at N = 2^k steps, and the order is the least-squares \
            slope of log error on log h. A method passes when |p̂ − p| ≤ 0.2; the exit status is 1 \
            if any method fails.
            """)

    /// `--json FILE|-`: per method, name, stages, nominal order, estimated order per problem, pass.
    @OptionGroup var output: JSONOutputOptions

    func run() throws {
        let study = ConvergenceStudy()
        let methods = try study.run()
        if !output.toStandardOutput { printTables(methods, problems: study.problems) }
        try output.write(methods.map(MethodSummary.init))
        if !methods.allSatisfy(\.passed) {
            throw ExitCode(1)
        }
    }

    private func printTables(_ methods: [MethodConvergence], problems: [ConvergenceProblem]) {
        for (index, problem) in problems.enumerated() {
            print("\(problem.name): \(problem.equation)")
            print(row("method", "stages", "order", "estimated", "N", "pass"))
            for method in methods {
                let m = method.measurements[index]
                let range = "\(m.stepCounts.first ?? 0)…\(m.stepCounts.last ?? 0)"
                print(row(method.name, "\(method.stageCount)", "\(method.nominalOrder)",
                          String(format: "%.3f", m.estimatedOrder), range, m.passed ? "yes" : "NO"))
            }
            print("")
        }
        let failed = methods.filter { !$0.passed }.map(\.name)
        print(failed.isEmpty
              ? "all \(methods.count) methods within 0.2 of their order"
              : "FAILED (order missed by > 0.2): \(failed.joined(separator: ", "))")
    }

    private func row(_ name: String, _ stages: String, _ order: String, _ estimate: String,
                     _ range: String, _ pass: String) -> String {
        func pad(_ s: String, _ width: Int) -> String { s.padding(toLength: width, withPad: " ", startingAt: 0) }
        return pad(name, 20) + pad(stages, 8) + pad(order, 7) + pad(estimate, 11) + pad(range, 9) + pass
    }
}

/// The JSON record of one method printed by `mlresnet convergence --json`.
private struct MethodSummary: Encodable {
    let name: String
    let stages: Int
    let nominalOrder: Int
    let estimatedOrder: [String: Double]
    let pass: Bool
    let measurements: [ConvergenceMeasurement]

    init(_ method: MethodConvergence) {
        name = method.name
        stages = method.stageCount
        nominalOrder = method.nominalOrder
        estimatedOrder = Dictionary(uniqueKeysWithValues: method.measurements.map { ($0.problem, $0.estimatedOrder) })
        pass = method.passed
        measurements = method.measurements
    }
}
