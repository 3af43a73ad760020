"""The scale benchmark runs end to end at a tiny size (so that it cannot rot)."""

from __future__ import annotations

import importlib.util

from ._support import REPO


def test_bench_intelligence_scale_prints_every_figure(capsys) -> None:
    spec = importlib.util.spec_from_file_location("bench_intel", REPO / "benchmarks" / "bench_intelligence_scale.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = bench.main(["--cases", "400", "--queries", "5", "--exact-queries", "5", "--adds", "5",
                      "--topics-cases", "400", "--routing-rows", "300"])
    printed = capsys.readouterr().out
    for words in ("similar build:", "similar query", "recall@10", "hot topics (buckets):", "routing retraining:"):
        assert words in printed
    assert out["similar_build"]["docs"] == 405 and out["recall_above_threshold"] >= 0.8
    assert out["similar_query"]["query_p95_ms"] > 0 and out["topics"]["topics_s"] >= 0
