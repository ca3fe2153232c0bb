import Autodiff
import TensorCore

extension ODENetwork {
    /// Checks the parts of ``init(spec:stem:stages:headNorm:classifierWeight:classifierBias:)``
    /// against `spec` (shapes, step counts, connectors, integrators, `T`).
    ///
    /// - Throws: `ODENetError.assemblyMismatch` naming the first mismatching part.
    static func validateAssembly(spec: ODENetSpec, stem: Parameter, stages: [ODEStage],
                                 headNorm: BatchNormParameters, classifierWeight: Parameter,
                                 classifierBias: Parameter) throws {
        func check(_ part: String, _ shape: [Int], _ expected: [Int]) throws {
            guard shape == expected else {
                throw ODENetError.assemblyMismatch(part: part, message: "shape \(shape), expected \(expected)")
            }
        }
        let channels = spec.stageChannels
        try check(stem.name, stem.shape, [channels[0], spec.inputChannels, 3, 3])
        guard stages.count == channels.count else {
            throw ODENetError.assemblyMismatch(part: "stages",
                                               message: "\(stages.count) stages, the spec has \(channels.count)")
        }
        for (s, stage) in stages.enumerated() {
            let name = "stage\(s)"
            let c = channels[s]
            guard stage.index == s else {
                throw ODENetError.assemblyMismatch(part: name, message: "stage index \(stage.index), expected \(s)")
            }
            guard stage.stepCount == spec.stepCount else {
                throw ODENetError.assemblyMismatch(part: name,
                                                   message: "\(stage.stepCount) steps, the spec has N = \(spec.stepCount)")
            }
            guard stage.integrator.identity == spec.integrators[s].identity, stage.finalTime == spec.finalTime else {
                throw ODENetError.assemblyMismatch(
                    part: name, message: "integrator \(stage.integrator.name), T = \(stage.finalTime); the spec has "
                        + "\(spec.integrators[s].name), T = \(spec.finalTime)")
            }
            switch (s, stage.connector) {
            case (0, nil): break
            case (0, .some):
                throw ODENetError.assemblyMismatch(part: name + ".connector", message: "the first stage has no connector")
            case (_, nil):
                throw ODENetError.assemblyMismatch(part: name + ".connector", message: "missing")
            case let (_, .some(connector)):
                let p = channels[s - 1]
                try check(connector.conv1.name, connector.conv1.shape, [c, p, 3, 3])
                try check(connector.conv2.name, connector.conv2.shape, [c, c, 3, 3])
                try check(connector.shortcut.name, connector.shortcut.shape, [c, p, 1, 1])
                try check(connector.bn1.scale.name, [connector.bn1.channels], [p])
                try check(connector.bn2.scale.name, [connector.bn2.channels], [c])
                guard connector.conv1.path?.location == .connector(stage: s) else {
                    throw ODENetError.assemblyMismatch(part: connector.conv1.name, message: "expected stage \(s)'s connector")
                }
            }
            for (n, step) in stage.steps.enumerated() {
                guard step.location == .step(stage: s, step: n) else {
                    throw ODENetError.assemblyMismatch(part: step.conv1.name, message: "expected stage \(s), step \(n)")
                }
                try check(step.conv1.name, step.conv1.shape, [c, c, 3, 3])
                try check(step.conv2.name, step.conv2.shape, [c, c, 3, 3])
                try check(step.bn1.scale.name, [step.bn1.channels], [c])
                try check(step.bn2.scale.name, [step.bn2.channels], [c])
            }
        }
        let last = channels[channels.count - 1]
        try check(headNorm.scale.name, [headNorm.channels], [last])
        try check(classifierWeight.name, classifierWeight.shape, [spec.classCount, last])
        try check(classifierBias.name, classifierBias.shape, [spec.classCount])
    }
}
