"""Drives Debian's Chromium, headless, through the page `brikg serve` serves, as an analyst would:
open the page, choose "standards-countries", run it, read the table; open the resource page of a
figure and read its source. Prints what the page showed as JSON on stdout, and keeps
screenshots in the directory given.

    python3 tests/engines/browser_check.py BASE_URL SCREENSHOT_DIR OBSERVATION_IRI
"""
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from cdp import Browser  # noqa: E402


def main(argv):
    base, shots, observation = argv[1], argv[2], argv[3]
    out = {}
    b = Browser()
    try:
        b.goto(base)
        b.wait("!!document.querySelector('[data-query=\"standards-countries\"]')")
        out["queries listed"] = b.js("document.querySelectorAll('[data-query]').length")
        b.js("document.querySelector('[data-query=\"standards-countries\"] a, [data-query=\"standards-countries\"]').click()")
        b.wait("!!document.getElementById('run')")
        b.js("document.getElementById('run').click()")
        b.wait("document.querySelectorAll('#results tbody tr').length > 0")
        out["status"] = b.js("document.getElementById('status').textContent")
        out["countries"] = b.js(
            "[...document.querySelectorAll('#results tbody tr')].map(r => r.cells[0].textContent.trim())")
        out["downloads"] = b.js("[...document.querySelectorAll('.downloads a')].map(a => a.getAttribute('href'))")
        b.shot(os.path.join(shots, "standards-countries.png"), full=True)
        # The resource page of a figure: its bound, unit, date and source.
        b.goto(base + "#/resource?iri=" + urllib.parse.quote(observation, safe=""))
        b.wait("!!document.querySelector('.figure .source')")
        out["figure"] = b.js("document.querySelector('.figure').innerText")
        out["source"] = b.js("document.querySelector('.figure .source').innerText")
        b.shot(os.path.join(shots, "figure.png"), full=True)
        # Readable on a phone: no horizontal scroll of the page at 375 px.
        b.size(375, 800, mobile=True)
        b.goto(base + "#/query/statistics")
        b.wait("!!document.getElementById('run')")
        b.js("document.getElementById('run').click()")
        b.wait("document.querySelectorAll('#results tbody tr').length > 0")
        out["phone page width"] = b.js("document.documentElement.scrollWidth")
        b.shot(os.path.join(shots, "phone-statistics.png"))
        out["errors"] = [l for l in b.logs() if l.startswith("EXC")]
    finally:
        b.close()
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv)
