import Testing
import Integrators

/// The explicit two-step midpoint rule (leapfrog for a first-order ODE), a test-only method that
/// carries the past state `y_{n−1}`:
/// ```
/// y_{n+1} = y_{n−1} + 2h F(t_n, y_n),     starter  y_{−1} = y_0 − h F(t_0, y_0)
/// ```
/// Order 2 (the starter's error `O(h²)` enters once); 1 evaluation per step, 1 to start.
struct TwoStepMidpoint: Integrator {
    var name: String { "twoStepMidpoint" }
    var stageCount: Int { 1 }
    var order: Int { 2 }
    var identity: IntegratorIdentity { .kind("twoStepMidpoint", parameters: []) }
    var carriedStateCount: Int { 1 }
    var startingEvaluationCount: Int { 1 }

    func start<State: VectorSpace>(_ y0: State, at t0: Double, stepSize h: Double,
                                   rightHandSide f: (Double, State) throws -> State) throws -> [State] {
        [try State.linearCombination(y0, weights: [-h], terms: [f(t0, y0)])]
    }

    func step<State: VectorSpace>(_ y: State, carried: inout [State], at t: Double, stepSize h: Double,
                                  rightHandSide f: (Double, State) throws -> State) throws -> State {
        guard carried.count == 1 else {
            throw IntegrationError.carriedStateCountMismatch(method: name, expected: 1, found: carried.count)
        }
        let next = try State.linearCombination(carried[0], weights: [2 * h], terms: [f(t, y)])
        carried = [y]
        return next
    }
}

/// Adams–Bashforth 2, a test-only method that carries an auxiliary state (the past derivative
/// `F_{n−1}`, not a past state):
/// ```
/// y_{n+1} = y_n + h (3/2 F_n − 1/2 F_{n−1}),     starter  F_{−1} = F(t_0 − h, y_0 − h F(t_0, y_0))
/// ```
/// Order 2; 1 evaluation per step, 2 to start.
struct AdamsBashforth2: Integrator {
    var name: String { "adamsBashforth2" }
    var stageCount: Int { 1 }
    var order: Int { 2 }
    var identity: IntegratorIdentity { .kind("adamsBashforth2", parameters: []) }
    var carriedStateCount: Int { 1 }
    var startingEvaluationCount: Int { 2 }

    func start<State: VectorSpace>(_ y0: State, at t0: Double, stepSize h: Double,
                                   rightHandSide f: (Double, State) throws -> State) throws -> [State] {
        let back = try State.linearCombination(y0, weights: [-h], terms: [f(t0, y0)])
        return [try f(t0 - h, back)]
    }

    func step<State: VectorSpace>(_ y: State, carried: inout [State], at t: Double, stepSize h: Double,
                                  rightHandSide f: (Double, State) throws -> State) throws -> State {
        let k = try f(t, y)
        let next = try State.linearCombination(y, weights: [1.5 * h, -0.5 * h], terms: [k, carried[0]])
        carried = [k]
        return next
    }
}

@Suite("Methods that carry states through the Integrator protocol")
struct MethodWithHistoryTests {
    @Test("the two-step midpoint rule reaches order 2 on every problem of the study")
    func twoStepMidpointOrder() throws {
        let result = try ConvergenceStudy().measure(TwoStepMidpoint())
        for m in result.measurements {
            #expect(m.passed, "\(m.problem): p̂ = \(m.estimatedOrder)")
        }
        #expect(result.passed)
    }

    @Test("Adams–Bashforth 2 (an auxiliary carried state) reaches order 2 on every problem")
    func adamsBashforthOrder() throws {
        let result = try ConvergenceStudy().measure(AdamsBashforth2())
        for m in result.measurements {
            #expect(m.passed, "\(m.problem): p̂ = \(m.estimatedOrder)")
        }
    }

    @Test("solve runs the starter once, then the steps, and equals a hand computation")
    func handComputation() throws {
        let h = 0.125
        let f: (Double, [Double]) throws -> [Double] = { _, y in [-y[0]] }
        let result = try TwoStepMidpoint().solve([1.0], finalTime: 0.375, stepCount: 3, recordTrajectory: true,
                                                 rightHandSide: f)
        let yMinus1 = 1 + -h * -1.0          // y_{−1} = y_0 − h F(y_0)
        let y1 = yMinus1 + 2 * h * -1.0       // y_1 = y_{−1} + 2h F(y_0)
        let y2 = 1 + 2 * h * -y1              // y_2 = y_0 + 2h F(y_1)
        let y3 = y1 + 2 * h * -y2             // y_3 = y_1 + 2h F(y_2)
        #expect(result.trajectory == [[1], [y1], [y2], [y3]])
        #expect(result.functionEvaluations == 3 + 1)
        #expect(TwoStepMidpoint().evaluationCount(stepCount: 3) == 4)
        #expect(result.stepSize == h)
    }

    @Test("a wrong number of carried states is a typed error naming the method")
    func carriedCountChecked() throws {
        var none: [[Double]] = []
        #expect(throws: IntegrationError.carriedStateCountMismatch(method: "twoStepMidpoint", expected: 1, found: 0)) {
            try TwoStepMidpoint().step([1.0], carried: &none, at: 0, stepSize: 0.1) { _, y in y }
        }
        var one: [[Double]] = [[2.0]]
        #expect(throws: IntegrationError.carriedStateCountMismatch(method: "heun", expected: 0, found: 1)) {
            try IntegratorKind.heun.integrator.step([1.0], carried: &one, at: 0, stepSize: 0.1) { _, y in y }
        }
    }

    @Test("one-step methods carry nothing, and the catalogue's method is its fast path with the tableau's identity")
    func oneStepDefaults() throws {
        for kind in IntegratorKind.allCases {
            let method = kind.method
            #expect(method.carriedStateCount == 0 && method.startingEvaluationCount == 0)
            #expect(method.identity == .tableau(kind.tableau))
            #expect(try IntegratorCatalogue.builtIn.integrator(for: .tableau(kind.tableau)).identity == method.identity)
        }
        #expect(IntegratorKind.forwardEuler.method is ForwardEuler)
        #expect(try IntegratorCatalogue.builtIn.integrator(for: .tableau(.forwardEuler)) is ForwardEuler)
        #expect(IntegratorKind.rk4Classic.method is ExplicitRungeKutta)
    }

    @Test("a catalogue knows a kind only once registered, and refuses a factory that builds another method")
    func catalogue() throws {
        let identity = IntegratorIdentity.kind("twoStepMidpoint", parameters: [])
        #expect(throws: IntegratorCatalogueError.unknownKind("twoStepMidpoint", known: [])) {
            try IntegratorCatalogue.builtIn.integrator(for: identity)
        }
        let catalogue = IntegratorCatalogue.builtIn.registering(kind: "twoStepMidpoint") { _ in TwoStepMidpoint() }
        #expect(try catalogue.integrator(for: identity) is TwoStepMidpoint)
        #expect(catalogue.kinds == ["twoStepMidpoint"])
        let wrong = IntegratorCatalogue.builtIn.registering(kind: "adamsBashforth2") { _ in TwoStepMidpoint() }
        #expect(throws: IntegratorCatalogueError.identityMismatch(
            requested: .kind("adamsBashforth2", parameters: []), built: identity)) {
            try wrong.integrator(for: .kind("adamsBashforth2", parameters: []))
        }
    }
}
