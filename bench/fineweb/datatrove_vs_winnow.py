#!/usr/bin/env python3
"""FineWeb's first processing step, datatrove 0.10.1 vs Winnow, on one WARC file, one core each.

datatrove (mirrors examples/fineweb.py, step 1, without the exclusion writers):
  WarcReader → URLFilter() → Trafilatura(favour_precision=True) → LanguageFilter(languages=["en"])
  → GopherRepetitionFilter() → GopherQualityFilter() → C4QualityFilter(filter_no_terminal_punct=False)
  → FineWebQualityFilter() → JsonlWriter, LocalPipelineExecutor(tasks=1, workers=1).
Winnow: step `filtered` of pipelines/fineweb.yaml with tasks: 1, run with --workers 0 (in-process).
Its url_filter gets `block_lists:` = the UT1 domains/urls lists datatrove's URLFilter() unpacks
from its own assets, so both sides apply the same URL block lists.

--no-block-lists runs both without the UT1 domain/URL lists (same banned/soft-banned word and
subword lists), to separate that fixed list-loading cost from document processing.

Both tools are pinned to one core with `taskset -c CORE` (datatrove's Trafilatura sandbox process
inherits the affinity). Wall time is the whole process (interpreter start, imports, list/model
loading included) as seen from here; MB/s is the size of the (compressed) WARC file / wall time.

The language model is samples/models/lid.176.ftz (quantized) for both tools: the network is not
available, so the script places it where datatrove would cache its lid.176.bin download, and
marks that download completed.

Run (with datatrove's venv):
  python bench/fineweb/datatrove_vs_winnow.py [--warc PATH] [--repeat N] [--core C]
Needs in that venv: datatrove 0.10.1, trafilatura + lxml_html_clean, fasttext-numpy2-wheel, warcio,
faust-cchardet, python-magic, aiohttp (fsspec needs it to parse the model's https URL), fasteners,
pyahocorasick, tldextract.
"""
import argparse, gzip, json, os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WINNOW = os.path.join(ROOT, ".build/release/winnow")
LID_FTZ = os.path.join(ROOT, "samples/models/lid.176.ftz")


# ---------------------------------------------------------------- datatrove (child process) --

def datatrove_child(warc, out_dir, log_dir, block_lists="1"):
    """Runs inside `taskset -c CORE python this_script --datatrove-child ...`; prints one JSON line."""
    t0 = time.perf_counter()
    import warnings
    warnings.filterwarnings("ignore")
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.filters import (C4QualityFilter, FineWebQualityFilter, GopherQualityFilter,
                                            GopherRepetitionFilter, LanguageFilter, URLFilter)
    from datatrove.pipeline.readers import WarcReader
    from datatrove.pipeline.writers.jsonl import JsonlWriter
    from datatrove.utils._import_utils import ASSETS_PATH

    if block_lists == "1":
        url_filter = URLFilter()
    else:  # --no-block-lists: the same word lists, without the UT1 domain/URL lists
        def words(name):
            with open(os.path.join(ASSETS_PATH, name)) as fh:
                return [line for line in fh if line.strip()]
        url_filter = URLFilter(use_integrated_lists=False, banned_words=words("banned_words.txt"),
                               banned_subwords=words("banned_subwords.txt"),
                               soft_banned_words=words("soft_banned_words.txt"))

    executor = LocalPipelineExecutor(
        pipeline=[
            WarcReader(os.path.dirname(warc), glob_pattern=os.path.basename(warc)),
            url_filter,
            Trafilatura(favour_precision=True),
            # datatrove 0.10.1's LanguageFilter() default is languages=None (any language scoring
            # > 0.65); FineWeb keeps English, as Winnow's `languages: [en]` does.
            LanguageFilter(languages=["en"]),
            GopherRepetitionFilter(),
            GopherQualityFilter(),
            C4QualityFilter(filter_no_terminal_punct=False),
            FineWebQualityFilter(),
            JsonlWriter(out_dir),
        ],
        tasks=1,
        workers=1,
        logging_dir=log_dir,
    )
    t1 = time.perf_counter()
    executor.run()
    t2 = time.perf_counter()
    kept = 0
    for name in sorted(os.listdir(out_dir)):
        with gzip.open(os.path.join(out_dir, name), "rt", encoding="utf-8") as fh:
            kept += sum(1 for _ in fh)
    stages = []  # (step name, docs it passed on)
    with open(os.path.join(log_dir, "stats.json")) as fh:
        for st in json.load(fh):
            d = st["stats"]
            if "WRITER" in st["name"]:
                continue
            if "total" in d:  # filters and extractors
                n = d.get("forwarded", 0)
            elif isinstance(d.get("documents"), dict):  # reader
                n = d["documents"]["total"]
            else:
                continue
            if n is not None:
                stages.append((st["name"].split(": ", 1)[-1], n))
    print(json.dumps({"kept": kept, "import_s": t1 - t0, "run_s": t2 - t1, "stages": stages}))


