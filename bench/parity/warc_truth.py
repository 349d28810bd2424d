#!/usr/bin/env python3
"""Independent ground truth for Winnow's Swift WARC reader, produced with warcio.

Walks every file under <warc-dir>/{commoncrawl,other-crawlers,edge-cases}
(sorted by relative path; bench/ is excluded from the per-record section) and,
for each record warcio's ArchiveIterator yields (arc2warc=False), records the
WARC headers of interest, raw payload length/SHA-1 (bytes after the HTTP header
block, not dechunked or decoded), the payload/block digest checks, and the
payload as decoded by warcio's content_stream() (dechunked + Content-Encoding).
Errors warcio raises while iterating are recorded, not fatal (edge-case files
are corrupt on purpose). A separate "gzip_members" section, computed with plain
zlib (no warcio), lists gzip member counts and decompressed sizes for every .gz
file, plus warc/bench/bench-60mb.warc.gz (with warcio record counts).

Run (from the repo root):
  python bench/parity/warc_truth.py ../shared/data/warc \
      > Tests/WinnowIOTests/Fixtures/warc-truth.json

Per-record passes (each a fresh ArchiveIterator over the file):
  A  parse_http, check_digests=True: headers, raw payload (rec.raw_stream.read()),
     warcio's own digest verdict, record offset/length.
  B  parse_http: rec.content_stream().read() -> decoded payload.
  C  no_record_parse=True: rec.raw_stream.read() -> whole block (block digest,
     HTTP header block length).
Notes on fields:
  target_uri is the header value as written in the file; warcio strips <...>
  and %20-encodes spaces, given in target_uri_warcio when it differs.
  http_status is set for records whose parsed HTTP block is a response
  (response / revisit); null otherwise.
  Digests: sha1 values in base32, base16, base64 or base64url are decoded and
  compared with the SHA-1 of the bytes (*_digest_encoding given when not
  base32; "invalid" = undecodable, matches false); *_digest_matches is null if
  the header is absent or not sha1.
  truncated: the block ended before Content-Length bytes (missing_bytes says
  how many); for ARC the length also covers the filedesc version/spec lines,
  which warcio consumes as header, so that block is legitimately empty.
  gzip_members[f].warcio_on_decompressed_stream: warcio over the concatenated
  zlib output of all members, i.e. ignoring gzip member boundaries (warcio's
  normal iterator never reads a record across a member boundary).
  decoded_fallback lists warcio's silent best-guess fallbacks (chunked parse
  failed -> rest read as-is; Content-Encoding failed on first block ->
  identity); these outputs are warcio behaviour, not necessarily "correct".
"""

import base64
import contextlib
import hashlib
import importlib.metadata
import io
import json
import logging
import os
import sys
import zlib

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import BufferedReader, ChunkedDataReader
from warcio.recordloader import ArcWarcRecordLoader

SUBDIRS = ("commoncrawl", "other-crawlers", "edge-cases")
BENCH_FILE = "bench/bench-60mb.warc.gz"

# --- keep the URI exactly as written, before warcio normalises it ----------
_orig_ensure = ArcWarcRecordLoader._ensure_target_uri_format


def _ensure_keep_raw(self, rec_headers):
    rec_headers.raw_target_uri = rec_headers.get_header("WARC-Target-URI")
    return _orig_ensure(self, rec_headers)


ArcWarcRecordLoader._ensure_target_uri_format = _ensure_keep_raw


class _ListHandler(logging.Handler):
    def __init__(self):
        super().__init__()
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def captured():
    """Capture warcio's direct stderr writes and its logger warnings."""
    buf = io.StringIO()
    handler = _ListHandler()
    log = logging.getLogger("warcio")
    log.addHandler(handler)
    log.propagate = False
    out = {"stderr": buf, "log": handler.messages}
    try:
        with contextlib.redirect_stderr(buf):
            yield out
    finally:
        log.removeHandler(handler)
        log.propagate = True


def _msgs(cap):
    lines = [l.strip() for l in cap["stderr"].getvalue().splitlines() if l.strip()]
    return lines + list(cap["log"])


def sha1_b32(b):
    return base64.b32encode(hashlib.sha1(b).digest()).decode("ascii")


