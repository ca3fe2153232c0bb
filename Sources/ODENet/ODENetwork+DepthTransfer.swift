public import Multilevel
public import TensorCore
public import Autodiff

extension ODENetwork {
    /// A network with `cf·N` steps per stage whose θ is the prolongation `P θ` of this one's.
    ///
    /// Every per-step tensor moves with the same matrix: conv weights, BN γ/β and BN running
    /// mean/variance (variances are clamped at 0, since interpolation can undershoot). The stem,
    /// connectors and head are copied. `T` follows `rule` (`halve`: `T` kept, `h` halved; `keep`: `h`
    /// kept, `T` doubled).
    ///
    /// - Parameters:
    ///   - p: the prolongation (the paper: `piecewiseConstant`, a copy of each block after itself).
    ///   - rule: the step-size rule.
    ///   - grid: where θ_n sits in its step, for interpolating prolongations.
    ///   - coarseningFactor: `cf`, 2 in the paper.
    /// - Returns: the refined network (new parameter objects; this network is unchanged).
    /// - Throws: `MultilevelError.invalidCoarseningFactor` for `cf < 2`; `.sizeOverflow` /
    ///   `.stepCountTooLarge` when `cf·N` overflows or exceeds `Level.maximumStepCount`; other
    ///   `MultilevelError`s from the operator; `ODENetError` when the new `T` (rule `keep`) or `h` is
    ///   out of range; `TensorError` from the copies.
    ///
    /// Reference: Chang et al., ICLR 2018, §3.2 (interpolation and `h` halving).
    public func refined(by p: Prolongation, rule: StepSizeRule, grid: StepGrid = .cellCentred,
                        coarseningFactor: Int = 2) throws -> ODENetwork {
        try transferred(.prolongation(p, grid: grid), rule: rule, coarseningFactor: coarseningFactor)
    }

    /// A network with `N/cf` steps per stage whose θ is the restriction `R θ` of this one's.
    ///
    /// - Throws: `MultilevelError.invalidCoarseningFactor` for `cf < 2`; `.stepCountNotDivisible` when
    ///   `N` is not a multiple of `cf`; other `MultilevelError`s, `ODENetError`s (the new spec) and
    ///   `TensorError`s.
    public func coarsened(by r: Restriction, rule: StepSizeRule, coarseningFactor: Int = 2) throws -> ODENetwork {
        try transferred(.restriction(r), rule: rule, coarseningFactor: coarseningFactor)
    }

    /// The network after a depth transfer (see ``refined(by:rule:grid:coarseningFactor:)``).
    ///
    /// A prolongation that falls back to a lower degree on this `N` (`cubicSpline` at `N < 4`,
    /// `linear` at `N = 1`; ``/Multilevel/Prolongation/effectiveMethod(coarseStepCount:)``) hands one warning
    /// per call, i.e. once per refinement, to ``DepthTransfer/warningHandler`` (by default a line
    /// on standard error).
    ///
    /// - Throws: `MultilevelError.invalidCoarseningFactor` for `cf < 2`, the other `MultilevelError`s
    ///   of ``DepthTransfer/targetStepCount(from:coarseningFactor:)`` and ``DepthTransfer/matrix(from:coarseningFactor:)``;
    ///   `ODENetError` when the new spec is invalid (e.g. `T` overflowing under `keep`); `TensorError`.
    public func transferred(_ transfer: DepthTransfer, rule: StepSizeRule, coarseningFactor cf: Int = 2) throws
        -> ODENetwork
    {
        let n = spec.stepCount
        let target = try transfer.targetStepCount(from: n, coarseningFactor: cf)
        let matrix = try transfer.matrix(from: n, coarseningFactor: cf)
        transfer.warnIfDegraded(from: n)
        let finalTime = rule.finalTime(from: spec.finalTime, stepCountFactor: Double(target) / Double(n))
        let newSpec = spec.with(stepCount: target, finalTime: finalTime)
        let varianceFields: Set<ParameterPath.Field> = [.bn1RunningVariance, .bn2RunningVariance]

        let newStages = try stages.map { stage in
            // One sequence per field: N tensors in, `target` tensors out.
            var fieldsPerStep = Array(repeating: [Tensor](), count: target)
            for (f, field) in ResidualStep.fields.enumerated() {
                let sequence = stage.steps.map { $0.fieldTensors[f] }
                let shape = sequence[0].shape
                var transferred = try matrix.apply(to: sequence.map(\.elements))
                if varianceFields.contains(field) {
                    transferred = transferred.map { $0.map { max($0, 0) } }
                }
                for m in 0..<target { fieldsPerStep[m].append(try Tensor(shape: shape, elements: transferred[m])) }
            }
            let steps = try fieldsPerStep.enumerated().map { m, fields in
                try ResidualStep(fields: fields, stage: stage.index, step: m)
            }
            return ODEStage(index: stage.index, connector: try stage.connector.map(Connector.init(copying:)),
                            steps: steps, integrator: stage.integrator, finalTime: finalTime)
        }
        return try withStages(newStages, spec: newSpec)
    }

