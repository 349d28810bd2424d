#!/usr/bin/env python3
"""Which documents survive MinHash clustering, datatrove vs Winnow: Winnow runs the FineWeb
MinHash configuration on the bench text (`survivor: datatrove-current`, cluster ids and sizes
saved); datatrove's own `MinhashDedupCluster` (union by size) then clusters the very `.dups`
files Winnow's bucket step wrote. The `.remove`, `.clusters` and `.sizes` files must be equal
byte for byte; with `survivor: first` the removed count is the same but the survivors differ.
Run: python bench/parity/minhash_cluster_parity.py
With datatrove 0.2.0 (FineWeb's; `parent[root(b)] = root(a)`, no sizes, and `.clusters` without
the roots that only ever appear first in a pair) the check is `survivor: fineweb-2024` on `.remove`:
     python bench/parity/minhash_cluster_parity.py
"""
import filecmp, os, shutil, subprocess, tempfile
from importlib.metadata import version
from datatrove.pipeline.dedup.minhash import MinhashConfig, MinhashDedupCluster
OLD = version("datatrove").startswith("0.2.")
if OLD:
    CFG = MinhashConfig(use_64bit_hashes=True)
else:
    from datatrove.utils.hashing import HashConfig
    CFG = MinhashConfig(hash_config=HashConfig(hash_fc="sha1", precision=64), num_buckets=14, hashes_per_bucket=8)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "..", "shared", "data")
work = tempfile.mkdtemp()
results = {}
for survivor in (("fineweb-2024",) if OLD else ("datatrove-current",)) + ("first",):
    yaml = os.path.join(work, f"mh-{survivor}.yaml")
    open(yaml, "w").write(f"""name: mh
steps:
  - name: dedup
    input: {{paths: [{DATA}/warc/bench/bench-text.jsonl.gz]}}
    minhash: {{shingles: words, ngrams: 5, bands: 14, rows: 8, hash: sha1, bits: 64, survivor: {survivor}, cluster_ids: true, cluster_sizes: true}}
""")
    run = os.path.join(work, survivor)
    subprocess.run([os.path.join(ROOT, ".build/release/winnow"), "run", yaml, "--output-dir", run, "--workers", "0", "--progress", "none"],
                   check=True, capture_output=True)
    ours = os.path.join(run, "steps/dedup.cluster")
    theirs = os.path.join(work, f"dt-{survivor}")
    if OLD:
        MinhashDedupCluster(input_folder=os.path.join(run, "steps/dedup.buckets"), output_folder=theirs, config=CFG).run()
    else:
        MinhashDedupCluster(input_folder=os.path.join(run, "steps/dedup.buckets"), output_folder=theirs, config=CFG,
                            save_cluster_id=True, save_cluster_size=True).run()
    same = {ext: filecmp.cmp(os.path.join(ours, f"00000.{ext}"), os.path.join(theirs, f"000000.{ext}"), shallow=False)
            for ext in (("remove",) if OLD else ("remove", "clusters", "sizes"))}
    removed = os.path.getsize(os.path.join(ours, "00000.remove")) // 4
    print(f"datatrove {version('datatrove')}, survivor: {survivor:18} removed {removed} of 3380; identical to datatrove's cluster step: {same}")
shutil.rmtree(work)