def decode_sha1_digest(header):
    """Return (encoding, 20-byte digest or None) for a 'sha1:...' header value,
    or (None, None) when absent / not sha1. Accepts the RFC 3548 encodings
    warcio accepts: base32, base16 (hex), base64, base64url."""
    if header is None:
        return None, None
    algo, _, value = header.strip().partition(":")
    if algo.strip().lower() != "sha1":
        return None, None
    value = value.strip()
    try:
        if len(value) == 32:
            raw, enc = base64.b32decode(value.upper()), "base32"
            if value != value.upper():
                enc = "base32-lowercase"
        elif len(value) == 40:
            raw, enc = bytes.fromhex(value), "base16"
        elif len(value) in (27, 28):
            enc = "base64url" if ("-" in value or "_" in value) else "base64"
            v = value.replace("-", "+").replace("_", "/")
            raw = base64.b64decode(v + "=" * (-len(v) % 4), validate=True)
        else:
            return "invalid", None
    except (ValueError, base64.binascii.Error):
        return "invalid", None
    return (enc, raw) if len(raw) == 20 else ("invalid", None)


def digest_check(header, data_sha1):
    """(matches, encoding): matches is None if header absent / not sha1."""
    enc, raw = decode_sha1_digest(header)
    if enc is None:
        return None, None
    return raw == data_sha1, enc


def to_int(v):
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def err(e):
    return {"class": type(e).__name__, "message": str(e).strip()[:500]}


def run_pass(path, per_record, **kw):
    """Iterate with warcio; call per_record(index, rec, it) for each record.
    Returns (count, error-or-None, captured messages)."""
    n = 0
    error = None
    with captured() as cap, (open(path, "rb") if isinstance(path, str) else contextlib.nullcontext(path)) as fh:
        try:
            it = ArchiveIterator(fh, arc2warc=False, **kw)
            for rec in it:
                per_record(n, rec, it)
                n += 1
        except Exception as e:  # corrupt files are expected
            error = err(e)
            error["records_before_error"] = n
    return n, error, _msgs(cap)


def header(rec, name):
    return rec.rec_headers.get_header(name)


def http_header(rec, name):
    if rec.http_headers is None:
        return None
    return rec.http_headers.get_header(name)


