import Foundation

/// Flattens an `Encodable` value into dotted-key leaves typed by the Swift type of each field (not
/// by its value, as a JSON round trip would: `0.0` stays a real): ``RunConfiguration/flattened()``.
///
/// Leaves: integers (every `Int`/`UInt` width) → ``RunConfiguration/FlatValue/integer(_:)``;
/// `Float`/`Double` → `.real`; `String` → `.text`; `Bool` → `.text("true"/"false")`; `nil` →
/// `.text("none")`; an array of integers, reals or strings → `.integers`/`.reals`/`.texts`; an empty
/// array → `.text("[]")`; an array of anything else (objects, booleans) → `.text` with its JSON.
struct FlatteningEncoder {
    /// Flattens `value` under `prefix`.
    static func flatten(_ value: some Encodable, prefix: String) throws -> [String: RunConfiguration.FlatValue] {
        let storage = Storage()
        try value.encode(to: Node(storage: storage, path: prefix))
        return storage.leaves
    }

    final class Storage {
        var leaves: [String: RunConfiguration.FlatValue] = [:]
    }

    /// One path in the tree; as an `Encoder` it hands out the container its value asks for.
    struct Node: Encoder {
        let storage: Storage
        let path: String
        var codingPath: [any CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] = [:]

        func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            KeyedEncodingContainer(Keyed<Key>(node: self))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer { ArrayCollector(node: self) }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(node: self) }

        func set(_ value: RunConfiguration.FlatValue) { storage.leaves[path] = value }

        /// A leaf for a primitive, or `nil` when `value` is not one.
        static func primitive(_ value: Any) -> RunConfiguration.FlatValue? {
            switch value {
            case let v as Bool: return .text(v ? "true" : "false")
            case let v as String: return .text(v)
            case let v as Double: return .real(v)
            case let v as Float: return .real(Double(v))
            case let v as any BinaryInteger: return .integer(Int64(truncatingIfNeeded: v))
            default: return nil
            }
        }

        /// Encodes `value` at this node: a primitive as a leaf, anything else through its containers.
        func encodeValue(_ value: some Encodable) throws {
            if let leaf = Self.primitive(value) { set(leaf); return }
            try value.encode(to: self)
        }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let node: Node
        var codingPath: [any CodingKey] { [] }
        func at(_ key: Key) -> Node { Node(storage: node.storage, path: node.child(key.stringValue)) }
        mutating func encodeNil(forKey key: Key) throws { at(key).set(.text("none")) }
        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { try at(key).encodeValue(value) }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key)
            -> KeyedEncodingContainer<NestedKey> { at(key).container(keyedBy: keyType) }
        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer { at(key).unkeyedContainer() }
        mutating func superEncoder() -> any Encoder { node }
        mutating func superEncoder(forKey key: Key) -> any Encoder { at(key) }
    }

    /// An array: primitives of one kind become a typed array, anything else the array's JSON text.
    final class ArrayCollector: UnkeyedEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey] { [] }
        var items: [RunConfiguration.FlatValue] = []
        var json: [String] = []
        var complex = false
        var count: Int { json.count }

        init(node: Node) {
            self.node = node
            node.set(.text("[]"))
        }

        private func finish() {
            let integers = items.compactMap { if case let .integer(v) = $0 { v } else { nil } }
            let reals = items.compactMap { if case let .real(v) = $0 { v } else { nil } }
            let texts = items.compactMap { if case let .text(v) = $0 { v } else { nil } }
            if json.isEmpty {
                node.set(.text("[]"))
            } else if !complex, integers.count == json.count {
                node.set(.integers(integers))
            } else if !complex, reals.count == json.count {
                node.set(.reals(reals))
            } else if !complex, texts.count == json.count {
                node.set(.texts(texts))
            } else {
                node.set(.text("[" + json.joined(separator: ",") + "]"))
            }
        }

        func encodeNil() throws {
            complex = true
            json.append("null")
            finish()
        }

        func encode<T: Encodable>(_ value: T) throws {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            json.append(String(decoding: try encoder.encode(value), as: UTF8.self))
            if value is Bool {
                complex = true
            } else if let leaf = Node.primitive(value) ?? Self.singleLeaf(value) {
                items.append(leaf)
            } else {
                complex = true
            }
            finish()
        }

        /// The one leaf a value encodes to through a single-value container (a `String`-backed
        /// enumeration such as ``ComparisonRunKind``), or `nil` for an object or array.
        static func singleLeaf(_ value: some Encodable) -> RunConfiguration.FlatValue? {
            let probe = Storage()
            guard (try? value.encode(to: Node(storage: probe, path: ""))) != nil, probe.leaves.count == 1,
                  let leaf = probe.leaves[""] else { return nil }
            return leaf
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            // Objects inside arrays are recorded as JSON text by `encode(_:)`; reaching here means a
            // type encodes itself piecewise, which the configuration types do not.
            complex = true
            return Node(storage: Storage(), path: "").container(keyedBy: keyType)
        }

        func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            complex = true
            return ArrayCollector(node: Node(storage: Storage(), path: ""))
        }

        func superEncoder() -> any Encoder { node }
    }

    struct Single: SingleValueEncodingContainer {
        let node: Node
        var codingPath: [any CodingKey] { [] }
        mutating func encodeNil() throws { node.set(.text("none")) }
        mutating func encode<T: Encodable>(_ value: T) throws { try node.encodeValue(value) }
    }
}
