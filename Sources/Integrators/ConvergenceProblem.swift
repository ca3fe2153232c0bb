#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#else
import Foundation
#endif

/// An initial-value problem on `[t0, T]` with a known exact solution, for measuring the order of
/// convergence of an integrator.
///
/// The catalogue holds the three problems the style guide asks for: a linear autonomous scalar
/// problem, a non-autonomous scalar problem, and a 2-D rotation.
///
/// Reference: the problem catalogue of GSL `ode-initval2/test.c` (problems with exact solutions).
public struct ConvergenceProblem: Sendable {
    /// A short identifier, e.g. `"exponentialDecay"`.
    public let name: String
    /// The equation in words, e.g. `"y' = -y, y(0) = 1"`.
    public let equation: String
    /// `y(t0)`.
    public let initialValue: [Double]
    /// t0.
    public let startTime: Double
    /// T.
    public let finalTime: Double
    /// `F(t, y)`.
    public let rightHandSide: @Sendable (Double, [Double]) -> [Double]
    /// `y(t)`, the exact solution.
    public let exactSolution: @Sendable (Double) -> [Double]

    /// Describes a problem.
    ///
    /// - Parameters:
    ///   - name: a short identifier.
    ///   - equation: the equation in words.
    ///   - initialValue: `y(t0)`.
    ///   - startTime: t0.
    ///   - finalTime: T.
    ///   - rightHandSide: `F(t, y)`.
    ///   - exactSolution: `y(t)`.
    public init(
        name: String, equation: String, initialValue: [Double], startTime: Double = 0,
        finalTime: Double,
        rightHandSide: @escaping @Sendable (Double, [Double]) -> [Double],
        exactSolution: @escaping @Sendable (Double) -> [Double]
    ) {
        self.name = name
        self.equation = equation
        self.initialValue = initialValue
        self.startTime = startTime
        self.finalTime = finalTime
        self.rightHandSide = rightHandSide
        self.exactSolution = exactSolution
    }

    /// `y' = λ y` with λ = −1, `y(0) = 1` on `[0, 1]`; `y(t) = exp(−t)`.
    public static let exponentialDecay = ConvergenceProblem(
        name: "exponentialDecay", equation: "y' = -y, y(0) = 1, t in [0, 1]",
        initialValue: [1], finalTime: 1,
        rightHandSide: { _, y in [-y[0]] },
        exactSolution: { t in [exp(-t)] })

    /// The non-autonomous `y' = t y`, `y(0) = 1` on `[0, 1]`; `y(t) = exp(t²/2)`.
    ///
    /// (`y' = −2 t y` on `[0, 1]` was rejected: there the leading global-error term of Ralston's
    /// method nearly cancels at T = 1, and Ralston measures order 3 instead of 2.)
    public static let timeDependentGrowth = ConvergenceProblem(
        name: "timeDependentGrowth", equation: "y' = t y, y(0) = 1, t in [0, 1]",
        initialValue: [1], finalTime: 1,
        rightHandSide: { t, y in [t * y[0]] },
        exactSolution: { t in [exp(t * t / 2)] })

    /// The rotation `y' = [[0, −1], [1, 0]] y`, `y(0) = (1, 0)` on `[0, 1]`; `y(t) = (cos t, sin t)`.
    public static let rotation = ConvergenceProblem(
        name: "rotation", equation: "y' = [[0, -1], [1, 0]] y, y(0) = (1, 0), t in [0, 1]",
        initialValue: [1, 0], finalTime: 1,
        rightHandSide: { _, y in [-y[1], y[0]] },
        exactSolution: { t in [cos(t), sin(t)] })

    /// The three problems, in the order above.
    public static let all: [ConvergenceProblem] = [.exponentialDecay, .timeDependentGrowth, .rotation]
}
