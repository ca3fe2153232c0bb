import Autodiff
import HDF5Storage

/// The attributes that make an archive or checkpoint explain itself to a reader with h5py alone:
/// the axis order of every dataset, the units of times, and what a time dataset holds.
///
/// Written on every dataset this module creates:
/// ```
/// axes         string   the axis names, outermost first, joined by ", " (one per dimension),
///                       e.g. "N, out, in, kh, kw" for [N, C_out, C_in, 3, 3] stacked conv weights
/// units        string   on t and t_edges: "depth-time (dimensionless)"
/// description  string   on t and t_edges: what the values are
/// ```
/// and `time_units` on every group holding the attributes `h` and `T` (a network's group and
/// its stage groups). The full list, per object, is `docs/archive-layout.md`.
enum ArchiveAnnotation {
    /// The dataset attribute naming its axes.
    static let axes = "axes"
    /// The dataset attribute naming its units.
    static let units = "units"
    /// The dataset attribute saying what the values are.
    static let description = "description"
    /// The group attribute naming the units of its attributes `h` and `T`.
    static let timeUnits = "time_units"

    /// The unit of `t`, `h` and `T`: the ODE's independent variable, the network's depth.
    ///
    /// Units: dimensionless; `h = T / N`, so with `T` fixed across levels (the paper's rule) a
    /// level's depth-time equals every other level's.
    static let depthTime = "depth-time (dimensionless)"

    /// `t`'s description: the step start times.
    static let stepStartTimes = "step start times t_n = n·h, n = 0 … N−1: step n covers [t_n, t_n + h) "
        + "and uses row n of every stacked dataset of this stage; t_edges adds the end T"
    /// `t_edges`'s description: the step boundaries.
    static let stepEdges = "step boundaries: t_edges[n] = n·h for n < N and t_edges[N] = T exactly; "
        + "step n covers [t_edges[n], t_edges[n + 1]) (e.g. plt.stairs(w, t_edges))"

    /// The axes of a tensor with `rank` dimensions that has no field (optimizer state under a name
    /// that is not a parameter path): `d0, d1, …`.
    static func genericAxes(rank: Int) -> [String] { (0..<rank).map { "d\($0)" } }

    /// Sets `axes` (and `units`, `description` when given) on `dataset`.
    ///
    /// - Parameters:
    ///   - dataset: a dataset of the file being written.
    ///   - axes: one name per dimension, outermost first.
    ///   - units: the values' units, if they have any.
    ///   - description: what the values are, if the name does not say.
    /// - Throws: HDF5 errors.
    static func annotate(_ dataset: HDF5Dataset, axes: [String], units: String? = nil,
                         description: String? = nil) throws {
        let a = dataset.attributes
        try a.set(.string(axes.joined(separator: ", ")), for: Self.axes)
        if let units { try a.set(.string(units), for: Self.units) }
        if let description { try a.set(.string(description), for: Self.description) }
    }
}

extension ParameterPath.Field {
    /// The axes of one tensor of this field, as stored (a step's dataset adds the leading `N`):
    /// convolution weights `out, in, kh, kw` (OIHW, PyTorch's order), the classifier's weight
    /// `out, in` (`[K, C_last]`) and bias `out`, every batch-norm tensor `C`.
    var archiveAxes: [String] {
        switch self {
        case .conv1Weight, .conv2Weight, .shortcutWeight, .weight: ["out", "in", "kh", "kw"]
        case .linearWeight: ["out", "in"]
        case .linearBias: ["out"]
        case .bn1Weight, .bn1Bias, .bn1RunningMean, .bn1RunningVariance, .bn2Weight, .bn2Bias, .bn2RunningMean,
             .bn2RunningVariance, .bnWeight, .bnBias, .bnRunningMean, .bnRunningVariance: ["C"]
        }
    }
}