# ---------------------------------------------------------------------------- set-up (parent) --

def place_lid_model():
    """Put lid.176.ftz where datatrove's FT176LID looks for its downloaded lid.176.bin."""
    from fsspec.core import strip_protocol
    from huggingface_hub import cached_assets_path
    from datatrove.utils.lid import FT176LID
    # Same computation as datatrove.io.cached_asset_path_or_download (needs aiohttp for https).
    d = cached_assets_path(library_name="datatrove", namespace="lid", subfolder=FT176LID.MODEL_SUBFOLDER)
    path = os.path.join(d, strip_protocol(FT176LID.MODEL_URL).replace("/", "_"))
    if os.path.islink(path) or os.path.exists(path):
        if not (os.path.islink(path) and os.path.realpath(path) == os.path.realpath(LID_FTZ)):
            if os.path.getsize(path) != os.path.getsize(LID_FTZ):
                sys.exit(f"{path} exists and is not {LID_FTZ} (a real lid.176.bin?); move it away first")
    else:
        os.symlink(LID_FTZ, path)
    open(path + ".completed", "a").close()
    return path


def url_block_lists():
    """Unpack datatrove's integrated URL block lists (what URLFilter() does on first use); return the dir."""
    import warnings
    warnings.filterwarnings("ignore")
    from huggingface_hub import cached_assets_path
    from datatrove.pipeline.filters import URLFilter
    URLFilter().download_data()
    d = str(cached_assets_path(library_name="datatrove", namespace="filters", subfolder="url_filter"))
    for f in ("domains", "urls"):
        if not os.path.exists(os.path.join(d, f)):
            sys.exit(f"missing {f} in {d}")
    return d


WINNOW_YAML = """\
# Step `filtered` of pipelines/fineweb.yaml, one task, one WARC (written by {script})
name: fineweb_bench
steps:
  - name: filtered
    input:
      paths: [{warc}]
      format: warc
      record_types: [response]
    tasks: 1
    stages:
      - http_status_filter: {{allow: [200]}}
      - url_filter: {{lists: {root}/configs/url_filter{block_opt}}}
      - charset_decode
      - html_extract
      - langid: {{model: {root}/samples/models/lid.176.ftz, languages: [en], threshold: 0.65}}
      - gopher_repetition
      - gopher_quality
      - c4_quality: {{filter_no_terminal_punct: false}}
      - fineweb_quality
"""


# ------------------------------------------------------------------------------------ runs --

def run_datatrove(warc, core, tmp, timeout, block_lists):
    out, logs = tempfile.mkdtemp(dir=tmp, prefix="dt-out-"), tempfile.mkdtemp(dir=tmp, prefix="dt-logs-")
    cmd = ["taskset", "-c", str(core), sys.executable, os.path.abspath(__file__), "--datatrove-child", warc, out, logs, "1" if block_lists else "0"]
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    wall = time.perf_counter() - t
    if r.returncode != 0:
        sys.stderr.write(r.stderr[-5000:])
        sys.exit(f"datatrove failed (rc {r.returncode}); logs in {logs}")
    res = json.loads(r.stdout.strip().splitlines()[-1])
    res["wall"] = wall
    return res


def run_winnow(yaml_path, core, tmp, timeout):
    out = tempfile.mkdtemp(dir=tmp, prefix="winnow-out-")
    cmd = ["taskset", "-c", str(core), WINNOW, "run", yaml_path, "--output-dir", out, "--workers", "0", "--progress", "none"]
    t = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    wall = time.perf_counter() - t
    if r.returncode != 0:
        sys.stderr.write(r.stdout[-3000:] + r.stderr[-3000:])
        sys.exit(f"winnow failed (rc {r.returncode}); run dir {out}")
    step_dir = os.path.join(out, "steps", "filtered")
    kept = 0
    for name in sorted(os.listdir(step_dir)):
        if name.endswith(".jsonl.zst"):
            data = subprocess.run(["zstd", "-dc", os.path.join(step_dir, name)], capture_output=True, check=True).stdout
            kept += data.count(b"\n")
    stats = json.load(open(os.path.join(out, "stats.json")))
    written = sum(s.get("written", 0) for s in stats["steps"])
    if written != kept:
        print(f"warning: winnow stats.json says {written} written, output has {kept} lines", file=sys.stderr)
    st = stats["steps"][0]
    stages = [("read", st["read"]["docs_out"])] + [(x["name"], x["docs_out"]) for x in st["stages"]]
    return {"kept": kept, "wall": wall, "summary": r.stdout, "stages": stages}


