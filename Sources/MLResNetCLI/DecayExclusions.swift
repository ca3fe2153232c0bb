import ArgumentParser
import Foundation
import MultilevelResNet

/// The value of `--no-decay`: a comma-separated list of ``DecayExclusion`` values (`norm,bias`).
struct DecayExclusions: ExpressibleByArgument {
    /// The groups named.
    let groups: Set<DecayExclusion>

    /// Parses `norm`, `bias` or `norm,bias`; `nil` (ArgumentParser's error, whose help lists the
    /// valid values) for an empty list, an unknown value or a value named twice.
    ///
    /// - Parameter argument: the command-line text.
    init?(argument: String) {
        var groups = Set<DecayExclusion>()
        for item in argument.split(separator: ",", omittingEmptySubsequences: false) {
            guard let group = DecayExclusion(rawValue: item.trimmingCharacters(in: .whitespaces)) else { return nil }
            guard groups.insert(group).inserted else { return nil }
        }
        self.groups = groups
    }

    /// The valid values, for help and completion.
    static var allValueStrings: [String] { DecayExclusion.allCases.map(\.rawValue) }
}
