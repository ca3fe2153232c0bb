import Autodiff
import HDF5Storage
import Integrators
import ODENet
import TensorCore

/// Stores an `ODENetwork` in an HDF5 group and rebuilds it (shared by the level archive and the
/// checkpoint).
///
/// Layout inside the group `g` (every tensor float32, row-major, PyTorch's names and OIHW order):
/// ```
/// g  attrs: steps_per_stage N, h, T, time_units, input_shape [H, W, C], class_count, stage_channels,
///           batch_norm_momentum, batch_norm_epsilon, integrators (one name per stage)
/// g/stem/weight                      [C_0, C_in, 3, 3]   axes "out, in, kh, kw"
/// g/stages/<s>  attrs: integrator, steps_per_stage, h, T, time_units, channels
/// g/stages/<s>/<field>               [N, …]  ResidualStep.fields, stacked over the steps
///                                            (axes "N, out, in, kh, kw" or "N, C")
/// g/stages/<s>/t                     [N]     float64, the step start times t_n = n h
/// g/stages/<s>/t_edges               [N + 1] float64, t_n for n < N, then T exactly
/// g/connectors/<s>/<field>           s ≥ 1:  bn1.*, conv1.weight, bn2.*, conv2.weight, shortcut.weight
/// g/head/<field>                     bn.weight, bn.bias, bn.running_mean, bn.running_var,
///                                    linear.weight [K, C_last], linear.bias [K]
/// ```
/// Every dataset carries `axes` (``ArchiveAnnotation``); `t` and `t_edges` also `units`
/// (depth-time) and `description`; groups with `h` and `T` carry `time_units`.
/// Every tensor's dataset is its `ParameterPath.hdf5Dataset` (and `hdf5Row` for a step's).
/// Every float32 tensor is finite: writing refuses a tensor holding NaN or ±∞
/// (``ArchiveError/nonFiniteTensor(file:object:count:total:)``, before its dataset is created) and
/// reading refuses such a dataset (``ArchiveError/nonFiniteDataset(file:object:count:total:)``).
enum NetworkCodec {
    // MARK: Writing