def analyse_file(path):
    recs = []

    # ---- pass A: metadata + raw payload --------------------------------
    def pass_a(i, rec, it):
        is_arc = rec.format == "arc"
        raw_uri = getattr(rec.rec_headers, "raw_target_uri", None)
        uri = header(rec, "uri") if is_arc else header(rec, "WARC-Target-URI")
        if is_arc:
            raw_uri = uri
        cl_raw = header(rec, "length") if is_arc else header(rec, "Content-Length")
        with captured() as cap:
            payload = rec.raw_stream.read()
        d = {
            "index": i,
            "format": rec.format,
            "warc_version": None if is_arc else rec.rec_headers.protocol,
            "warc_type": rec.rec_type,
            "record_id": None if is_arc else header(rec, "WARC-Record-ID"),
            "target_uri": raw_uri,
            "content_length": to_int(cl_raw),
            "has_http_headers": rec.http_headers is not None,
            "http_status": None,
            "raw_payload_len": len(payload),
            "raw_payload_sha1_b32": sha1_b32(payload),
            "payload_digest_header": header(rec, "WARC-Payload-Digest"),
            "block_digest_header": header(rec, "WARC-Block-Digest"),
            "http_content_type": http_header(rec, "Content-Type"),
            "warc_identified_payload_type": header(rec, "WARC-Identified-Payload-Type"),
            "transfer_encoding": http_header(rec, "Transfer-Encoding"),
            "content_encoding": http_header(rec, "Content-Encoding"),
        }
        if is_arc:
            d["arc_content_type"] = header(rec, "content-type")
        if uri != raw_uri:
            d["target_uri_warcio"] = uri
        if cl_raw is not None and to_int(cl_raw) is None:
            d["content_length_raw"] = cl_raw
        if rec.http_headers is not None and rec.rec_type in ("response", "revisit"):
            d["http_status"] = to_int(rec.http_headers.get_statuscode())
        d["payload_digest_matches"], enc = digest_check(d["payload_digest_header"],
                                                        hashlib.sha1(payload).digest())
        if enc not in (None, "base32"):
            d["payload_digest_encoding"] = enc
        dc = rec.digest_checker
        if dc is not None and dc.problems:
            d["warcio_digest_problems"] = list(dc.problems)
        m = _msgs(cap)
        if m:
            d["warcio_messages_raw_read"] = m
        d["offset"] = it.get_record_offset()
        d["record_length"] = it.get_record_length()
        recs.append(d)

    n_a, err_a, msgs_a = run_pass(path, pass_a, check_digests=True)

    # ---- pass B: decoded payload via content_stream() -------------------
    decoded = {}

    def pass_b(i, rec, it):
        out = {"record_id": header(rec, "WARC-Record-ID")}
        with captured() as cap:
            try:
                s = rec.content_stream()
                data = s.read()
                out["decoded_payload_len"] = len(data)
                out["decoded_payload_sha1_hex"] = hashlib.sha1(data).hexdigest()
                fb = []
                if isinstance(s, ChunkedDataReader) and s.not_chunked:
                    fb.append("chunked parse failed; remainder passed through as-is")
                if isinstance(s, BufferedReader):
                    enc = (http_header(rec, "Content-Encoding") or "").lower()
                    if enc in BufferedReader.get_supported_decompressors():
                        if s.decompressor is None:
                            fb.append("content-encoding %s not decodable; passed through as identity" % enc)
                        elif s.decomp_type != enc:
                            fb.append("content-encoding %s decoded as %s" % (enc, s.decomp_type))
                    elif enc:
                        fb.append("content-encoding %s unsupported by warcio; not decoded" % enc)
                if fb:
                    out["decoded_fallback"] = fb
            except Exception as e:
                out["decoded_error"] = "%s: %s" % (type(e).__name__, str(e).strip()[:300])
        m = _msgs(cap)
        if m:
            out["warcio_messages_decode"] = m
        decoded[i] = out

    n_b, err_b, _ = run_pass(path, pass_b)

    # ---- pass C: whole block ----------------------------------------------
    blocks = {}

    def pass_c(i, rec, it):
        b = rec.raw_stream.read()
        # LimitReader.limit > 0 after reading to EOF: fewer bytes than declared
        short = getattr(rec.raw_stream, "limit", 0) or 0
        blocks[i] = (header(rec, "WARC-Record-ID"), len(b), sha1_b32(b),
                     hashlib.sha1(b).digest(), short)

    n_c, err_c, _ = run_pass(path, pass_c, no_record_parse=True)

    discrepancies = []
    for d in recs:
        i = d["index"]
        b = decoded.get(i)
        if b is None:
            discrepancies.append("record %d missing in decode pass" % i)
        else:
            if b.pop("record_id") != d["record_id"]:
                discrepancies.append("record %d id differs in decode pass" % i)
            d.update(b)
        c = blocks.get(i)
        if c is None:
            discrepancies.append("record %d missing in block pass" % i)
        else:
            rid, blen, bsha, bdig, short = c
            if rid != d["record_id"]:
                discrepancies.append("record %d id differs in block pass" % i)
            d["block_len"] = blen
            d["block_sha1_b32"] = bsha
            d["block_digest_matches"], enc = digest_check(d["block_digest_header"], bdig)
            if enc not in (None, "base32"):
                d["block_digest_encoding"] = enc
            d["http_header_len"] = blen - d["raw_payload_len"] if d["has_http_headers"] else 0
            d["truncated"] = short > 0
            if short:
                d["missing_bytes"] = short
    for name, n, e in (("decode", n_b, err_b), ("block", n_c, err_c)):
        if n != n_a:
            discrepancies.append("%s pass saw %d records (main pass %d)" % (name, n, n_a))
        if e != err_a:
            discrepancies.append("%s pass error: %s" % (name, json.dumps(e)))

    counts = {}
    for d in recs:
        counts[d["warc_type"]] = counts.get(d["warc_type"], 0) + 1
    summary = {
        "payload_digest": {"match": 0, "mismatch": 0, "absent_or_not_sha1": 0},
        "block_digest": {"match": 0, "mismatch": 0, "absent_or_not_sha1": 0},
    }
    for d in recs:
        for k in ("payload", "block"):
            v = d.get(k + "_digest_matches")
            key = "match" if v is True else "mismatch" if v is False else "absent_or_not_sha1"
            summary[k + "_digest"][key] += 1

    return {
        "format": sorted({d["format"] for d in recs}),
        "total_records": n_a,
        "counts": counts,
        "digest_summary": summary,
        "error": err_a,
        "warcio_messages": msgs_a,
        "pass_discrepancies": discrepancies,
        "records": recs,
    }


