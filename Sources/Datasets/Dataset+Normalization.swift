extension Dataset {
    /// The per-channel mean and standard deviation of `x / pixelScale` over every pixel of every
    /// image (see ``ChannelStatistics`` for the formulas).
    ///
    /// - Returns: statistics with `channels` entries and this dataset's `pixelScale`.
    /// - Throws: ``DatasetError/invalidArgument(operation:message:)`` for an empty dataset.
    public func channelStatistics() throws -> ChannelStatistics {
        guard count > 0 else {
            throw DatasetError.invalidArgument(operation: "channelStatistics()",
                                               message: "\(name) has no images")
        }
        var sum = [UInt64](repeating: 0, count: channels)
        var sumOfSquares = [UInt64](repeating: 0, count: channels)
        images.withUnsafeBufferPointer { pixels in
            var c = 0
            for value in pixels {
                let x = UInt64(value)
                sum[c] &+= x
                sumOfSquares[c] &+= x * x
                c += 1
                if c == channels { c = 0 }
            }
        }
        let m = Double(count * height * width)
        let scale = Double(pixelScale)
        var mean = [Double]()
        var deviation = [Double]()
        for c in 0..<channels {
            let rawMean = Double(sum[c]) / m
            let rawVariance = max(0, Double(sumOfSquares[c]) / m - rawMean * rawMean)
            mean.append(rawMean / scale)
            deviation.append(rawVariance.squareRoot() / scale)
        }
        return try ChannelStatistics(mean: mean, standardDeviation: deviation, pixelScale: scale)
    }
}

extension Dataset {
    /// Writes the images at `indices`, augmented then normalized to Float32, into `buffer`: the
    /// per-mini-batch input of the trainer.
    ///
    /// Each image is first augmented on its raw bytes (padding is black), then every value becomes
    ///
    /// ```
    /// out = (x / s − mean_c) / std_c        s = statistics.pixelScale
    /// ```
    ///
    /// where a zero `std_c` (a constant channel) is replaced by 1, so that channel is only centred.
    ///
    /// Shape: `buffer` becomes `[indices.count, height, width, channels]` (NHWC); it is resized
    /// only when its length differs, so a buffer reused across batches is not reallocated.
    ///
    /// - Parameters:
    ///   - indices: record indices in `0..<count`, in batch order.
    ///   - statistics: per-channel statistics (usually of the training part), `channels` entries.
    ///   - augmentation: the augmentation to apply before normalizing (default ``Augmentation/none``).
    ///   - generator: the seeded generator the augmentation draws from (untouched by ``Augmentation/none``).
    ///   - buffer: the output buffer.
    /// - Throws: ``DatasetError/indexOutOfRange(operation:index:count:)`` for a bad index;
    ///   ``DatasetError/invalidArgument(operation:message:)`` when the statistics have another
    ///   channel count or the padding is negative or above `max(height, width)`; ``DatasetError/flipChangesLabels(dataset:)`` when
    ///   a flip is requested for a dataset whose labels it changes.
    public func normalizedBatch(indices: [Int], statistics: ChannelStatistics,
                                augmentation: Augmentation = .none, generator: inout SplitMix64,
                                into buffer: inout [Float]) throws {
        let operation = "normalizedBatch(indices:statistics:augmentation:generator:into:)"
        guard statistics.channels == channels else {
            throw DatasetError.invalidArgument(
                operation: operation,
                message: "statistics have \(statistics.channels) channels, \(name) has \(channels)")
        }
        if augmentation.horizontalFlip && !horizontalFlipPreservesLabels {
            throw DatasetError.flipChangesLabels(dataset: name)
        }
        // out = x · a_c + b_c with a_c = 1 / (s · std_c), b_c = −mean_c / std_c.
        var a = [Float](repeating: 0, count: channels)
        var b = [Float](repeating: 0, count: channels)
        for c in 0..<channels {
            let deviation = statistics.standardDeviation[c] > 0 ? statistics.standardDeviation[c] : 1
            a[c] = Float(1 / (statistics.pixelScale * deviation))
            b[c] = Float(-statistics.mean[c] / deviation)
        }
        let size = imageSize
        if buffer.count != indices.count * size {
            buffer = [Float](repeating: 0, count: indices.count * size)
        }
        for (slot, index) in indices.enumerated() {
            try checkIndex(index, operation: operation)
            var pixels = Array(images[index * size..<(index + 1) * size])
            if !augmentation.isIdentity {
                pixels = try augmentation.apply(to: pixels, height: height, width: width, channels: channels,
                                                generator: &generator)
            }
            let base = slot * size
            var c = 0
            for k in 0..<size {
                buffer[base + k] = Float(pixels[k]) * a[c] + b[c]
                c += 1
                if c == channels { c = 0 }
            }
        }
    }

    /// The images at `indices`, normalized to Float32 without augmentation (for evaluation).
    ///
    /// - Parameters:
    ///   - indices: record indices in `0..<count`.
    ///   - statistics: per-channel statistics with `channels` entries.
    /// - Returns: `[indices.count, height, width, channels]` values (NHWC).
    /// - Throws: as ``normalizedBatch(indices:statistics:augmentation:generator:into:)``.
    public func normalizedBatch(indices: [Int], statistics: ChannelStatistics) throws -> [Float] {
        var buffer = [Float]()
        var unused = SplitMix64(seed: 0)
        try normalizedBatch(indices: indices, statistics: statistics, generator: &unused, into: &buffer)
        return buffer
    }
}
