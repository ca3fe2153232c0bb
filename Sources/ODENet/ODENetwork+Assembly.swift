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
        try check("stem.weight", stem.shape, [channels[0], spec.inputChannels, 3, 3])
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
                try check(name + ".connector.conv1.weight", connector.conv1.shape, [c, p, 3, 3])
                try check(name + ".connector.conv2.weight", connector.conv2.shape, [c, c, 3, 3])
                try check(name + ".connector.shortcut.weight", connector.shortcut.shape, [c, p, 1, 1])
                try check(name + ".connector.bn1", [connector.bn1.channels], [p])
                try check(name + ".connector.bn2", [connector.bn2.channels], [c])
            }
            for (n, step) in stage.steps.enumerated() {
                try check("\(name).step\(n).conv1.weight", step.conv1.shape, [c, c, 3, 3])
                try check("\(name).step\(n).conv2.weight", step.conv2.shape, [c, c, 3, 3])
                try check("\(name).step\(n).bn1", [step.bn1.channels], [c])
                try check("\(name).step\(n).bn2", [step.bn2.channels], [c])
            }
        }
        let last = channels[channels.count - 1]
        try check("head.bn", [headNorm.channels], [last])
        try check("head.linear.weight", classifierWeight.shape, [spec.classCount, last])
        try check("head.linear.bias", classifierBias.shape, [spec.classCount])
    }
}
