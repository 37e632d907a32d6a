#!/usr/bin/env python3
"""Writes a labels file for scoring the blind dev-set topics with cmd/eval.

The 60 lines of ../labels.jsonl named in dev-topics-blind.jsonl, with their topics
replaced by the blind ones. Only the `topics` row of the score is meaningful
(call/participants/date are the dev labels, not blind). Run from the repo root:

  python3 testdata/eval/holdout/dev_topic_labels.py /tmp/dev-blind-labels.jsonl
  go run ./cmd/eval -statements testdata/eval/statements-dev.jsonl \
      -labels /tmp/dev-blind-labels.jsonl -direct -misses | grep -v 'MISS \\(participants\\|dedup\\)'

The sample itself: random.Random(7).sample(sorted(ids with is_call in ../labels.jsonl), 60).
"""
import json
import random
import sys

HOLD = "testdata/eval/holdout/"
blind = {}
for line in open(HOLD + "dev-topics-blind.jsonl"):
    d = json.loads(line)
    blind[d["id"]] = d["topics"]
labels = [json.loads(l) for l in open("testdata/eval/labels.jsonl")]
calls = sorted(l["id"] for l in labels if l["is_call"])
assert sorted(blind) == sorted(random.Random(7).sample(calls, 60)), "sample does not match seed 7"
with open(sys.argv[1], "w") as out:
    for l in labels:
        if l["id"] in blind:
            l["topics"] = blind[l["id"]]
            out.write(json.dumps(l, ensure_ascii=False) + "\n")