    /// The network re-discretized at another depth without retraining (continuous-depth evaluation):
    /// prolongation while `N` is below `stepCount`, restriction while above.
    ///
    /// - Parameters:
    ///   - target: `stepCount`, the target `N'`, `N · cf^k` or `N / cf^k`.
    ///   - prolongation: `P` for refinement.
    ///   - grid: where θ_n sits in its step, for interpolating prolongations.
    ///   - restriction: `R` for coarsening.
    ///   - rule: `halve` keeps `T` (a consistent discretization of the same ODE).
    ///   - cf: `coarseningFactor`, `cf ≥ 2`.
    /// - Throws: `MultilevelError.invalidCoarseningFactor` for `cf < 2`;
    ///   `ODENetError.unreachableStepCount` (naming `N`, `N'` and `cf`) unless `N' ≥ 1` is reachable
    ///   from `N` by factors of `cf`; `MultilevelError` (e.g. `.stepCountTooLarge`), `ODENetError`,
    ///   `TensorError` from the transfers.
    public func resampled(toStepCount target: Int, prolongation: Prolongation = .piecewiseConstant,
                          grid: StepGrid = .cellCentred, restriction: Restriction = .average,
                          rule: StepSizeRule = .halve, coarseningFactor cf: Int = 2) throws -> ODENetwork {
        try Level.validateCoarseningFactor(cf)
        let source = spec.stepCount
        // N' = N · cf^k (k > 0: refine k times) or N / cf^k (k > 0: coarsen k times).
        func powerOfFactor(_ ratio: Int) -> Int? {
            var (r, k) = (ratio, 0)
            while r > 1, r % cf == 0 { (r, k) = (r / cf, k + 1) }
            return r == 1 ? k : nil
        }
        let transfer: DepthTransfer
        let count: Int
        if target >= source, target % source == 0, let k = powerOfFactor(target / source) {
            (transfer, count) = (.prolongation(prolongation, grid: grid), k)
        } else if target >= 1, target < source, source % target == 0, let k = powerOfFactor(source / target) {
            (transfer, count) = (.restriction(restriction), k)
        } else {
            throw ODENetError.unreachableStepCount(source: source, target: target, coarseningFactor: cf)
        }
        var network = self
        for _ in 0..<count {
            network = try network.transferred(transfer, rule: rule, coarseningFactor: cf)
        }
        return network
    }

    /// Transfers per-parameter state (e.g. SGD momentum buffers) to a network of another depth.
    ///
    /// Keys are parameter paths (`Parameter.path`). Per-step entries (`.step(stage:step:)`)
    /// move with the same matrix as the parameters (`transfer`) or are dropped (`reset`: the new
    /// level starts from zero state); entries of the stem, connectors and head are kept as they are.
    ///
    /// - Parameters:
    ///   - state: the state of this network's parameters, by path (missing entries count as zero).
    ///   - transfer: the depth transfer that made `target` from this network.
    ///   - policy: `transfer` or `reset`.
    ///   - cf: `coarseningFactor`, `cf ≥ 2`.
    /// - Returns: the state for the target network's parameters, by path.
    /// - Throws: `ODENetError.stateMismatch` when an entry's shape differs from its parameter's;
    ///   `MultilevelError.invalidCoarseningFactor` for `cf < 2` and the other `MultilevelError`s of the
    ///   operator.
    public func transferredState(_ state: [ParameterPath: Tensor], _ transfer: DepthTransfer,
                                 policy: StateTransferPolicy, coarseningFactor cf: Int = 2) throws
        -> [ParameterPath: Tensor]
    {
        var result: [ParameterPath: Tensor] = [:]
        for (path, value) in state {
            if case .step = path.location { continue }
            result[path] = value
        }
        guard policy == .transfer else { return result }
        let n = spec.stepCount
        let target = try transfer.targetStepCount(from: n, coarseningFactor: cf)
        let matrix = try transfer.matrix(from: n, coarseningFactor: cf)
        for stage in stages {
            for (p, template) in stage.steps[0].parameters.enumerated() {
                let sequence = try stage.steps.map { step -> [Float] in
                    let parameter = step.parameters[p]
                    guard let path = parameter.path, let value = state[path] else {
                        return Array(repeating: 0, count: parameter.value.count)
                    }
                    guard value.shape == parameter.shape else {
                        throw ODENetError.stateMismatch(name: parameter.name,
                                                        message: "shape \(value.shape), parameter has \(parameter.shape)")
                    }
                    return value.elements
                }
                let moved = try matrix.apply(to: sequence)
                guard let field = template.path?.field else {
                    throw ODENetError.stateMismatch(name: template.name, message: "a step parameter without a path")
                }
                for m in 0..<target {
                    result[try .step(stage: stage.index, step: m, field)] = try Tensor(shape: template.shape,
                                                                                   elements: moved[m])
                }
            }
        }
        return result
    }
}
