// The umbrella module: `import MultilevelResNet` brings in the whole public API.
// It only re-exports; every type lives in the capability module that owns it.
@_exported import _ProjectInfo
@_exported import Interpolation
@_exported import Statistics
@_exported import HDF5Storage
@_exported import TensorCore
@_exported import Autodiff
@_exported import Integrators
@_exported import Multilevel
@_exported import Datasets
@_exported import ODENet
@_exported import Optimization
@_exported import Archiving
@_exported import Training
@_exported import Analysis
