import TensorCore

extension Variable {
    /// Mean softmax cross-entropy of logits against integer class labels, and the accuracy.
    ///
    /// ```
    /// L = −(1/B) Σ_n log softmax(z_n)[label_n],   log softmax(z)_k = z_k − m − log Σ_j e^{z_j − m}
    /// ```
    /// with `m = max_j z_j` (numerically stable log-sum-exp). VJP:
    /// `dz_n = (softmax(z_n) − onehot(label_n)) · dL / B`.
    ///
    /// Shape: logits `[B, K]`; labels `B` values in `0..<K`; loss `[]` (a scalar).
    ///
    /// - Parameter labels: the class index per row.
    /// - Returns: the loss (scalar variable) and the accuracy (fraction of rows whose argmax
    ///   equals the label; ties go to the lowest index).
    /// - Throws: `AutodiffError.invalidLabels` for a wrong count or an out-of-range label;
    ///   `TensorError.invalidArgument` unless the logits are `[B, K]`.
    public func softmaxCrossEntropy(labels: [Int]) throws -> (loss: Variable, accuracy: Double) {
        try tape.validate(self, "softmaxCrossEntropy")
        guard shape.count == 2, shape[0] > 0, shape[1] > 0 else {
            throw TensorError.invalidArgument(operation: "softmaxCrossEntropy",
                                              message: "logits must be [batch, classes], got \(shape)")
        }
        let (batch, classes) = (shape[0], shape[1])
        guard labels.count == batch else {
            throw AutodiffError.invalidLabels(message: "\(labels.count) labels for \(batch) rows of logits")
        }
        if let bad = labels.first(where: { $0 < 0 || $0 >= classes }) {
            throw AutodiffError.invalidLabels(message: "label \(bad) outside 0..<\(classes)")
        }
        var probabilities = try Tensor(zeros: shape)
        var total = 0.0
        var correct = 0
        let logits = value
        logits.withUnsafeBufferPointer { z in
            probabilities.withUnsafeMutableBufferPointer { p in
                for n in 0..<batch {
                    let row = n * classes
                    var best = 0
                    for k in 1..<classes where z[row + k] > z[row + best] { best = k }
                    if best == labels[n] { correct += 1 }
                    let m = Double(z[row + best])
                    var sum = 0.0
                    for k in 0..<classes {
                        let e = _exp(Double(z[row + k]) - m)
                        p[row + k] = Float(e)
                        sum += e
                    }
                    for k in 0..<classes { p[row + k] = Float(Double(p[row + k]) / sum) }
                    total += -(Double(z[row + labels[n]]) - m - _log(sum))
                }
            }
        }
        let loss = try Tensor(shape: [], elements: [Float(total / Double(batch))])
        let node = index
        let output = tape.record(loss, differentiable: requiresGradient) { tape, gradient in
            let scale = gradient.elements[0] / Float(batch)
            var dz = probabilities
            dz.withUnsafeMutableBufferPointer { d in
                for n in 0..<batch { d[n * classes + labels[n]] -= 1 }
                for i in d.indices { d[i] *= scale }
            }
            try tape.accumulate(dz, into: node)
        }
        return (output, Double(correct) / Double(batch))
    }
}
