/// The MultilevelResNet library version (semantic versioning), written into every HDF5 archive
/// and printed by `mlresnet --version`.
public let multilevelResNetVersion = "0.1.0"
