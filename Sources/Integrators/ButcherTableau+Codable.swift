extension ButcherTableau: Codable {
    private enum CodingKeys: String, CodingKey {
        case name, a, b, c, order, bHat, embeddedOrder
    }

    /// Decodes a tableau and validates it exactly as ``init(name:a:b:c:order:bHat:embeddedOrder:)`` does.
    ///
    /// - Parameter decoder: a decoder holding `name`, `a`, `b`, `c`, `order` and optionally
    ///   `bHat`, `embeddedOrder`.
    /// - Throws: `DecodingError` for missing or mistyped fields; any ``ButcherTableauError`` the
    ///   validating initializer throws.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        try self.init(
            name: try container.decode(String.self, forKey: .name),
            a: try container.decode([[Double]].self, forKey: .a),
            b: try container.decode([Double].self, forKey: .b),
            c: try container.decode([Double].self, forKey: .c),
            order: try container.decode(Int.self, forKey: .order),
            bHat: try container.decodeIfPresent([Double].self, forKey: .bHat),
            embeddedOrder: try container.decodeIfPresent(Int.self, forKey: .embeddedOrder))
    }

    /// Encodes the fields by name (`bHat`, `embeddedOrder` only when present).
    ///
    /// - Parameter encoder: the encoder to write to.
    /// - Throws: whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(a, forKey: .a)
        try container.encode(b, forKey: .b)
        try container.encode(c, forKey: .c)
        try container.encode(order, forKey: .order)
        try container.encodeIfPresent(bHat, forKey: .bHat)
        try container.encodeIfPresent(embeddedOrder, forKey: .embeddedOrder)
    }
}