    /// Writes `network` into `group` (layout above).
    ///
    /// - Parameters:
    ///   - network: the network.
    ///   - group: an empty group of the file being written.
    ///   - file: the target path named in errors (the file being written may be a temporary one).
    /// - Throws: ``ArchiveError/nonFiniteTensor(file:object:count:total:)`` for the first tensor
    ///   holding NaN or ±∞; HDF5 errors.
    static func write(_ network: ODENetwork, to group: HDF5Group, file: String) throws {
        let spec = network.spec
        let attributes = group.attributes
        try attributes.set(.int64(Int64(spec.stepCount)), for: "steps_per_stage")
        try attributes.set(.double(spec.stepSize), for: "h")
        try attributes.set(.double(spec.finalTime), for: "T")
        try attributes.set(.string(ArchiveAnnotation.depthTime), for: ArchiveAnnotation.timeUnits)
        try attributes.set(.int64Array([spec.inputHeight, spec.inputWidth, spec.inputChannels].map(Int64.init)),
                           for: "input_shape")
        try attributes.set(.int64(Int64(spec.classCount)), for: "class_count")
        try attributes.set(.int64Array(spec.stageChannels.map(Int64.init)), for: "stage_channels")
        try attributes.set(.double(spec.batchNormMomentum.archived), for: "batch_norm_momentum")
        try attributes.set(.double(spec.batchNormEpsilon.archived), for: "batch_norm_epsilon")
        try attributes.set(.stringArray(spec.integrators.map(\.name)), for: "integrators")

        let stemPath = try ParameterPath(.stem, .weight)
        try write(network.stem.value, to: stemPath.hdf5Dataset, axes: stemPath.field.archiveAxes, in: group, file: file)
        for stage in network.stages {
            let s = stage.index
            let stageGroup = try group.createGroup(ParameterPath.Location.step(stage: s, step: 0).hdf5Group,
                                                   createIntermediates: true)
            try stageGroup.attributes.set(.string(stage.integrator.name), for: "integrator")
            try stageGroup.attributes.set(.int64(Int64(stage.stepCount)), for: "steps_per_stage")
            try stageGroup.attributes.set(.double(stage.stepSize), for: "h")
            try stageGroup.attributes.set(.double(stage.finalTime), for: "T")
            try stageGroup.attributes.set(.string(ArchiveAnnotation.depthTime), for: ArchiveAnnotation.timeUnits)
            try stageGroup.attributes.set(.int64(Int64(spec.stageChannels[s])), for: "channels")
            for (f, field) in ResidualStep.fields.enumerated() {
                let dataset = try ParameterPath.step(stage: s, step: 0, field).hdf5Dataset
                let tensors = stage.steps.map { $0.fieldTensors[f] }
                let count = tensors.reduce(0) { $0 + $1.nonFiniteCount() }
                let values = tensors.flatMap(\.elements)
                try requireFinite(count: count, total: values.count, object: path(group, dataset), file: file)
                try ArchiveAnnotation.annotate(group.write(values, shape: [stage.stepCount] + tensors[0].shape, to: dataset),
                                               axes: ["N"] + field.archiveAxes)
            }
            try writeTimes(of: stage, to: stageGroup)
            if let connector = stage.connector {
                let tensors = batchNormTensors(connector.bn1) + [(connector.conv1.path, connector.conv1.value)]
                    + batchNormTensors(connector.bn2)
                    + [(connector.conv2.path, connector.conv2.value), (connector.shortcut.path, connector.shortcut.value)]
                try write(tensors, in: group, file: file)
            }
        }
        try write(batchNormTensors(network.headNorm)
                  + [(network.classifierWeight.path, network.classifierWeight.value),
                     (network.classifierBias.path, network.classifierBias.value)], in: group, file: file)
    }

    /// Writes the stage's step times: `t` `[N]`, the start times `t_n = n h`, and `t_edges`
    /// `[N + 1]`, the same followed by `T` exactly (float64, depth-time; ``ArchiveAnnotation``).
    ///
    /// `t` alone loses the end of the last step: a plot of `θ_n` over `t` with
    /// `plt.step(t, w, where="post")` draws no segment for step `N − 1`; `plt.stairs(w, t_edges)`
    /// draws every step over `[t_n, t_{n+1})`.
    private static func writeTimes(of stage: ODEStage, to group: HDF5Group) throws {
        let n = stage.stepCount
        let h = stage.stepSize
        let starts = (0..<n).map { Double($0) * h }
        try ArchiveAnnotation.annotate(group.write(starts, shape: [n], to: "t"), axes: ["N"],
                                       units: ArchiveAnnotation.depthTime, description: ArchiveAnnotation.stepStartTimes)
        try ArchiveAnnotation.annotate(group.write(starts + [stage.finalTime], shape: [n + 1], to: "t_edges"),
                                       axes: ["N+1"], units: ArchiveAnnotation.depthTime,
                                       description: ArchiveAnnotation.stepEdges)
    }

    /// Writes one float32 tensor as the dataset `name` of `group`, refusing NaN and ±∞.
    ///
    /// - Parameters:
    ///   - tensor: the tensor.
    ///   - name: the dataset's name in `group`.
    ///   - axes: one name per dimension of `tensor` (the dataset's `axes` attribute).
    ///   - group: a group of the file being written.
    ///   - file: the target path named in errors.
    /// - Throws: ``ArchiveError/nonFiniteTensor(file:object:count:total:)`` naming `file` and the
    ///   dataset (nothing is created); HDF5 errors.
    static func write(_ tensor: Tensor, to name: String, axes: [String], in group: HDF5Group, file: String) throws {
        try requireFinite(count: tensor.nonFiniteCount(), total: tensor.count, object: path(group, name), file: file)
        try ArchiveAnnotation.annotate(group.write(tensor.elements, shape: tensor.shape, to: name), axes: axes)
    }

