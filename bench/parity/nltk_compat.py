"""NLTK 3.8.1 — what FineWeb ran in April 2024 — loads Punkt from `tokenizers/punkt/english.pickle`;
NLTK 3.9+ from the `punkt_tab` text files. `use_punkt_tab()` makes 3.8.1 use a punkt_tab model
(the same parameters, converted by NLTK) so both releases can be checked with the same model.
`RELEASE` is the value of Winnow's `nltk:` option that matches the NLTK imported."""
import os
from collections import defaultdict
import nltk

def _release(v):
    # The tokenizer rules of 3.8.1 hold through 3.10.0; 3.10.4 changed them (3.10.1–3.10.3 are in between).
    parts = tuple(int(x) for x in v.split(".")[:3] if x.isdigit())
    if parts <= (3, 10, 0):
        return "3.8.1"
    if parts >= (3, 10, 4):
        return "3.10.4"
    raise SystemExit(f"NLTK {v}: Winnow reproduces the tokenizers of NLTK ≤ 3.10.0 and 3.10.4")
RELEASE = _release(nltk.__version__)


def read_punkt_tab(lang_dir):
    from nltk.tokenize.punkt import PunktParameters
    def lines(name):
        with open(os.path.join(lang_dir, name), encoding="utf-8") as f:
            return [l[:-1] if l.endswith("\n") else l for l in f]
    p = PunktParameters()
    p.abbrev_types = set(lines("abbrev_types.txt"))
    p.sent_starters = set(lines("sent_starters.txt"))
    p.collocations = {tuple(l.split("\t")) for l in lines("collocations.tab")}
    p.ortho_context = defaultdict(int, {a: int(b) for a, b in (l.split("\t") for l in lines("ortho_context.tab"))})
    return p


def use_punkt_tab(root=None):
    """With NLTK 3.8, serve `tokenizers/punkt/<lang>.pickle` from `<root>/tokenizers/punkt_tab/<lang>`."""
    if not nltk.__version__.startswith("3.8"):
        return
    import nltk.tokenize as nt
    from nltk.tokenize.punkt import PunktSentenceTokenizer
    root = root or os.environ["NLTK_DATA"].split(":")[0]
    cache = {}
    original = nt.load
    def load(resource, *args, **kwargs):
        if resource.startswith("tokenizers/punkt/") and resource.endswith(".pickle"):
            lang = resource.rsplit("/", 1)[1][:-len(".pickle")]
            if lang not in cache:
                tok = PunktSentenceTokenizer()
                tok._params = read_punkt_tab(os.path.join(root, "tokenizers", "punkt_tab", lang))
                cache[lang] = tok
            return cache[lang]
        return original(resource, *args, **kwargs)
    nt.load = load
