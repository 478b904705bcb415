"""Drives Debian's Chromium, headless, through a long answer on `brikg serve`'s page: the table
shows one page of rows at a time, says which rows of how many, and moves by its buttons. Prints
what the page showed at each step as JSON on stdout and keeps a screenshot in the directory given.

    python3 tests/engines/page_pages_check.py BASE_URL SCREENSHOT_DIR QUERY
"""
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from cdp import Browser  # noqa: E402

SEEN = """({
  range: document.getElementById('range').textContent,
  status: document.getElementById('status').textContent,
  count: document.getElementById('count').textContent,
  rows: [...document.querySelectorAll('#results tbody tr')].map(r => r.cells[0].textContent),
  disabled: [...document.querySelectorAll('.pager button')].filter(b => b.disabled).map(b => b.getAttribute('aria-label')),
})"""


def main(argv):
    base, shots, query = argv[1], argv[2], argv[3]
    out = {}
    b = Browser(width=1280, height=1000)
    try:
        b.goto(base + "#/sparql?query=" + urllib.parse.quote(query, safe=""))
        b.wait("!!document.getElementById('range')")
        out["first"] = b.js(SEEN)
        b.shot(os.path.join(shots, "page-pages.png"))
        for label, name in [("Next page", "next"), ("Last page", "last"), ("Previous page", "previous"), ("First page", "back to first")]:
            before = b.js("document.getElementById('range').textContent")
            b.js(f"document.querySelector('.pager button[aria-label=\"{label}\"]').click()")
            b.wait(f"document.getElementById('range').textContent !== {json.dumps(before)}")
            out[name] = b.js(SEEN)
        out["errors"] = [l for l in b.logs() if l.startswith("EXC")]
    finally:
        b.close()
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv)
