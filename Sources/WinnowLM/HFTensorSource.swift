import WinnowCore
#if canImport(Glibc)
import Glibc
#endif

/// The tensors of a transformers model directory: `model.safetensors`, or the shards listed in
/// `model.safetensors.index.json` (`weight_map`: tensor → file). A tensor in two shards, a
/// shard outside the directory, or an index entry missing from its shard is an error.
struct HFTensorSource {
    let files: [SafetensorsFile]
    private let location: [String: (file: Int, entry: SafetensorsEntry)]
    let names: [String]

    init(directory dir: String) throws {
        let index = dir + "/model.safetensors.index.json"
        var files: [SafetensorsFile] = []
        var expected: [String: String] = [:]
        if access(index, F_OK) == 0 {
            guard let text = readTextFile(index) else { throw LMError("\(index): cannot read") }
            let json: JSONValue
            do { json = try JSONParser.parse(text) } catch { throw LMError("\(index): \(error)") }
            guard let map = json["weight_map"]?.objectValue else { throw LMError("\(index): no 'weight_map' object") }
            var shardNames: [String] = []
            for (tensor, v) in map {
                guard let file = v.stringValue, !file.isEmpty, !file.contains("/"), file != ".", file != ".." else {
                    throw LMError("\(index): weight_map['\(tensor)'] must name a file in the same directory")
                }
                expected[tensor] = file
                if !shardNames.contains(file) { shardNames.append(file) }
            }
            for n in shardNames { files.append(try SafetensorsFile(path: dir + "/" + n)) }
        } else if access(dir + "/model.safetensors", F_OK) == 0 {
            files = [try SafetensorsFile(path: dir + "/model.safetensors")]
        } else if access(dir + "/pytorch_model.bin", F_OK) == 0 {
            throw LMError("\(dir): only safetensors weights are read; pytorch_model.bin is a pickle (save with safe_serialization=True)")
        } else {
            throw LMError("\(dir): no model.safetensors or model.safetensors.index.json")
        }
        var loc: [String: (file: Int, entry: SafetensorsEntry)] = [:]
        var names: [String] = []
        for (i, f) in files.enumerated() {
            for e in f.entries {
                if let other = loc[e.name] { throw LMError("tensor '\(e.name)' is in both \(files[other.file].path) and \(f.path)") }
                loc[e.name] = (i, e); names.append(e.name)
            }
        }
        for (tensor, file) in expected where loc[tensor].map({ !files[$0.file].path.hasSuffix("/" + file) }) ?? true {
            throw LMError("\(index): weight_map puts '\(tensor)' in \(file), which does not hold it")
        }
        self.files = files; location = loc; self.names = names
    }

    func entry(_ name: String) -> SafetensorsEntry? { location[name]?.entry }

    func floats(_ name: String) throws -> [Float] {
        guard let l = location[name] else { throw LMError("no tensor named '\(name)'") }
        return try files[l.file].floats(name)
    }

    func path(of name: String) -> String { location[name].map { files[$0.file].path } ?? "?" }
}