    /// Throws ``ArchiveError/nonFiniteTensor(file:object:count:total:)`` when `count > 0`.
    private static func requireFinite(count: Int, total: Int, object: String, file: String) throws {
        if count > 0 { throw ArchiveError.nonFiniteTensor(file: file, object: object, count: count, total: total) }
    }

    /// The absolute path of `name` in `group`.
    static func path(_ group: HDF5Group, _ name: String) -> String {
        name.hasPrefix("/") ? name : (group.path == "/" ? "" : group.path) + "/" + name
    }

    /// Writes each tensor to its path's dataset.
    ///
    /// - Throws: ``ArchiveError/invalidArgument(file:message:)`` for a parameter without a path;
    ///   as ``write(_:to:in:file:)``.
    private static func write(_ tensors: [(ParameterPath?, Tensor)], in group: HDF5Group, file: String) throws {
        for (path, tensor) in tensors {
            guard let path else {
                throw ArchiveError.invalidArgument(file: file, message: "a network parameter without a path")
            }
            try write(tensor, to: path.hdf5Dataset, axes: path.field.archiveAxes, in: group, file: file)
        }
    }

    /// γ, β, the running mean and variance with their paths.
    private static func batchNormTensors(_ bn: BatchNormParameters) -> [(ParameterPath?, Tensor)] {
        [(bn.paths.scale, bn.scale.value), (bn.paths.shift, bn.shift.value),
         (bn.paths.runningMean, bn.runningMean), (bn.paths.runningVariance, bn.runningVariance)]
    }

    // MARK: Reading

    /// The spec stored on `group`, with the integrators resolved from the file's /integrator group.
    static func readSpec(from group: HDF5Group, integrators: [any Integrator], file: String) throws -> ODENetSpec {
        let a = group.attributes
        let inputShape = try a.int64Array("input_shape").map { Int($0) }
        let channels = try a.int64Array("stage_channels").map { Int($0) }
        let names = try a.stringArray("integrators")
        guard names.count == channels.count, integrators.count == channels.count,
              zip(names, integrators).allSatisfy({ $0 == $1.name }) else {
            throw ArchiveError.invalidValue(
                file: file, object: group.path,
                message: "integrators \(names) do not match the stored integrators \(integrators.map(\.name)) "
                    + "for \(channels.count) stages")
        }
        do {
            return try ODENetSpec(inputShape: inputShape, classCount: Int(a.int64("class_count")),
                                  stageChannels: channels, stepCount: Int(a.int64("steps_per_stage")),
                                  finalTime: a.double("T"), integrators: integrators,
                                  batchNormMomentum: Float(archived: a.double("batch_norm_momentum")),
                                  batchNormEpsilon: Float(archived: a.double("batch_norm_epsilon")))
        } catch let error as ODENetError {
            throw ArchiveError.invalidValue(file: file, object: group.path, message: "invalid network spec: \(error)")
        }
    }