def main():
    if len(sys.argv) == 6 and sys.argv[1] == "--datatrove-child":
        return datatrove_child(*sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--warc", default=os.path.join(ROOT, "../shared/data/warc/bench/bench-60mb.warc.gz"),
                    help="WARC file (default: ../shared/data/warc/bench/bench-60mb.warc.gz from the repo root)")
    ap.add_argument("--repeat", type=int, default=1, help="runs per tool; the median wall time is reported")
    ap.add_argument("--core", type=int, default=0, help="CPU both tools are pinned to (taskset -c)")
    ap.add_argument("--timeout", type=float, default=1200, help="seconds allowed per run")
    ap.add_argument("--keep-tmp", action="store_true", help="keep the outputs (printed path)")
    ap.add_argument("--no-block-lists", action="store_true",
                    help="both tools without the 124 MB UT1 domain/URL block lists (word lists kept): "
                         "datatrove URLFilter(use_integrated_lists=False, <its word lists>), Winnow no block_lists:")
    ap.add_argument("--show-winnow-summary", action="store_true", help="print Winnow's per-stage table")
    a = ap.parse_args()
    warc = os.path.realpath(a.warc)
    if not os.path.isfile(warc):
        sys.exit(f"no such WARC: {warc}")
    mb = os.path.getsize(warc) / 1e6

    model_path = place_lid_model()
    block = None if a.no_block_lists else url_block_lists()
    tmp = tempfile.mkdtemp(prefix="dt-vs-winnow-")
    yaml_path = os.path.join(tmp, "fineweb-filtered.yaml")
    with open(yaml_path, "w") as fh:
        fh.write(WINNOW_YAML.format(script=os.path.relpath(__file__, ROOT), warc=warc, root=ROOT,
                                    block_opt=f", block_lists: {block}" if block else ""))

    print(f"WARC: {warc} ({mb:.1f} MB); core {a.core}; {a.repeat} run(s) each, median wall time")
    print(f"Language model: {os.path.relpath(LID_FTZ, ROOT)} (quantized .ftz) stands in for lid.176.bin in BOTH tools")
    print(f"  (datatrove reads it via {model_path})")
    if block:
        print(f"URL block lists (datatrove's integrated UT1 lists, also given to Winnow): {block}")
    else:
        print("URL filter without the UT1 domain/URL block lists (banned/soft-banned words and subwords only)")
    dt_runs, w_runs = [], []
    try:
        for i in range(a.repeat):
            w_runs.append(run_winnow(yaml_path, a.core, tmp, a.timeout))
            print(f"  run {i + 1}: winnow    {w_runs[-1]['wall']:8.2f} s, {w_runs[-1]['kept']} docs kept", flush=True)
            dt_runs.append(run_datatrove(warc, a.core, tmp, a.timeout, block is not None))
            d = dt_runs[-1]
            print(f"  run {i + 1}: datatrove {d['wall']:8.2f} s, {d['kept']} docs kept "
                  f"(imports+setup {d['import_s']:.2f} s, executor.run {d['run_s']:.2f} s)", flush=True)
        if a.show_winnow_summary:
            print(w_runs[-1]["summary"])
    finally:
        if a.keep_tmp:
            print(f"outputs kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    for name, runs in (("datatrove", dt_runs), ("winnow", w_runs)):
        if len({r["kept"] for r in runs}) > 1:
            print(f"warning: {name} kept different numbers of docs across runs: {[r['kept'] for r in runs]}")
    dt_wall = statistics.median(r["wall"] for r in dt_runs)
    w_wall = statistics.median(r["wall"] for r in w_runs)
    rows = [("datatrove 0.10.1", dt_wall, dt_runs[-1]["kept"]), ("winnow", w_wall, w_runs[-1]["kept"])]
    print()
    print(f"{'tool':<18}{'wall s':>10}{'MB/s WARC':>12}{'docs kept':>11}")
    for name, wall, kept in rows:
        print(f"{name:<18}{wall:>10.2f}{mb / wall:>12.3f}{kept:>11}")
    print(f"speed ratio (datatrove wall / winnow wall): {dt_wall / w_wall:.1f}x")
    print("docs left after each stage:")
    for name, runs in (("datatrove", dt_runs), ("winnow", w_runs)):
        print(f"  {name}: " + " → ".join(f"{s} {n}" for s, n in runs[-1]["stages"]))


if __name__ == "__main__":
    main()
