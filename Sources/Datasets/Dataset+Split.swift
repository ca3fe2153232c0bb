extension Dataset {
    /// The record indices of a deterministic, seeded, stratified train/validation split.
    ///
    /// Rule, per class `k` (in order `0..<classCount`): list the indices of class `k` in ascending
    /// order, shuffle them with ``SplitMix64/shuffle(_:)`` (one generator seeded with `seed`, shared
    /// by all classes in class order), and put the first
    ///
    /// ```
    /// v_k = round(validationFraction · n_k)      (round half away from zero)
    /// ```
    ///
    /// of them in validation and the rest in training. Both index lists are then sorted ascending,
    /// so the split keeps the file's record order; shuffling per epoch is the trainer's job.
    /// Stratification keeps each class's share equal in both parts up to rounding.
    ///
    /// - Parameters:
    ///   - validationFraction: the share of each class held out, in `[0, 1)`.
    ///   - seed: the generator seed; equal seeds give equal splits.
    /// - Returns: disjoint ascending index lists whose union is `0..<count`.
    /// - Throws: ``DatasetError/invalidArgument(operation:message:)`` for a fraction outside `[0, 1)`.
    public func splitIndices(validationFraction: Double, seed: UInt64) throws
        -> (training: [Int], validation: [Int]) {
        guard validationFraction.isFinite, validationFraction >= 0, validationFraction < 1 else {
            throw DatasetError.invalidArgument(
                operation: "split(validationFraction:seed:)",
                message: "validationFraction must be in [0, 1), got \(validationFraction)")
        }
        var byClass = [[Int]](repeating: [], count: classCount)
        for (index, label) in labels.enumerated() { byClass[Int(label)].append(index) }
        var generator = SplitMix64(seed: seed)
        var training = [Int]()
        var validation = [Int]()
        for var members in byClass {
            generator.shuffle(&members)
            let held = Int((validationFraction * Double(members.count)).rounded(.toNearestOrAwayFromZero))
            validation.append(contentsOf: members[..<held])
            training.append(contentsOf: members[held...])
        }
        return (training.sorted(), validation.sorted())
    }

    /// Splits the dataset into training and validation parts by ``splitIndices(validationFraction:seed:)``.
    ///
    /// - Parameters:
    ///   - validationFraction: the share of each class held out, in `[0, 1)`.
    ///   - seed: the generator seed; equal seeds give equal splits.
    /// - Returns: the two datasets, records in their original relative order.
    /// - Throws: ``DatasetError/invalidArgument(operation:message:)`` for a fraction outside `[0, 1)`.
    public func split(validationFraction: Double, seed: UInt64) throws
        -> (training: Dataset, validation: Dataset) {
        let (training, validation) = try splitIndices(validationFraction: validationFraction, seed: seed)
        return (try subset(indices: training), try subset(indices: validation))
    }
}
