#if canImport(Glibc)
import Glibc
#endif

/// The hierarchical-softmax tree fastText builds from label counts (labels sorted by count,
/// descending): leaves are labels 0..<n, internal node i uses output row i - n.
struct HuffmanTree: Sendable {
    struct Node: Sendable {
        var parent = -1, left = -1, right = -1
        /// Unbuilt internal nodes sort after every real count (the loader keeps label counts' sum below 2^62).
        var count: Int64 = .max
        var binary = false
    }
    let nodes: [Node]
    let leaves: Int
    /// For training: per label, the internal nodes on its path and the branch taken.
    let paths: [[Int32]]
    let codes: [[Bool]]

    init(counts: [Int64]) {
        let osz = counts.count
        leaves = osz
        guard osz > 0 else { nodes = []; paths = []; codes = []; return }
        var tree = [Node](repeating: Node(), count: 2 * osz - 1)
        for i in 0..<osz { tree[i].count = counts[i] }
        var leaf = osz - 1
        var node = osz
        if osz > 1 {
            for i in osz..<(2 * osz - 1) {
                var mini = [0, 0]
                for j in 0..<2 {
                    if leaf >= 0 && tree[leaf].count < tree[node].count {
                        mini[j] = leaf; leaf -= 1
                    } else {
                        mini[j] = node; node += 1
                    }
                }
                tree[i].left = mini[0]
                tree[i].right = mini[1]
                let sum = tree[mini[0]].count.addingReportingOverflow(tree[mini[1]].count)
                tree[i].count = sum.overflow ? .max : sum.partialValue
                tree[mini[0]].parent = i
                tree[mini[1]].parent = i
                tree[mini[1]].binary = true
            }
        }
        var paths: [[Int32]] = []
        var codes: [[Bool]] = []
        for i in 0..<osz {
            var path: [Int32] = [], code: [Bool] = []
            var j = i
            while tree[j].parent != -1 {
                path.append(Int32(tree[j].parent - osz))
                code.append(tree[j].binary)
                j = tree[j].parent
            }
            paths.append(path)
            codes.append(code)
        }
        nodes = tree
        self.paths = paths
        self.codes = codes
    }

    /// Depth-first search for the k most probable leaves, pruning below the threshold and below
    /// the current k-th best, as fastText's `HierarchicalSoftmaxLoss::dfs`.
    func predict(k: Int, threshold: Float, heap: inout [(Float, Int)], hidden: UnsafePointer<Float>, output: any FastTextMatrix) {
        guard !nodes.isEmpty else { return }
        let logThreshold = FastTextModel.stdLog(threshold)
        func dfs(_ node: Int, _ score: Float) {
            if score < logThreshold { return }
            if heap.count == k, let worst = heap.min(by: { $0.0 < $1.0 }), score < worst.0 { return }
            let n = nodes[node]
            if n.left == -1 && n.right == -1 {
                TopK.push(&heap, (score, node), k: k)
                return
            }
            var f = output.dot(node - leaves, hidden)
            f = Float(1.0 / (1.0 + Double(expf(-f))))
            dfs(n.left, score + FastTextModel.stdLog(1 - f))
            dfs(n.right, score + FastTextModel.stdLog(f))
        }
        dfs(2 * leaves - 2, 0)
    }
}
