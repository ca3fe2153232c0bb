import Autodiff
import Testing

/// Issue 13, item 3: typed parameter identity.
@Suite struct ParameterPathTests {
    private let locations: [ParameterPath.Location] = [
        .stem, .head, .connector(stage: 1), .connector(stage: 12), .step(stage: 0, step: 0), .step(stage: 2, step: 17),
    ]

    @Test func everyPathRoundTripsThroughItsNameAndItsHDF5Dataset() throws {
        var count = 0
        var kinds = Set<String>()
        var fields = Set<ParameterPath.Field>()
        for location in locations {
            for field in location.fields {
                let path = try ParameterPath(location, field)
                #expect(try ParameterPath(name: path.name) == path, "\(path.name)")
                #expect(try ParameterPath(hdf5Dataset: path.hdf5Dataset, row: path.hdf5Row) == path, "\(path.hdf5Dataset)")
                kinds.insert("\(location)".filter(\.isLetter))
                fields.insert(field)
                count += 1
            }
        }
        #expect(fields == Set(ParameterPath.Field.allCases))  // every field of the enum is reachable
        #expect(kinds.count == 4 && count == 1 + 6 + 2 * 11 + 2 * 10)
    }

    @Test func namesAreTheOnesFilesHold() throws {
        // The strings of archives and checkpoints written before paths existed.
        #expect(try ParameterPath(.stem, .weight).name == "stem.weight")
        #expect(try ParameterPath(.stem, .weight).hdf5Dataset == "stem/weight")
        #expect(try ParameterPath.step(stage: 1, step: 3, .bn1RunningVariance).name == "stage1.step3.bn1.running_var")
        #expect(try ParameterPath.step(stage: 1, step: 3, .bn1RunningVariance).hdf5Dataset == "stages/1/bn1.running_var")
        #expect(try ParameterPath.step(stage: 1, step: 3, .conv2Weight).hdf5Row == 3)
        #expect(try ParameterPath(.connector(stage: 2), .shortcutWeight).name == "stage2.connector.shortcut.weight")
        #expect(try ParameterPath(.connector(stage: 2), .shortcutWeight).hdf5Dataset == "connectors/2/shortcut.weight")
        #expect(try ParameterPath(.head, .bnRunningMean).name == "head.bn.running_mean")
        #expect(try ParameterPath(.head, .linearBias).hdf5Dataset == "head/linear.bias")
        #expect(try ParameterPath(.connector(stage: 2), .shortcutWeight).hdf5Row == nil)
    }

    @Test func namesOfNoTensorAreRefused() {
        for name in ["", "stem", "stem.bias", "head.weight", "stage1.step0.shortcut.weight", "stage0.connector.conv1.weight",
                     "stage01.step0.conv1.weight", "stage1.step-1.conv1.weight", "stage1.step0.conv3.weight",
                     "stage1.step0", "stage.step0.conv1.weight", "xstage1.step0.conv1.weight", "stage1.step0..conv1.weight"] {
            #expect(throws: ParameterPathError.self, "\(name)") { try ParameterPath(name: name) }
        }
        #expect(throws: ParameterPathError.self) { try ParameterPath(hdf5Dataset: "stages/1/conv1.weight", row: nil) }
        #expect(throws: ParameterPathError.self) { try ParameterPath(hdf5Dataset: "stem/weight", row: 0) }
        #expect(throws: ParameterPathError.self) { try ParameterPath(hdf5Dataset: "connectors/0/conv1.weight", row: nil) }
        #expect(throws: ParameterPathError.self) { try ParameterPath(.head, .conv1Weight) }
        #expect(throws: ParameterPathError.self) { try ParameterPath(.step(stage: 0, step: -1), .conv1Weight) }
    }

    @Test func kindsGroupTheFields() throws {
        #expect(ParameterPath.Field.bn2Bias.kind == .norm && ParameterPath.Field.bnWeight.kind == .norm)
        #expect(ParameterPath.Field.linearBias.kind == .bias && ParameterPath.Field.shortcutWeight.kind == .weight)
        #expect(ParameterPath.Field.bn1RunningMean.kind == .runningStatistic)
    }
}

/// Optimizer state keyed by name (checkpoint datasets) and by path convert exactly, or name the bad entry.
@Suite struct ParameterPathDictionaryTests {
    @Test func stateByNameAndByPathConvert() throws {
        let byPath: [ParameterPath: Int] = [try ParameterPath(.stem, .weight): 1,
                                            try .step(stage: 1, step: 3, .conv2Weight): 2,
                                            try ParameterPath(.head, .linearBias): 3]
        #expect(byPath.keyedByName == ["stem.weight": 1, "stage1.step3.conv2.weight": 2, "head.linear.bias": 3])
        #expect(try [ParameterPath: Int](byName: byPath.keyedByName) == byPath)
        #expect(throws: ParameterPathError.unknownName("momentum")) {
            try [ParameterPath: Int](byName: ["stem.weight": 1, "momentum": 2])
        }
    }
}
