"""How heavy the web lab is and how fast its first page is usable on loopback: figures printed (and kept in
test-artifacts/web-performance.json), not asserted, since timings depend on the machine."""
import gzip
import json

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.browser

DIST = ROOT / "web" / "dist"
RUNS = 5


def weights() -> dict:
    found = {}
    for kind in ("js", "css"):
        files = list((DIST / "assets").glob(f"*.{kind}"))
        raw = sum(f.stat().st_size for f in files)
        packed = sum(len(gzip.compress(f.read_bytes(), 9)) for f in files)
        found[kind] = {"files": len(files), "bytes": raw, "gzip_bytes": packed}
    return found


def first_load(new_context) -> dict:
    """A fresh browser (empty cache) opens /: navigation timing, and when the ideas list is on screen."""
    page = new_context().new_page()
    page.goto("/")
    page.wait_for_selector("ol.cards[aria-busy=false] > li")
    shown = page.evaluate("performance.now()")
    nav = page.evaluate("JSON.parse(JSON.stringify(performance.getEntriesByType('navigation')[0]))")
    page.context.close()
    return {"response_end_ms": nav["responseEnd"], "dom_content_loaded_ms": nav["domContentLoadedEventEnd"],
            "load_ms": nav["loadEventEnd"], "ideas_shown_ms": shown}


def test_weight_and_first_page_load(new_context, person, capsys):
    author = person("Jo").sign_in()
    for n in range(20):  # a full first page
        made = author.call("POST", "/api/ideas", json={"title": f"Idea number {n} for the first page",
                                                       "description": "Words. " * 40, "category": "other"})
        assert made.status_code == 201, made.text
    sizes = weights()
    runs = [first_load(new_context) for _ in range(RUNS)]
    median = {key: sorted(run[key] for run in runs)[RUNS // 2] for key in runs[0]}
    result = {"weights": sizes, "first_page_median_of_%d" % RUNS: median, "runs": runs}
    out = ROOT / "test-artifacts" / "web-performance.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    with capsys.disabled():
        print(f"\nweb lab: JS {sizes['js']['bytes'] / 1024:.1f} KiB ({sizes['js']['gzip_bytes'] / 1024:.1f} KiB gzip), "
              f"CSS {sizes['css']['bytes'] / 1024:.1f} KiB ({sizes['css']['gzip_bytes'] / 1024:.1f} KiB gzip)")
        print("first page on loopback, cold cache, median of %d: " % RUNS
              + ", ".join(f"{key.removesuffix('_ms').replace('_', ' ')} {value:.0f} ms" for key, value in median.items()))
    assert sizes["js"]["files"] >= 1 and all(run["ideas_shown_ms"] > 0 for run in runs)
