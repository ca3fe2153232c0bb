import ArgumentParser
import Foundation
import MultilevelResNet

/// `mlresnet bench`: training and inference throughput of the ODE network at ResNet-20 and
/// ResNet-56 sizes, side by side with a PyTorch model of the same architecture in the same run.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training and inference throughput, with PyTorch in the same run when present.",
        discussion: """
            Model: the pre-activation ODE ResNet of ODENetSpec (Sources/ODENet/ODENetSpec.swift) on 32×32×3 inputs, channels 16-32-64, \
            N residual steps per stage (3 ≈ ResNet-20, 9 ≈ ResNet-56), forward Euler, h = 1, batch 128. \
            A training step is forward + softmax cross-entropy + backward + SGD update; the figure is \
            the batch over the median step time after warm-up. GFLOP/s count convolution and linear \
            multiply-adds (2 FLOP each; a training step is 3× the forward). When \
            `python3 -c 'import torch'` works, benchmarks/torch_odenet.py runs the same model \
            (channels_last, same threads) and the ratios ours/PyTorch are printed. Run it on an idle \
            machine: any other load on 2 cores slows OpenMP kernels 2–4×.
            """)

    @Option(name: .long, parsing: .upToNextOption,
            help: "Steps per stage N of the models to measure (with --batch-size, checked against physical memory).")
    var stepsPerStage: [Int] = [3, 9]

    @Option(name: .long, help: "Mini-batch size.")
    var batchSize = 128

    /// The batch size (the figures' name for it).
    var batch: Int { batchSize }

    @Option(name: .long, help: "Timed steps per measurement (the median is reported); at least 10.")
    var steps = 10

    @Option(name: .long, help: "Warm-up steps before timing.")
    var warmup = 3

    @OptionGroup var compute: ComputeOptions

    @Option(name: .long, help: "Python interpreter for the PyTorch reference (default: python3, then /usr/bin/python3).")
    var python: String?

    @Option(name: .long, help: "Path of the PyTorch reference script, which must exist (default: benchmarks/torch_odenet.py).")
    var referenceScript: String?

    @Flag(name: .long, help: "Skip the PyTorch reference.")
    var noReference = false

    @OptionGroup var output: JSONOutputOptions

    func validate() throws {
        guard steps >= 10 else { throw ValidationError("--steps must be ≥ 10 (the median of at least 10 steps)") }
        guard batch >= 1, warmup >= 0, !stepsPerStage.isEmpty, stepsPerStage.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("--batch-size and --steps-per-stage must be ≥ 1, --warmup ≥ 0")
        }
        let physical = Double(TensorMemory.physicalMemoryBytes)
        for n in stepsPerStage {
            let bytes = ThroughputBenchmark.estimatedTrainingBytes(stepsPerStage: n, batch: batch)
            guard physical <= 0 || bytes <= physical else {
                throw ValidationError(String(format: "--batch-size %d with --steps-per-stage %d needs about %.3g GB for "
                                             + "a training step, more than the %.3g GB of physical memory",
                                             batch, n, bytes / 1e9, physical / 1e9))
            }
        }
        if let referenceScript, !noReference {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: referenceScript, isDirectory: &isDirectory),
                  !isDirectory.boolValue else {
                throw ValidationError("--reference-script \(referenceScript): no such file")
            }
        }
    }

    struct Report: Codable {
        var threads: Int
        var environment: ComputeEnvironment
        var sgemmPeakGFLOPs: Double
        var results: [ThroughputBenchmark.Result]
        var pytorch: [PyTorchReference.Figures]
        var pytorchUnavailable: String?
        var ratios: [String: Double]
    }

    func run() throws {
        let threadCount = compute.threadCount
        let context = try ComputeContext(threadCount: threadCount)
        let environment = ComputeEnvironment.current(context: context)
        print("environment: \(environment.summary)")
        let peak = try context.run { try ThroughputBenchmark.sgemmPeak() }
        print(String(format: "threads %d, SGEMM peak (2048², best of 5) %.1f GFLOP/s", threadCount, peak))

        var reference = PyTorchReference(python: python)
        var unavailable: String?
        var script: URL?
        if noReference {
            unavailable = "skipped (--no-reference)"
        } else {
            switch try reference.availability(script: referenceScript) {
            case .available(let url): script = url
            case .unavailable(let reason): unavailable = reason
            }
        }
        if let unavailable {
            printLog("PyTorch reference: not run — \(unavailable)")
        } else {
            printLog("PyTorch reference: \(reference.python) \(script?.path ?? "")")
        }

        var results: [ThroughputBenchmark.Result] = []
        var figures: [PyTorchReference.Figures] = []
        var ratios: [String: Double] = [:]
        print("")
        print(pad("model", 10) + pad("mode", 7) + pad("img/s", 10) + pad("GFLOP/s", 9) + pad("% peak", 8)
              + pad("PyTorch img/s", 15) + "ours/PyTorch")
        for n in stepsPerStage {
            let result = try context.run {
                try ThroughputBenchmark(stepsPerStage: n, batch: batch, warmupSteps: warmup, timedSteps: steps,
                                        seed: 42).run(sgemmPeak: peak)
            }
            results.append(result)
            var torch: PyTorchReference.Figures?
            if let script {
                torch = try reference.measure(script: script, stepsPerStage: n, batch: batch, threads: threadCount,
                                              warmup: warmup, steps: steps)
                figures.append(torch!)
                if torch!.forward_macs_per_image != result.forwardMultiplyAccumulatesPerImage {
                    printLog("warning: PyTorch counts \(torch!.forward_macs_per_image) MACs per image, we count "
                          + "\(result.forwardMultiplyAccumulatesPerImage): the models differ")
                }
            }
            for (measurement, key) in [(result.training, "train"), (result.inference, "infer")] {
                let theirs = torch?.modes[key]?.images_per_s
                let ratio = theirs.map { measurement.imagesPerSecond / $0 }
                if let ratio { ratios["N=\(n) \(key)"] = ratio }
                print(pad("N=\(n)", 10) + pad(key, 7) + pad(String(format: "%.0f", measurement.imagesPerSecond), 10)
                      + pad(String(format: "%.1f", measurement.gflopPerSecond), 9)
                      + pad(String(format: "%.0f", measurement.percentOfSGEMMPeak ?? 0), 8)
                      + pad(theirs.map { String(format: "%.0f", $0) } ?? "-", 15)
                      + (ratio.map { String(format: "%.2f×", $0) } ?? "-"))
            }
            print(pad("", 17) + String(format: "resident memory %.1f MiB after warm-up, %.1f MiB after %d training steps",
                                       result.residentMiBAfterWarmup, result.residentMiBAtEnd, steps))
            print(pad("", 17) + String(format: "divergence screen %.3f ms per training step, %.2f %% of its median",
                                       1000 * result.divergenceScreenMedianSeconds,
                                       100 * result.divergenceScreenShareOfTrainingStep))
        }
        try output.write(Report(threads: threadCount, environment: environment, sgemmPeakGFLOPs: peak, results: results,
                                pytorch: figures, pytorchUnavailable: unavailable, ratios: ratios))
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }
}