def gzip_members(path, keep=None):
    """Walk gzip members with plain zlib (wbits=31), no warcio."""
    with open(path, "rb") as f:
        data = f.read()
    mv = memoryview(data)
    size = len(data)
    pos = members = total = 0
    parts = [] if keep is not None else None
    CH = 1 << 16
    res = {"compressed_bytes": size, "error": None}
    while pos < size:
        start = pos
        d = zlib.decompressobj(31)
        out = 0
        try:
            while not d.eof:
                if pos >= size:
                    raise EOFError("gzip member truncated (no end of stream)")
                chunk = mv[pos:pos + CH]
                pos += len(chunk)
                o = d.decompress(chunk)
                out += len(o)
                if parts is not None:
                    parts.append(o)
            pos -= len(d.unused_data)
        except (zlib.error, EOFError) as e:
            if not isinstance(e, zlib.error):
                o = d.flush()
                out += len(o)
                if parts is not None:
                    parts.append(o)
            res["error"] = {
                "class": type(e).__name__,
                "message": str(e),
                "member_index": members,
                "member_offset": start,
                "complete_members_before": members,
                "bytes_decompressed_from_bad_member": out,
            }
            break
        members += 1
        total += out
    res["members"] = members
    res["decompressed_bytes"] = total
    if keep is not None:
        keep.append(b"".join(parts))
    return res


def warcio_on_stream(data):
    """Run warcio over the zlib-decompressed concatenation of all members
    (what a reader treating the .gz as one continuous stream would see)."""
    rows = []

    def per(i, rec, it):
        b = rec.raw_stream.read()
        short = getattr(rec.raw_stream, "limit", 0) or 0
        rows.append([rec.rec_type, header(rec, "WARC-Record-ID"), len(b), short, sha1_b32(b)])

    n, e, _ = run_pass(io.BytesIO(data), per, no_record_parse=True)
    counts = {}
    for r in rows:
        counts[r[0]] = counts.get(r[0], 0) + 1
    return {"total_records": n, "counts": counts, "error": e,
            "records": rows,
            "records_columns": ["warc_type", "record_id", "block_len", "missing_bytes", "block_sha1_b32"]}


def bench_counts(path):
    counts = {}
    decoded_sum = [0]

    def per(i, rec, it):
        counts[rec.rec_type] = counts.get(rec.rec_type, 0) + 1
        if rec.rec_type == "response":
            decoded_sum[0] += len(rec.content_stream().read())

    n, e, _ = run_pass(path, per)
    return {"warcio_records": n, "warcio_counts": counts,
            "warcio_response_decoded_payload_bytes": decoded_sum[0], "warcio_error": e}


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: warc_truth.py <path/to/data/warc>")
    root = sys.argv[1]
    rels = []
    for sub in SUBDIRS:
        for dirpath, _, names in os.walk(os.path.join(root, sub)):
            for name in names:
                rels.append(os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/"))
    rels.sort()

    files = []
    gz = {}
    for rel in rels:
        path = os.path.join(root, rel)
        entry = {"file": rel, "size": os.path.getsize(path), "sha256": sha256_file(path)}
        entry.update(analyse_file(path))
        files.append(entry)
        if rel.endswith(".gz"):
            keep = []
            gz[rel] = gzip_members(path, keep)
            gz[rel]["warcio_on_decompressed_stream"] = warcio_on_stream(keep[0])
        print("%-70s %5d records  error=%s" % (rel, entry["total_records"],
              entry["error"] and entry["error"]["class"]), file=sys.stderr)

    bench = os.path.join(root, BENCH_FILE)
    if os.path.exists(bench):
        g = gzip_members(bench)
        g.update(bench_counts(bench))
        g["sha256"] = sha256_file(bench)
        gz[BENCH_FILE] = g

    out = {
        "generator": "bench/parity/warc_truth.py",
        "warcio_version": importlib.metadata.version("warcio"),
        "python_version": sys.version.split()[0],
        "zlib_version": zlib.ZLIB_RUNTIME_VERSION,
        "files": files,
        "gzip_members": gz,
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