    /// Rebuilds the network of `group` for `spec`, checking every dataset's shape and dtype.
    ///
    /// Parameter paths follow `ODENetwork.init(spec:seed:)` (`stem.weight`, `stage1.step0.conv1.weight`, …),
    /// so optimizer state keyed by path lines up after a reload.
    static func readNetwork(from group: HDF5Group, spec: ODENetSpec, file: String) throws -> ODENetwork {
        let channels = spec.stageChannels
        let n = spec.stepCount
        let stemPath = try ParameterPath(.stem, .weight)
        let stem = Parameter(try read(stemPath.hdf5Dataset, [channels[0], spec.inputChannels, 3, 3], group, file: file),
                             path: stemPath)
        var stages: [ODEStage] = []
        for (s, c) in channels.enumerated() {
            var perStep = Array(repeating: [Tensor](), count: n)
            for field in ResidualStep.fields {
                let shape = field.kind == .weight ? [c, c, 3, 3] : [c]
                let dataset = try ParameterPath.step(stage: s, step: 0, field).hdf5Dataset
                let values = try group.read(dataset, as: Float.self, expectedShape: [n] + shape).values
                try requireFiniteDataset(values, object: path(group, dataset), file: file)
                let size = shape.reduce(1, *)
                for step in 0..<n {
                    perStep[step].append(try Tensor(shape: shape, elements: Array(values[step * size..<(step + 1) * size])))
                }
            }
            let steps = try perStep.enumerated().map { step, fields in
                try ResidualStep(fields: fields, stage: s, step: step)
            }
            var connector: Connector?
            if s > 0 {
                let p = channels[s - 1]
                let location = ParameterPath.Location.connector(stage: s)
                func tensor(_ field: ParameterPath.Field, _ shape: [Int]) throws -> Tensor {
                    try read(ParameterPath(location, field).hdf5Dataset, shape, group, file: file)
                }
                connector = try Connector(bn1: readBatchNorm(.bn1(at: location), [p], group, file: file),
                                          conv1: tensor(.conv1Weight, [c, p, 3, 3]),
                                          bn2: readBatchNorm(.bn2(at: location), [c], group, file: file),
                                          conv2: tensor(.conv2Weight, [c, c, 3, 3]),
                                          shortcut: tensor(.shortcutWeight, [c, p, 1, 1]), stage: s)
            }
            stages.append(ODEStage(index: s, connector: connector, steps: steps, integrator: spec.integrators[s],
                                   finalTime: spec.finalTime))
        }
        let last = channels[channels.count - 1]
        let headNorm = try readBatchNorm(.head(), [last], group, file: file)
        let (weightPath, biasPath) = (try ParameterPath(.head, .linearWeight), try ParameterPath(.head, .linearBias))
        let weight = Parameter(try read(weightPath.hdf5Dataset, [spec.classCount, last], group, file: file),
                               path: weightPath)
        let bias = Parameter(try read(biasPath.hdf5Dataset, [spec.classCount], group, file: file), path: biasPath)
        do {
            return try ODENetwork(spec: spec, stem: stem, stages: stages, headNorm: headNorm,
                                  classifierWeight: weight, classifierBias: bias)
        } catch let error as ODENetError {
            throw ArchiveError.invalidValue(file: file, object: group.path, message: error.description)
        }
    }

    /// Reads the four tensors of a batch norm, each of `shape`, from their paths' datasets.
    private static func readBatchNorm(_ paths: BatchNormPaths, _ shape: [Int], _ group: HDF5Group,
                                      file: String) throws -> BatchNormParameters {
        try BatchNormParameters(scale: read(paths.scale.hdf5Dataset, shape, group, file: file),
                                shift: read(paths.shift.hdf5Dataset, shape, group, file: file),
                                runningMean: read(paths.runningMean.hdf5Dataset, shape, group, file: file),
                                runningVariance: read(paths.runningVariance.hdf5Dataset, shape, group, file: file),
                                paths: paths)
    }

    /// Reads a float32 dataset of exactly `shape` into a tensor.
    ///
    /// - Throws: ``ArchiveError/nonFiniteDataset(file:object:count:total:)`` naming `file` and the
    ///   dataset when it holds NaN or ±∞; HDF5 and shape errors.
    static func read(_ name: String, _ shape: [Int], _ group: HDF5Group, file: String) throws -> Tensor {
        let values = try group.read(name, as: Float.self, expectedShape: shape).values
        try requireFiniteDataset(values, object: path(group, name), file: file)
        return try Tensor(shape: shape, elements: values)
    }

    /// Throws ``ArchiveError/nonFiniteDataset(file:object:count:total:)`` when `values` hold NaN or ±∞.
    private static func requireFiniteDataset(_ values: [Float], object: String, file: String) throws {
        let count = values.withUnsafeBufferPointer { Tensor.nonFiniteCount(in: $0) }
        if count > 0 { throw ArchiveError.nonFiniteDataset(file: file, object: object, count: count, total: values.count) }
    }
}
