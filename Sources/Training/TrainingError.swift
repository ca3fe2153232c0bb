public import Optimization

/// Errors of the trainers and of the comparison run.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The mini-batch loss became NaN or ±∞: training diverged (e.g. a learning rate far too large).
    /// `cycle` is 0 for plain training; `epoch` counts from 0 within the cycle, `batch` from 0.
    case nonFiniteLoss(cycle: Int, epoch: Int, batch: Int, loss: Float)
    /// A running statistic after the forward pass, a gradient, or a weight as the coming update
    /// would make it is NaN or ±∞: training diverged, and the update was not applied. `value` names
    /// the first such tensor (in the network's order, running statistics first) and the quantity.
    case nonFiniteValue(cycle: Int, epoch: Int, batch: Int, value: NonFiniteValue)
    /// A setting outside its range (named, with the value and what was expected).
    case invalidConfiguration(name: String, value: String, expected: String)
    /// A dataset the trainer cannot use (empty, or its geometry differs from the network's).
    case incompatibleData(dataset: String, message: String)
    /// A restored ``TrainingState`` that does not fit the trainer or network it is given to.
    case stateMismatch(String)
    /// A plateau rule needs a validation split to watch.
    case plateauNeedsValidation(cycle: Int)
    /// A configuration file (``RunConfiguration/read(from:)``) that cannot be read, is not JSON,
    /// or lacks or mistypes a field (named in `message`).
    case invalidConfigurationFile(path: String, message: String)
    /// A Butcher tableau file (`--tableau`) that cannot be read, is not a tableau, or is not a
    /// valid explicit method (named in `message`).
    case invalidTableauFile(path: String, message: String)

    /// Whether the error reports divergence (a non-finite loss or value), the case the command line
    /// gives its own exit status.
    public var isDivergence: Bool {
        switch self {
        case .nonFiniteLoss, .nonFiniteValue: return true
        case .invalidConfiguration, .incompatibleData, .stateMismatch, .plateauNeedsValidation, .invalidConfigurationFile,
             .invalidTableauFile:
            return false
        }
    }

    /// A readable message naming what went wrong and where.
    public var description: String {
        switch self {
        case .nonFiniteLoss(let cycle, let epoch, let batch, let loss):
            return "training diverged: loss \(loss) in cycle \(cycle), epoch \(epoch), batch \(batch) "
                + "(lower the learning rate; the last checkpoint, if any, is unchanged)"
        case .nonFiniteValue(let cycle, let epoch, let batch, let value):
            return "training diverged: \(value) in cycle \(cycle), epoch \(epoch), batch \(batch); the update was not "
                + "applied (lower the learning rate; the last checkpoint, if any, is unchanged)"
        case .invalidConfiguration(let name, let value, let expected):
            return "\(name) = \(value) is invalid: expected \(expected)"
        case .incompatibleData(let dataset, let message):
            return "dataset \(dataset): \(message)"
        case .stateMismatch(let message):
            return "training state does not fit: \(message)"
        case .plateauNeedsValidation(let cycle):
            return "cycle \(cycle) stops on a plateau of validation accuracy, but there is no validation split "
                + "(give a validation fraction > 0)"
        case .invalidConfigurationFile(let path, let message):
            return "configuration file \(path): \(message)"
        case .invalidTableauFile(let path, let message):
            return "tableau file \(path): \(message)"
        }
    }
}
