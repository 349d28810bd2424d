/// Document dedup through the signature → bucket → cluster → filter steps. `minhash` compares
/// MinHash band signatures; `exact` uses one 64-bit hash of the whitespace-normalised text
/// (`normalize: simplify` uses datatrove's simplify_text instead); `url` one hash of
/// `metadata.url` (scheme and host lowercased, fragment dropped). The first occurrence in input
/// order is kept.
public struct MinHashSpec: Sendable, Equatable {
    public enum Method: String, Sendable { case minhash, exact, url }
    public var method = Method.minhash
    public var normalize = "whitespace"
    public var shingles = "cjk"
    public var ngrams = 5
    public var bands = 14
    public var rows = 8
    public var hash = "xxhash"
    public var bits = 64
    public var seed: UInt32 = 1
    public var permutations = "datatrove"
    /// datatrove's `save_cluster_id` / `save_cluster_size` + `load_cluster_ids` / `load_cluster_sizes`:
    /// `minhash_cluster_id` (−1 outside any cluster) and `minhash_cluster_size` (1) in metadata.
    /// Which document of a cluster survives: `first` (input order; MAP-CC's first node),
    /// `fineweb-2024` (datatrove 0.2.0's union: the first document of each pair takes the
    /// second's set), `datatrove-current` (union by size), over the pairs in datatrove's order.
    public var survivor = "first"
    /// `fineweb-2024`: `shingles: words` as datatrove 0.2.0 made them (its `simplify_text`, NLTK
    /// `word_tokenize` with the punkt_tab model at `punkt`, NLTK release `nltk`).
    public var preset = "datatrove-current"
    public var punkt: String? = nil
    public var nltk = "3.8.1"
    public var clusterIDs = false
    public var clusterSizes = false

    /// The filter's stage name and drop reason in stats (`minhash_dedup`, `exact_duplicate`, …).
    public var stageName: String { method == .minhash ? "minhash_dedup" : "\(method.rawValue)_dedup" }
    public var dropReason: String { "\(method.rawValue)_duplicate" }
}
