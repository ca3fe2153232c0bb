import Foundation

extension Dataset {
    /// The embedded default dataset: scikit-learn's digits (1797 images, 8 × 8, values 0–16,
    /// labels 0–9), a resource of the library — no path needed, from any working folder.
    ///
    /// The files come from ``bundledDigitsFolder()``; see ``digits(folder:)`` for the format.
    ///
    /// ```swift
    /// let digits = try Dataset.digits()                       // [1797, 8, 8, 1], 10 classes
    /// let data = try TrainingData.split(digits, testFraction: 0.2, seed: 0)
    /// ```
    ///
    /// Shape: images `[1797, 8, 8, 1]`, labels `[1797]`.
    ///
    /// - Returns: the dataset, named `digits`.
    /// - Throws: ``DatasetError/bundledDataNotFound(dataset:searched:)`` when the resource bundle is
    ///   nowhere (see ``bundledDigitsFolder()``); the errors of ``digits(folder:)`` for damaged files.
    public static func digits() throws -> Dataset {
        try digits(folder: bundledDigitsFolder())
    }

    /// The digits in a clone of the repository: `Sources/Datasets/Resources/digits/` under
    /// `repositoryRoot` (the folder the resource bundle is built from).
    ///
    /// - Parameter repositoryRoot: the root of a clone of MultilevelResNet.
    /// - Returns: the dataset, named `digits`.
    /// - Throws: as ``digits(folder:)``.
    public static func digits(in repositoryRoot: URL) throws -> Dataset {
        try digits(folder: repositoryRoot.appendingPathComponent(digitsSourcePath, isDirectory: true))
    }

    /// The folder of the embedded digits inside the repository.
    static let digitsSourcePath = "Sources/Datasets/Resources/digits"

    /// The name SwiftPM gives the resource bundle of this module (`<package>_<target>`), which it
    /// places beside every executable and test bundle it builds that links the library.
    static let resourceBundleName = "MultilevelResNet_Datasets.resources"

    /// Where the embedded digits are: the folder `digits/` of the module's resource bundle
    /// (`Bundle.module`, SwiftPM's `resources: [.copy("Resources/digits")]`).
    ///
    /// Places searched, in order (the first holding `digits-labels-idx1-ubyte` wins):
    /// 1. `MultilevelResNet_Datasets.resources/digits` beside the running executable
    ///    (`Bundle.main`: where `swift build` puts it for every product and test bundle, so a tool
    ///    installed by copying it together with that folder finds it); when it is there,
    ///    `Bundle.module` is asked for the resource;
    /// 2. the same beside the executable's real file, every symbolic link resolved
    ///    (`/proc/self/exe`: a tool started through a link on `PATH`);
    /// 3. `Sources/Datasets/Resources/digits` of the sources the library was compiled from, while
    ///    they exist.
    ///
    /// `Bundle.module` itself is not the fallback: on Linux its accessor stops the process
    /// (`fatalError`) when the bundle is missing; this lookup throws instead.
    ///
    /// - Returns: the folder holding `digits-images-idx3-ubyte` and `digits-labels-idx1-ubyte`.
    /// - Throws: ``DatasetError/bundledDataNotFound(dataset:searched:)`` listing every place searched.
    public static func bundledDigitsFolder() throws -> URL {
        let marker = "digits-labels-idx1-ubyte"
        let besideMain = Bundle.main.bundleURL.appendingPathComponent(resourceBundleName, isDirectory: true)
        if FileManager.default.fileExists(atPath: besideMain.appendingPathComponent("digits/\(marker)").path),
           let url = Bundle.module.url(forResource: "digits", withExtension: nil) {
            return url
        }
        return try firstFolder(holding: marker, in: digitsCandidates(), dataset: "digits")
    }

    /// The places of ``bundledDigitsFolder()``, in its order.
    static func digitsCandidates() -> [URL] {
        var folders = [Bundle.main.bundleURL]
        if let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            folders.append(URL(fileURLWithPath: executable).deletingLastPathComponent())
        }
        let bundles = folders.map {
            $0.appendingPathComponent(resourceBundleName, isDirectory: true).appendingPathComponent("digits")
        }
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Resources/digits", isDirectory: true)
        return bundles + [sources]
    }

    /// The first of `candidates` that holds a file named `marker`.
    ///
    /// - Throws: ``DatasetError/bundledDataNotFound(dataset:searched:)`` when none does.
    static func firstFolder(holding marker: String, in candidates: [URL], dataset: String) throws -> URL {
        var searched: [String] = []
        for folder in candidates where !searched.contains(folder.path) {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(marker).path) { return folder }
            searched.append(folder.path)
        }
        throw DatasetError.bundledDataNotFound(dataset: dataset, searched: searched)
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
    /// (CC BY 4.0), as packaged by scikit-learn (`load_digits`); see
    /// `Sources/Datasets/Resources/digits/README.md` (attribution and licence, also in the bundle).
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
