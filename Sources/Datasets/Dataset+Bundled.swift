import Foundation

extension Dataset {
    /// The embedded default dataset: scikit-learn's digits (1797 images, 8 × 8, values 0–16,
    /// labels 0–9), read from `datasets/digits/` under the repository root.
    ///
    /// See ``digits(folder:)``.
    ///
    /// - Parameter repositoryRoot: the folder holding `datasets/digits/`.
    /// - Returns: the dataset, named `digits`.
    /// - Throws: as ``digits(folder:)``.
    public static func digits(in repositoryRoot: URL) throws -> Dataset {
        try digits(folder: repositoryRoot.appendingPathComponent("datasets/digits", isDirectory: true))
    }

    /// Reads the digits dataset from a folder holding `digits-images-idx3-ubyte` and
    /// `digits-labels-idx1-ubyte` (raw or gzip).
    ///
    /// The dataset has `pixelScale` 16 (the largest value: each pixel counts the "on" bits of a
    /// 4 × 4 block of the original 32 × 32 bitmap), 10 classes and
    /// `horizontalFlipPreservesLabels == false` (a mirrored digit is not a digit).
    ///
    /// Shape: images `[1797, 8, 8, 1]`, labels `[1797]`.
    /// Reference: E. Alpaydin, C. Kaynak, *Optical Recognition of Handwritten Digits*, UCI, 1998
    /// (CC BY 4.0), as packaged by scikit-learn (`load_digits`); see `datasets/digits/README.md`.
    ///
    /// - Parameter folder: the folder with the two IDX files.
    /// - Returns: the dataset, named `digits`.
    /// - Throws: every error of ``IDX/load(images:labels:classCount:pixelScale:horizontalFlipPreservesLabels:name:)``
    ///   with `classCount` 10; ``DatasetError/pixelOutOfRange(path:offset:value:maximum:)`` for a
    ///   value above 16.
    public static func digits(folder: URL) throws -> Dataset {
        let images = folder.appendingPathComponent("digits-images-idx3-ubyte")
        let dataset = try IDX.load(images: images, labels: folder.appendingPathComponent("digits-labels-idx1-ubyte"),
                                   classCount: 10, pixelScale: 16, horizontalFlipPreservesLabels: false,
                                   name: "digits")
        if let bad = dataset.images.firstIndex(where: { $0 > 16 }) {
            throw DatasetError.pixelOutOfRange(path: images.path, offset: 16 + bad,
                                               value: Int(dataset.images[bad]), maximum: 16)
        }
        return dataset
    }

    /// Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST.
    public static let fashionMNISTFolder = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist",
                                               isDirectory: true)

    /// Reads Fashion-MNIST (gzipped IDX, 28 × 28 grey-scale clothing images, 10 classes).
    ///
    /// Files: `{train,t10k}-{images-idx3,labels-idx1}-ubyte.gz`. Mirrored clothes keep their
    /// class, so `horizontalFlipPreservesLabels` is `true`.
    ///
    /// Shape: images `[60000, 28, 28, 1]` (training) or `[10000, 28, 28, 1]` (test).
    /// Reference: H. Xiao, K. Rasul, R. Vollgraf, *Fashion-MNIST: a Novel Image Dataset for
    /// Benchmarking Machine Learning Algorithms*, arXiv:1708.07747, 2017 (MIT licence).
    ///
    /// - Parameters:
    ///   - training: `true` for the 60 000 training images, `false` for the 10 000 test images.
    ///   - folder: the folder holding the files (default ``fashionMNISTFolder``).
    /// - Returns: the dataset, named `fashion-mnist-train` or `fashion-mnist-test`.
    /// - Throws: every error of ``IDX/load(images:labels:classCount:pixelScale:horizontalFlipPreservesLabels:name:)``
    ///   with `classCount` 10 (``DatasetError/fileNotFound(path:)`` when the package is absent).
    public static func fashionMNIST(training: Bool, folder: URL = fashionMNISTFolder) throws -> Dataset {
        let prefix = training ? "train" : "t10k"
        return try IDX.load(images: folder.appendingPathComponent("\(prefix)-images-idx3-ubyte.gz"),
                            labels: folder.appendingPathComponent("\(prefix)-labels-idx1-ubyte.gz"),
                            classCount: 10, pixelScale: 255, horizontalFlipPreservesLabels: true,
                            name: training ? "fashion-mnist-train" : "fashion-mnist-test")
    }
}
