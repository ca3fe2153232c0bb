/// The typed identity of one tensor of an ODE network: where it lives (the stem, a stage's
/// connector, one ODE step of a stage, the head) and which field it is.
///
/// Every name of a network tensor is derived from its path, never built or parsed elsewhere:
/// ```
/// location            name (checkpoints, optimizer state, messages)   HDF5 dataset (level archives)
/// stem                stem.weight                                     stem/weight
/// connector(s)        stage<s>.connector.<field>                      connectors/<s>/<field>
/// step(s, n)          stage<s>.step<n>.<field>                        stages/<s>/<field>, row n
/// head                head.<field>                                    head/<field>
/// ```
/// (`<field>` is the ``Field``'s raw value, PyTorch's naming, e.g. `bn1.running_var`.) These strings are
/// the ones files written before paths existed hold, so old archives and checkpoints stay readable.
/// ``init(name:)`` and ``init(hdf5Dataset:row:)`` are the only inverses.
///
/// Invariant: ``field`` is one of ``Location/fields`` of ``location``.
public struct ParameterPath: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Where a tensor lives in the network.
    public enum Location: Hashable, Sendable, CustomStringConvertible {
        /// The stem convolution before stage 0.
        case stem
        /// The down-sampling connector at the start of stage `stage` (`stage ≥ 1`).
        case connector(stage: Int)
        /// The ODE step `step` (`0 ≤ step < N`) of stage `stage`.
        case step(stage: Int, step: Int)
        /// The head: batch norm and classifier.
        case head

        /// The fields this location holds, in the order of its HDF5 export.
        public var fields: [Field] {
            switch self {
            case .stem: [.weight]
            case .connector: Field.stepFields + [.shortcutWeight]
            case .step: Field.stepFields
            case .head: [.bnWeight, .bnBias, .bnRunningMean, .bnRunningVariance, .linearWeight, .linearBias]
            }
        }

        /// The prefix of names at this location (`stage1.step3`, `stage2.connector`, `stem`, `head`).
        public var description: String { namePrefix }

        /// The prefix of names at this location.
        var namePrefix: String {
            switch self {
            case .stem: "stem"
            case .connector(let s): "stage\(s).connector"
            case .step(let s, let n): "stage\(s).step\(n)"
            case .head: "head"
            }
        }

        /// The HDF5 group of this location's datasets, relative to a level archive's network group
        /// (`stem`, `connectors/<s>`, `stages/<s>` for every step of stage `s`, `head`).
        public var hdf5Group: String {
            switch self {
            case .stem: "stem"
            case .connector(let s): "connectors/\(s)"
            case .step(let s, _): "stages/\(s)"
            case .head: "head"
            }
        }
    }

    /// A tensor of a location; the raw value is its name within the location.
    public enum Field: String, CaseIterable, Hashable, Sendable {
        /// BN1 γ (steps, connectors).
        case bn1Weight = "bn1.weight"
        /// BN1 β.
        case bn1Bias = "bn1.bias"
        /// BN1 running mean (not trained).
        case bn1RunningMean = "bn1.running_mean"
        /// BN1 running variance (not trained).
        case bn1RunningVariance = "bn1.running_var"
        /// The first 3×3 convolution.
        case conv1Weight = "conv1.weight"
        /// BN2 γ.
        case bn2Weight = "bn2.weight"
        /// BN2 β.
        case bn2Bias = "bn2.bias"
        /// BN2 running mean (not trained).
        case bn2RunningMean = "bn2.running_mean"
        /// BN2 running variance (not trained).
        case bn2RunningVariance = "bn2.running_var"
        /// The second 3×3 convolution.
        case conv2Weight = "conv2.weight"
        /// A connector's 1×1 shortcut convolution.
        case shortcutWeight = "shortcut.weight"
        /// The stem's convolution.
        case weight = "weight"
        /// The head's batch-norm γ.
        case bnWeight = "bn.weight"
        /// The head's batch-norm β.
        case bnBias = "bn.bias"
        /// The head's running mean (not trained).
        case bnRunningMean = "bn.running_mean"
        /// The head's running variance (not trained).
        case bnRunningVariance = "bn.running_var"
        /// The classifier's weight `[classes, C]`.
        case linearWeight = "linear.weight"
        /// The classifier's bias `[classes]`.
        case linearBias = "linear.bias"

        /// The fields of one ODE step, in the order of `ResidualStep.fieldTensors`.
        public static let stepFields: [Field] = [
            .bn1Weight, .bn1Bias, .bn1RunningMean, .bn1RunningVariance, .conv1Weight,
            .bn2Weight, .bn2Bias, .bn2RunningMean, .bn2RunningVariance, .conv2Weight,
        ]

        /// The kind of tensor this field is (which optimizer group it belongs to).
        public var kind: ParameterKind {
            switch self {
            case .conv1Weight, .conv2Weight, .shortcutWeight, .weight, .linearWeight: .weight
            case .bn1Weight, .bn1Bias, .bn2Weight, .bn2Bias, .bnWeight, .bnBias: .norm
            case .linearBias: .bias
            case .bn1RunningMean, .bn1RunningVariance, .bn2RunningMean, .bn2RunningVariance,
                 .bnRunningMean, .bnRunningVariance: .runningStatistic
            }
        }
    }

    /// Where the tensor lives.
    public let location: Location
    /// Which tensor of the location it is.
    public let field: Field

    /// The path of `field` at `location`.
    ///
    /// - Parameters:
    ///   - location: where the tensor lives (indices `≥ 0`; a connector's stage `≥ 1`).
    ///   - field: one of `location.fields`.
    /// - Throws: ``ParameterPathError/invalid(_:)`` for a field the location does not hold or a
    ///   negative index.
    public init(_ location: Location, _ field: Field) throws {
        switch location {
        case .connector(let s) where s < 1:
            throw ParameterPathError.invalid("a connector's stage must be ≥ 1, got \(s)")
        case .step(let s, let n) where s < 0 || n < 0:
            throw ParameterPathError.invalid("stage and step must be ≥ 0, got stage \(s), step \(n)")
        default: break
        }
        guard location.fields.contains(field) else {
            throw ParameterPathError.invalid("\(location.namePrefix) has no field '\(field.rawValue)'")
        }
        self.location = location
        self.field = field
    }

    /// The path of a step field (`stage<s>.step<n>.<field>`).
    ///
    /// - Parameters:
    ///   - stage: `s ≥ 0`.
    ///   - step: `n ≥ 0`.
    ///   - field: one of ``Field/stepFields``.
    /// - Returns: the path.
    /// - Throws: ``ParameterPathError/invalid(_:)`` for a negative index or a field steps do not hold.
    public static func step(stage: Int, step: Int, _ field: Field) throws -> ParameterPath {
        try ParameterPath(.step(stage: stage, step: step), field)
    }

    /// The tensor's name: `stage1.step3.conv1.weight`, `stage2.connector.shortcut.weight`,
    /// `stem.weight`, `head.linear.bias` (the name of checkpoints' optimizer datasets and messages).
    public var name: String { location.namePrefix + "." + field.rawValue }

    /// The dataset of this tensor in a level archive's network group (`stages/1/conv1.weight`,
    /// `connectors/2/bn1.bias`, `stem/weight`, `head/linear.bias`); a step's tensor is row
    /// ``hdf5Row`` of its stage's dataset.
    public var hdf5Dataset: String { location.hdf5Group + "/" + field.rawValue }

    /// The row of ``hdf5Dataset`` holding this tensor: the step index for a step, `nil` otherwise.
    public var hdf5Row: Int? {
        if case .step(_, let n) = location { return n }
        return nil
    }

    /// The same field at another location (e.g. step `m` of a refined stage).
    ///
    /// - Parameter location: the new location.
    /// - Returns: the path of ``field`` there.
    /// - Throws: ``ParameterPathError/invalid(_:)`` when `location` does not hold ``field``.
    public func moved(to location: Location) throws -> ParameterPath { try ParameterPath(location, field) }

    /// The path's ``name``.
    public var description: String { name }

    /// Orders by name (the order files list tensors in).
    ///
    /// - Parameters:
    ///   - a: a path.
    ///   - b: another path.
    /// - Returns: whether `a.name < b.name`.
    public static func < (a: ParameterPath, b: ParameterPath) -> Bool { a.name < b.name }

    // MARK: Inverses of the names

    /// The path named `name` (inverse of ``name``): the only place a tensor name is read.
    ///
    /// - Parameter name: e.g. `stage1.step3.bn1.running_var`.
    /// - Throws: ``ParameterPathError/unknownName(_:)`` for a name no path has.
    public init(name: String) throws {
        // Try each field as the suffix, then match the prefix exactly against the locations' forms.
        for field in Field.allCases {
            let suffix = "." + field.rawValue
            guard name.hasSuffix(suffix) else { continue }
            let prefix = String(name.dropLast(suffix.count))
            if let location = Self.location(namePrefix: prefix), location.fields.contains(field),
               let path = try? ParameterPath(location, field) {
                self = path
                return
            }
        }
        throw ParameterPathError.unknownName(name)
    }

    /// The path stored at `dataset`, row `row`, of a level archive's network group (inverse of
    /// ``hdf5Dataset`` and ``hdf5Row``).
    ///
    /// - Parameters:
    ///   - dataset: e.g. `stages/1/conv1.weight`.
    ///   - row: the step for a `stages/` dataset; `nil` for the others.
    /// - Throws: ``ParameterPathError/unknownName(_:)`` for a dataset no path has, or a row given
    ///   for a dataset that has none (or missing for one that has).
    public init(hdf5Dataset dataset: String, row: Int?) throws {
        for field in Field.allCases {
            let suffix = "/" + field.rawValue
            guard dataset.hasSuffix(suffix) else { continue }
            let group = String(dataset.dropLast(suffix.count))
            let location: Location?
            switch (group, row) {
            case ("stem", nil): location = .stem
            case ("head", nil): location = .head
            default:
                if let s = Self.index(group, after: "stages/"), let row { location = .step(stage: s, step: row) }
                else if let s = Self.index(group, after: "connectors/"), row == nil { location = .connector(stage: s) }
                else { location = nil }
            }
            if let location, let path = try? ParameterPath(location, field) {
                self = path
                return
            }
        }
        throw ParameterPathError.unknownName(dataset + (row.map { " row \($0)" } ?? ""))
    }

    /// The location whose ``Location/namePrefix`` is `prefix`, if any.
    private static func location(namePrefix prefix: String) -> Location? {
        switch prefix {
        case "stem": return .stem
        case "head": return .head
        default:
            guard let rest = prefix.hasPrefix("stage") ? prefix.dropFirst("stage".count) : nil,
                  let dot = rest.firstIndex(of: ".") else { return nil }
            guard let s = decimal(rest[..<dot]) else { return nil }
            let tail = rest[rest.index(after: dot)...]
            if tail == "connector" { return .connector(stage: s) }
            if tail.hasPrefix("step"), let n = decimal(tail.dropFirst("step".count)) { return .step(stage: s, step: n) }
            return nil
        }
    }

    /// The index `k` of `"<head>k"`, if `text` is exactly that.
    private static func index(_ text: String, after head: String) -> Int? {
        text.hasPrefix(head) ? decimal(text.dropFirst(head.count)) : nil
    }

    /// A canonical non-negative decimal (no sign, no leading zero but `0` itself), so that every
    /// name has exactly one path and back.
    private static func decimal(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber),
              text == "0" || text.first != "0" else { return nil }
        return Int(text)
    }
}

