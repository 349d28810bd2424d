#!/bin/sh
# Trains the tiny M1 the WinnowCompress tests use and copies it into their fixtures.
#   sh bench/eiw/make_fixture.sh   (from the repository root, after swift build -c release)
set -e
W=${WINNOW:-.build/release/winnow}
$W eiw train-m1 --prepare-only --output-dir out/eiw/m1-tiny samples/text/web-sample.jsonl.gz \
  ../shared/data/zh-web/chinesewebtext/quality_clean_10docs.jsonl
rm -rf out/eiw/m1-tiny/checkpoints out/eiw/m1-tiny/metrics.jsonl
nice -n 10 $W lm train bench/eiw/m1-tiny.yaml
mkdir -p Tests/WinnowCompressTests/Fixtures/m1-tiny
CK=$(ls -d out/eiw/m1-tiny/checkpoints/step-* | tail -1)
cp "$CK/model.safetensors" Tests/WinnowCompressTests/Fixtures/m1-tiny/
# Only the model section matters to the tests; keep the file small and free of local paths.
python3 -c "import json,sys; c=json.load(open('$CK/config.json')); json.dump({'model': c['model']}, open('Tests/WinnowCompressTests/Fixtures/m1-tiny/config.json','w'), indent=1)"
ls -l Tests/WinnowCompressTests/Fixtures/m1-tiny
