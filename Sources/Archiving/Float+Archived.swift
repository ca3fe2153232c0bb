extension Float {
    /// The Float as the double of its shortest decimal form (`0.1` rather than `0.10000000149011612`),
    /// so h5py shows what the user typed; falls back to the exact widening when that would not read
    /// back to the same Float through ``init(archived:)``.
    var archived: Double {
        if let decimal = Double(String(describing: self)), Float(archived: decimal) == self { return decimal }
        return Double(self)
    }

    /// Reads a value written by ``archived``.
    init(archived value: Double) {
        self = Float(String(describing: value)) ?? Float(value)
    }
}
