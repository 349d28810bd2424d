"""The whole visible text Winnow reads from each of some HTML pages (`html_extract`, mode:
full), from one `winnow apply` process; shared by the HTML5 parity scripts."""
import json, os, subprocess, tempfile


def full_texts(winnow, pages):
    """Winnow's text of each page in `pages` (HTML strings), in order ('' where it dropped one)."""
    with tempfile.TemporaryDirectory() as d:
        src = os.path.join(d, "in.jsonl")
        with open(src, "w", encoding="utf-8") as f:
            for k, html in enumerate(pages):
                f.write(json.dumps({"id": str(k), "text": html}) + "\n")
        r = subprocess.run([winnow, "apply", "--keep-dropped", "--stages", "[html_extract: {mode: full}]", src],
                           capture_output=True, check=True)
    got = {}
    for line in r.stdout.decode("utf-8").split("\n"):
        if line.strip():
            doc = json.loads(line)
            got[int(doc["id"])] = "" if "dropped_by" in doc.get("metadata", {}) else doc["text"]
    return [got.get(k, "") for k in range(len(pages))]
