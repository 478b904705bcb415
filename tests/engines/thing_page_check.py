"""Drives Debian's Chromium, headless, to a thing's page on `brikg serve`'s page, as an analyst
following a story would: its figures across articles, grouped by measure, with a chart over
time where a measure has figures at two or more dates. Prints what the page showed as JSON on
stdout and keeps a screenshot in the directory given.

    python3 tests/engines/thing_page_check.py BASE_URL SCREENSHOT_DIR THING_IRI MEASURE
"""
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from cdp import Browser  # noqa: E402


def main(argv):
    base, shots, thing, measure = argv[1], argv[2], argv[3], argv[4]
    out = {}
    b = Browser()
    try:
        b.goto(base + "#/resource?iri=" + urllib.parse.quote(thing, safe=""))
        b.wait("!!document.querySelector('.across figure.measure')")
        out["title"] = b.js("document.querySelector('h1').textContent")
        out["measures"] = b.js("document.querySelectorAll('.across figure.measure').length")
        out["charts"] = b.js(
            "[...document.querySelectorAll('.across figure.measure')]"
            ".filter(f => f.querySelector('svg.chart')).map(f => f.querySelector('figcaption').textContent)")
        fig = ("[...document.querySelectorAll('.across figure.measure')]"
               f".find(f => f.querySelector('figcaption').textContent === {json.dumps(measure)})")
        out["points"] = b.js(f"[...{fig}.querySelectorAll('svg circle title')].map(t => t.textContent)")
        out["rows"] = b.js(
            f"[...{fig}.querySelectorAll('tbody tr')].map(r => [...r.cells].map(c => c.textContent))")
        out["download"] = b.js(f"{fig}.querySelector('.svg-download').getAttribute('download')")
        b.js(f"{fig}.scrollIntoView()")
        b.shot(os.path.join(shots, "thing-figures.png"), full=True)
        out["errors"] = [l for l in b.logs() if l.startswith("EXC")]
    finally:
        b.close()
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv)
