/// Measures the order of convergence of integrators on problems with exact solutions.
///
/// For each step count `N = 2^k` the problem is solved with `h = (T − t0)/N`, the error is
/// `e(h) = ‖y_N − y(T)‖_∞`, and the order estimate is the least-squares slope
/// ```
/// log e(h) ≈ p̂ · log h + C
/// ```
/// A method passes when `|p̂ − p| ≤ 0.2`. The step counts are chosen per nominal order so the errors
/// stay in the asymptotic range yet well above roundoff (see ``stepCounts(forOrder:)``).
///
/// Reference: DiffEqDevTools.jl `test_convergence` (SciML; same fit and the 0.2 tolerance);
/// Hairer, Nørsett & Wanner 1993, *Solving ODEs I*, §II.1 (convergence of order p).
public struct ConvergenceStudy: Sendable {
    /// The accepted `|p̂ − p|`: 0.2.
    public static let orderTolerance = 0.2

    /// The problems, in report order.
    public let problems: [ConvergenceProblem]

    /// A study over the given problems.
    ///
    /// - Parameter problems: defaults to ``ConvergenceProblem/all``.
    public init(problems: [ConvergenceProblem] = ConvergenceProblem.all) {
        self.problems = problems
    }

    /// The step counts `N = 2^k` used for a method of nominal order p on problems over `[0, 1]`.
    /// ```
    /// p = 1, 2:  N = 2^4 … 2^8     (h = 2^-4 … 2^-8, as OrdinaryDiffEq.jl's tests)
    /// p = 3:     N = 2^3 … 2^7
    /// p ≥ 4:     N = 2^2 … 2^6     (p = 5 errors reach ~1e-13 at N = 2^6: still above roundoff)
    /// ```
    ///
    /// - Parameter p: the nominal order.
    /// - Returns: five increasing powers of two.
    public static func stepCounts(forOrder p: Int) -> [Int] {
        let first: Int
        switch p {
        case ...2: first = 4
        case 3: first = 3
        default: first = 2
        }
        return (first...(first + 4)).map { 1 << $0 }
    }

    /// Measures one integrator on one problem.
    ///
    /// - Parameters:
    ///   - integrator: the method.
    ///   - problem: the problem with its exact solution.
    ///   - stepCounts: the N to use (defaults to ``stepCounts(forOrder:)`` of the method's order).
    /// - Returns: the errors and the fitted order.
    /// - Throws: ``ConvergenceStudyError/invalidStepCounts(_:)``, ``ConvergenceStudyError/unusableError(problem:method:stepCount:error:)``,
    ///   ``ConvergenceStudyError/exactSolutionCountMismatch(problem:stateCount:exactCount:)``,
    ///   ``ConvergenceStudyError/degenerateFit(pointCount:)``; any ``IntegrationError`` of the solves;
    ///   any error of the state's linear combination (e.g. `F` returning another length).
    public func measure(
        _ integrator: some Integrator, on problem: ConvergenceProblem, stepCounts: [Int]? = nil
    ) throws -> ConvergenceMeasurement {
        let counts = stepCounts ?? Self.stepCounts(forOrder: integrator.order)
        guard counts.count >= 2, counts.allSatisfy({ $0 >= 1 }) else {
            throw ConvergenceStudyError.invalidStepCounts(counts)
        }
        let exact = problem.exactSolution(problem.finalTime)
        var stepSizes: [Double] = [], errors: [Double] = []
        for n in counts {
            let result = try integrator.solve(
                problem.initialValue, startTime: problem.startTime, finalTime: problem.finalTime,
                stepCount: n, rightHandSide: problem.rightHandSide)
            guard result.finalState.count == exact.count else {
                throw ConvergenceStudyError.exactSolutionCountMismatch(
                    problem: problem.name, stateCount: result.finalState.count, exactCount: exact.count)
            }
            let error = zip(result.finalState, exact).reduce(0.0) { Swift.max($0, Swift.abs($1.0 - $1.1)) }
            guard error.isFinite, error > 0 else {
                throw ConvergenceStudyError.unusableError(
                    problem: problem.name, method: integrator.name, stepCount: n, error: error)
            }
            stepSizes.append(result.stepSize)
            errors.append(error)
        }
        let p̂ = try fitLogLog(h: stepSizes, error: errors).slope
        let passed = Swift.abs(p̂ - Double(integrator.order)) <= Self.orderTolerance
        return ConvergenceMeasurement(
            problem: problem.name, method: integrator.name, nominalOrder: integrator.order,
            stepCounts: counts, stepSizes: stepSizes, errors: errors, estimatedOrder: p̂,
            tolerance: Self.orderTolerance, passed: passed)
    }

    /// Measures one integrator on every problem.
    ///
    /// - Parameter integrator: the method.
    /// - Returns: its measurements, one per problem.
    /// - Throws: as ``measure(_:on:stepCounts:)``.
    public func measure(_ integrator: some Integrator) throws -> MethodConvergence {
        MethodConvergence(
            name: integrator.name, stageCount: integrator.stageCount, nominalOrder: integrator.order,
            measurements: try problems.map { try measure(integrator, on: $0) })
    }

    /// Measures every method of the catalogue on every problem.
    ///
    /// - Parameter kinds: the methods (defaults to all of ``IntegratorKind``).
    /// - Returns: one ``MethodConvergence`` per method, in `kinds` order.
    /// - Throws: as ``measure(_:on:stepCounts:)``.
    public func run(kinds: [IntegratorKind] = IntegratorKind.allCases) throws -> [MethodConvergence] {
        try kinds.map { try measure($0.integrator) }
    }
}
