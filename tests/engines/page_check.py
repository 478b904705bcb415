"""Drives Debian's Chromium, headless, through the answers of `brikg serve`'s page that draw
more than a table: the world map of a question about countries, the bars of an aggregate, and
figures read as words. Prints what the page showed as JSON on stdout and keeps screenshots (the
map, a bar chart, the map on a phone and in dark mode) in the directory given.

    python3 tests/engines/page_check.py BASE_URL SCREENSHOT_DIR
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from cdp import Browser  # noqa: E402

MAP_READY = "!!document.querySelector('#map') && document.querySelectorAll('#results tbody tr').length > 0"


def run_question(b, base, name):
    b.js("document.getElementById('main') && document.getElementById('main').replaceChildren()")  # so no wait reads the last answer
    b.goto(base + "#/query/" + name + "/run")
    b.wait("document.querySelectorAll('#results tbody tr').length > 0")


def main(argv):
    base, shots = argv[1], argv[2]
    out = {}
    b = Browser(width=1280, height=1000)
    try:
        # The standards question: its four countries filled on the map, the others grey.
        run_question(b, base, "standards-countries")
        b.wait(MAP_READY)
        out["filled"] = b.js("[...document.querySelectorAll('#map path.in')].map(p => p.dataset.a2).sort()")
        out["filled names"] = b.js("[...document.querySelectorAll('#map path.in')].map(p => p.querySelector('title').textContent).sort()")
        out["grey"] = b.js("document.querySelectorAll('#map path.land:not(.in)').length")
        out["fill in / out"] = b.js(
            "[getComputedStyle(document.querySelector('#map path.in')).fill,"
            " getComputedStyle(document.querySelector('#map path.land:not(.in)')).fill]")
        out["focusable"] = b.js("[...document.querySelectorAll('#map [tabindex]')].map(p => p.dataset.a2).sort()")
        out["legend"] = b.js("document.querySelector('.map-box .legend').textContent")
        out["attribution"] = b.js("document.querySelector('.map-box .attribution').textContent")
        out["map download"] = b.js("document.querySelector('.map-box .svg-download').getAttribute('download')")
        out["alpha2 link"] = b.js("document.querySelector('#results tbody tr td:nth-child(2) a').getAttribute('href')")
        # The map as a file: the SVG behind "Download this map (SVG)", its styles inlined.
        out["map svg"] = b.js(
            "(() => { const a = document.querySelector('.map-box .svg-download'); a.dispatchEvent(new MouseEvent('click'));"
            " return fetch(a.href).then(r => r.text()).then(t => { const d = new DOMParser().parseFromString(t, 'image/svg+xml');"
            " return [d.documentElement.namespaceURI, d.querySelectorAll('style').length,"
            " [...d.querySelectorAll('path.in')].map(p => p.getAttribute('data-a2')).sort()]; }); })()")
        b.shot_element(".map-box", os.path.join(shots, "page-map.png"))
        # Keyboard: focus Italy, read the readout, Enter opens Italy's page (as its link in the table).
        b.js("document.querySelector('h1').focus()")
        for _ in range(40):  # Tab from the top of the page to Italy
            b.tab()
            if b.js("document.activeElement.dataset.a2 === 'IT'"):
                break
        out["readout"] = b.js("document.querySelector('.map-readout').textContent")
        b.enter()
        b.wait("location.hash.startsWith('#/resource')")
        out["italy page"] = b.js("decodeURIComponent(location.hash)")

        # A per-country aggregate: shaded by its number.
        run_question(b, base, "countries-by-articles")
        b.wait(MAP_READY)
        out["articles map"] = b.js("[...document.querySelectorAll('#map path.in')].map(p => p.dataset.a2).sort()")

        # An aggregate: one bar per row, in the answer's order.
        run_question(b, base, "figures-per-measure")
        b.wait("!!document.querySelector('.bar-box')")
        out["bars"] = b.js(
            "[...document.querySelectorAll('.bar-box rect.bar')].map(r => [r.querySelector('title').textContent, r.getAttribute('data-value'), r.getAttribute('height')])")
        out["bar caption"] = b.js("document.querySelector('.bar-box figcaption').textContent")
        out["bar axis labels"] = b.js("[...document.querySelectorAll('.bar-box .axis-label')].map(t => t.textContent)")
        out["bar download"] = b.js("document.querySelector('.bar-box .svg-download').getAttribute('download')")
        out["map on figures-per-measure"] = b.js("!!document.querySelector('#map')")
        b.shot_element(".bar-box", os.path.join(shots, "page-bars.png"))
        run_question(b, base, "figures-per-year")
        b.wait("!!document.querySelector('.bar-box')")
        out["year bars"] = b.js(
            "[...document.querySelectorAll('.bar-box rect.bar')].map(r => [r.getAttribute('data-value'), r.getAttribute('height')])")

        # Figures read as words, the exact value in the title; the CSV keeps the exact value.
        run_question(b, base, "investment")
        out["figures"] = b.js(
            "[...document.querySelectorAll('#results td .fig')].map(f => [f.textContent, f.title, f.tabIndex])")
        out["csv"] = b.js("fetch(document.querySelector('.downloads a').href).then(r => r.text())")
        run_question(b, base, "cr-express")
        out["cr-express figures"] = b.js("[...document.querySelectorAll('#results td .fig')].map(f => [f.textContent, f.title])")

        # On a phone, in dark mode: the map fits the width.
        b.size(375, 800, mobile=True)
        b.color_scheme("dark")
        run_question(b, base, "standards-countries")
        b.wait(MAP_READY)
        out["phone page width"] = b.js("document.documentElement.scrollWidth")
        out["phone map width"] = b.js("Math.round(document.querySelector('#map').getBoundingClientRect().width)")
        out["dark fill out"] = b.js("getComputedStyle(document.querySelector('#map path.land:not(.in)')).fill")
        b.js("document.querySelector('.map-box').scrollIntoView()")
        b.shot(os.path.join(shots, "phone-dark-map.png"))
        out["errors"] = [l for l in b.logs() if l.startswith("EXC")]
    finally:
        b.close()
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv)
