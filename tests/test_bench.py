"""The scale benchmark runs end to end on small generated corpora and prints every figure."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_scale_benchmark_prints_builds_increments_lookups_and_the_pipeline_comparison(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scale.py"), "--sizes", "30", "60", "--lookups-only",
         "--samples", "5", "--work", str(tmp_path)],
        capture_output=True, text=True, timeout=600, check=True,
    )  # fmt: skip
    out = done.stdout
    for size in ("30", "60"):
        assert f"{size:>7} docs:" in out
    per_size = ["rebuild with nothing changed", "adding 100 documents", "removing them again", "lookup who-held",
                "lookup post-holders", "lookup why (first 100 rows)", "lookup documents-mentioning (first 100 rows)",
                "lookup entity page", "lookup search box", "lookup network view", "lookup map",
                "lookup first page of 100: evidence", "lookup cooccurrence"]  # fmt: skip
    for figure in per_size:
        assert out.count(figure) >= 2, figure
    for figure in ("the pipeline alone", "one process:", "two extraction processes vs one"):
        assert figure in out
    # the stores stay in --work, and the lookups can be timed again on them, side by side
    again = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "scale.py"), "--lookups-at", str(tmp_path / "kg30"),
         str(tmp_path / "kg60"), "--samples", "3"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    assert again.stdout.count("lookup entity page") == 2
    assert "the first store's p50" in again.stdout
