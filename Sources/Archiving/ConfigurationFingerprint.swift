import Foundation

/// A canonical, structured description of a run's configuration: JSON with sorted keys, so two
/// runs with equal settings have equal text and a mismatch can name the fields that differ.
///
/// ```swift
/// let fingerprint = try ConfigurationFingerprint.canonical(["run": "multilevel", "lr": 0.1])
/// // {"lr":0.1,"run":"multilevel"}
/// ConfigurationFingerprint.differences(checkpoint: old, thisRun: fingerprint)
/// // [training.weightDecay: checkpoint 0.0005, this run 0.0002]
/// ```
public enum ConfigurationFingerprint {
    /// The canonical JSON text of `value` (sorted keys, no whitespace; non-finite numbers as the
    /// strings `nan`, `inf`, `-inf`).
    ///
    /// - Parameter value: the configuration.
    /// - Returns: the fingerprint.
    /// - Throws: `EncodingError` when `value` cannot be encoded.
    public static func canonical<Value: Encodable>(_ value: Value) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf",
                                                                      nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// The fields in which two fingerprints differ, by dotted path (`configuration.training.weightDecay`),
    /// ascending; empty when they describe the same configuration (whatever their key order).
    ///
    /// Objects are compared field by field, recursively; any other value (number, string, array)
    /// as a whole. A field present on one side only is reported with `nil` on the other. When either
    /// text is not a JSON object (a free-form fingerprint written before structured ones), the
    /// result is one difference of field `configuration` holding both texts, unless they are equal.
    ///
    /// - Parameters:
    ///   - checkpoint: the fingerprint stored in the checkpoint.
    ///   - thisRun: the fingerprint of the run resuming.
    /// - Returns: the differences.
    public static func differences(checkpoint: String, thisRun: String) -> [ConfigurationDifference] {
        guard let old = fields(of: checkpoint), let new = fields(of: thisRun) else {
            return checkpoint == thisRun ? []
                : [ConfigurationDifference(field: "configuration", checkpoint: checkpoint, thisRun: thisRun)]
        }
        return Set(old.keys).union(new.keys).sorted().compactMap { field in
            old[field] == new[field] ? nil
                : ConfigurationDifference(field: field, checkpoint: old[field], thisRun: new[field])
        }
    }

    /// The leaves of a JSON object by dotted path, each as canonical JSON text; `nil` if `text` is
    /// not a JSON object.
    private static func fields(of text: String) -> [String: String]? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return nil }
        var fields: [String: String] = [:]
        func flatten(_ object: [String: Any], prefix: String) {
            for (key, value) in object {
                let path = prefix.isEmpty ? key : prefix + "." + key
                if let nested = value as? [String: Any] {
                    flatten(nested, prefix: path)
                } else {
                    fields[path] = render(value)
                }
            }
        }
        flatten(object, prefix: "")
        return fields
    }

    private static func render(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value,
                                                     options: [.fragmentsAllowed, .sortedKeys, .withoutEscapingSlashes])
        else { return "\(value)" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// One field in which a checkpoint's configuration differs from the run resuming.
public struct ConfigurationDifference: Hashable, Sendable, CustomStringConvertible {
    /// The field's dotted path, e.g. `configuration.training.weightDecay`.
    public var field: String
    /// The checkpoint's value as JSON text, `nil` when the checkpoint lacks the field.
    public var checkpoint: String?
    /// The resuming run's value as JSON text, `nil` when it lacks the field.
    public var thisRun: String?

    /// A difference.
    ///
    /// - Parameters:
    ///   - field: the dotted path.
    ///   - checkpoint: the checkpoint's value, or `nil`.
    ///   - thisRun: this run's value, or `nil`.
    public init(field: String, checkpoint: String?, thisRun: String?) {
        self.field = field
        self.checkpoint = checkpoint
        self.thisRun = thisRun
    }

    /// `field: checkpoint <value>, this run <value>` (`(absent)` for a missing side).
    public var description: String {
        "\(field): checkpoint \(checkpoint ?? "(absent)"), this run \(thisRun ?? "(absent)")"
    }
}