/// Which optimizer group a tensor belongs to.
public enum ParameterKind: String, CaseIterable, Hashable, Sendable, Codable {
    /// A convolution or linear weight.
    case weight
    /// A batch norm's γ or β.
    case norm
    /// A bias (the classifier's).
    case bias
    /// A batch norm's running statistic (not trained).
    case runningStatistic = "running_statistic"
}

/// Errors of ``ParameterPath``.
public enum ParameterPathError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A location and field that do not fit together, or a negative index.
    case invalid(String)
    /// A name or HDF5 dataset that is no tensor of an ODE network.
    case unknownName(String)

    /// A one-line explanation naming the offending value and what was expected.
    public var description: String {
        switch self {
        case .invalid(let message): "invalid parameter path: \(message)"
        case .unknownName(let name):
            "'\(name)' names no network tensor (expected e.g. stem.weight, stage1.step0.conv1.weight, "
                + "stage1.connector.shortcut.weight, head.linear.bias)"
        }
    }
}

extension Dictionary where Key == ParameterPath {
    /// The same values keyed by ``ParameterPath/name`` (e.g. optimizer state for a checkpoint's
    /// `/optimizer/<name>` datasets).
    public var keyedByName: [String: Value] {
        Dictionary<String, Value>(uniqueKeysWithValues: map { ($0.key.name, $0.value) })
    }

    /// Values keyed by tensor name, keyed by path instead (inverse of ``keyedByName``).
    ///
    /// - Parameter named: values by ``ParameterPath/name``.
    /// - Throws: ``ParameterPathError/unknownName(_:)`` for the first name (in sorted order) that
    ///   is no network tensor.
    public init(byName named: [String: Value]) throws {
        self.init(minimumCapacity: named.count)
        for name in named.keys.sorted() { self[try ParameterPath(name: name)] = named[name] }
    }
}
