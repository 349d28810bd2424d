import WinnowCore
import WinnowSteps

/// The dedup stages a pipeline can name (the document dedup steps are step kinds: `minhash:`,
/// `exact_dedup:`, `url_dedup:`, `line_dedup:`).
public enum DedupStages {
    public static func register(into r: inout StageRegistry) {
        r.register(StageFactory(name: "similar_line_dedup", summary: "MAP-CC: remove near-duplicate sentences inside a document (edit distance)") { try SimilarLineDedup(&$0) })
    }
}

/// The last step of MinHash / exact / URL dedup as a stage (datatrove's `MinhashDedupFilter`):
/// drops the documents the cluster step listed for this unit (`<cluster>/NNNNN.remove`, document
/// indices in input order), and with `cluster_ids` / `cluster_sizes` adds datatrove's
/// `minhash_cluster_id` (−1 outside a cluster) / `minhash_cluster_size` (1) to every document.
final class DuplicateRemovalStage: Stage {
    let spec: MinHashSpec
    let clusterStep: String
    var name: String { spec.stageName }

    private var removal: [UInt32] = []
    private var ids: [(UInt32, UInt32)]?
    private var sizes: [(UInt32, UInt32)]?
    private var index: UInt32 = 0
    private var nextRemoval = 0, nextID = 0, nextSize = 0

    init(spec: MinHashSpec, clusterStep: String) {
        self.spec = spec
        self.clusterStep = clusterStep
    }

    func startUnit(_ unit: UnitContext) throws {
        guard let run = unit.runDirectory else { throw RunError("\(name) runs only inside a pipeline run") }
        let base = "\(run)/steps/\(clusterStep)/\(RunPlan.shardName(unit.index))"
        removal = try MinHashSteps.removalList(base + ".remove")
        ids = spec.clusterIDs ? try MinHashSteps.pairList(base + ".clusters") : nil
        sizes = spec.clusterSizes ? try MinHashSteps.pairList(base + ".sizes") : nil
        index = 0
        nextRemoval = 0; nextID = 0; nextSize = 0
    }

    func apply(_ doc: inout Document) -> Verdict {
        let idx = index
        index += 1
        // datatrove's load_cluster_ids / load_cluster_sizes, on kept and removed documents
        if let ids {
            while nextID < ids.count && ids[nextID].0 < idx { nextID += 1 }
            doc.metadata["minhash_cluster_id"] = .int(nextID < ids.count && ids[nextID].0 == idx ? Int(ids[nextID].1) : -1)
        }
        if let sizes {
            while nextSize < sizes.count && sizes[nextSize].0 < idx { nextSize += 1 }
            doc.metadata["minhash_cluster_size"] = .int(nextSize < sizes.count && sizes[nextSize].0 == idx ? Int(sizes[nextSize].1) : 1)
        }
        while nextRemoval < removal.count && removal[nextRemoval] < idx { nextRemoval += 1 }
        if nextRemoval < removal.count && removal[nextRemoval] == idx { return .drop(spec.dropReason) }
        return .keep
    }
}

/// CCNet's line dedup as a stage: a line is kept only the first time its normalised form is
/// seen in the task's group of units; a document left with no line is dropped. The unit's
/// stats count the lines removed (`lines_removed`).
final class LineDedupStage: Stage {
    let name = "line_dedup"
    private var seen = Set<UInt64>()
    private var removed = 0

    func startTask() throws { seen.removeAll() }  // also on a rerun of the task
    func startUnit(_ unit: UnitContext) throws { removed = 0 }

    func apply(_ doc: inout Document) -> Verdict {
        LineDedup.apply(&doc, seen: &seen, removed: &removed) ? .keep : .drop("line_dedup_empty")
    }

    func finishUnit(_ stats: inout StageStats) {
        // Lines, not documents: shown beside the document drops.
        if removed > 0 { stats.drops["lines_removed"] = removed }
    }
}
