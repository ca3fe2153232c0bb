import Foundation
import HDF5Storage
import Testing

/// Files written by this module must be readable by h5py with no code of ours. Runs only where
/// `/usr/bin/python3` with h5py and numpy is installed.
@Suite struct H5pyInteropTests {
    static let reader = """
        import json, sys, h5py
        out = {"datasets": {}, "attrs": {}}
        with h5py.File(sys.argv[1], "r") as f:
            def visit(name, obj):
                if isinstance(obj, h5py.Dataset):
                    out["datasets"][name] = {"dtype": str(obj.dtype), "shape": list(obj.shape),
                                             "values": obj[()].ravel().tolist() if obj.shape else [obj[()].item()]}
                owner = name
                for key, value in obj.attrs.items():
                    out["attrs"][owner + "@" + key] = {"type": type(value).__name__,
                        "value": value.tolist() if hasattr(value, "tolist") else value}
            f.visititems(visit)
            for key, value in f.attrs.items():
                out["attrs"]["/@" + key] = {"type": type(value).__name__,
                    "value": value.tolist() if hasattr(value, "tolist") else value}
        json.dump(out, sys.stdout)
        """

    @Test(.enabled(if: H5py.isAvailable, "needs /usr/bin/python3 with h5py and numpy; skipped"))
    func h5pyReadsWhatWeWrite() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("ours.h5")
        do {
            let file = try HDF5File.create(at: path)
            try file.attributes.set(.string("mlresnet-levels"), for: "format")
            try file.attributes.set(.int64(1), for: "version")
            let stage = try file.root.requireGroup("levels/0/stages/1")
            let weight = try stage.write((0..<24).map { Float($0) * 0.5 }, shape: [2, 3, 2, 2], to: "conv1.weight")
            try weight.attributes.set(.doubleArray([0.25, 0.5]), for: "t")
            try stage.write((0..<6).map { UInt8($0 * 40) }, shape: [6], to: "mask")
            try stage.write([Int64(-7)], shape: [], to: "n")
            try file.root.openGroup("levels/0").attributes.set(.stringArray(["a", "β"]), for: "names")
            try file.close()
        }
        let result = try H5py.run(["-c", Self.reader, path])
        try #require(result.status == 0, "h5py failed: \(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any])
        let datasets = try #require(json["datasets"] as? [String: [String: Any]])
        let attrs = try #require(json["attrs"] as? [String: [String: Any]])

        let weight = try #require(datasets["levels/0/stages/1/conv1.weight"])
        #expect(weight["dtype"] as? String == "float32")
        #expect(weight["shape"] as? [Int] == [2, 3, 2, 2])
        #expect(weight["values"] as? [Double] == (0..<24).map { Double($0) * 0.5 })
        let mask = try #require(datasets["levels/0/stages/1/mask"])
        #expect(mask["dtype"] as? String == "uint8")
        #expect(mask["values"] as? [Int] == (0..<6).map { $0 * 40 })
        let n = try #require(datasets["levels/0/stages/1/n"])
        #expect(n["dtype"] as? String == "int64")
        #expect(n["shape"] as? [Int] == [])
        #expect(n["values"] as? [Int] == [-7])

        #expect(attrs["/@format"]?["type"] as? String == "str")
        #expect(attrs["/@format"]?["value"] as? String == "mlresnet-levels")
        #expect(attrs["/@version"]?["value"] as? Int == 1)
        #expect(attrs["levels/0/stages/1/conv1.weight@t"]?["value"] as? [Double] == [0.25, 0.5])
        #expect(attrs["levels/0@names"]?["value"] as? [String] == ["a", "β"])
    }
}
