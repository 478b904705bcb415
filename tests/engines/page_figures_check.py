"""Drives Debian's Chromium, headless, through answers of `brikg serve`'s page over articles that
report figures at several dates, in several units and currencies: a thing's figures (a line over
time for each measure at two dates or more), every statistic read as words, and a free SPARQL
answer whose cells are countries, shaded by its number. Prints what the page showed as JSON on
stdout and keeps screenshots in the directory given.

    python3 tests/engines/page_figures_check.py BASE_URL SCREENSHOT_DIR
"""
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from cdp import Browser  # noqa: E402

COUNTRY_COUNTS = """PREFIX brikg: <https://w3id.org/brikg/ontology#>
SELECT ?country (COUNT(DISTINCT ?x) AS ?things)
WHERE {
  GRAPH ?g { ?x brikg:locatedIn|brikg:signatory|brikg:country|brikg:establishedBy ?country }
  GRAPH ?r { ?country a brikg:Country }
}
GROUP BY ?country
ORDER BY DESC(?things) ?country"""


SMALL_AND_LARGE = """SELECT ?country
WHERE { VALUES ?country { <https://w3id.org/brikg/id/country/SG> <https://w3id.org/brikg/id/country/CN> } }"""


def fresh(b, url):
    b.js("document.getElementById('main') && document.getElementById('main').replaceChildren()")
    b.goto(url)
    b.wait("document.querySelectorAll('#results tbody tr').length > 0")


def main(argv):
    base, shots = argv[1], argv[2]
    out = {}
    b = Browser(width=1280, height=1000)
    try:
        # A thing's figures: lines over time above the table.
        fresh(b, base + "#/query/statistics/run?subject=nkalora-deepwater-port")
        out["lines"] = b.js("[...document.querySelectorAll('.line-box figcaption')].map(c => c.textContent)")
        out["points"] = b.js("[...document.querySelectorAll('.line-box')].map(f => [...f.querySelectorAll('circle title')].map(t => t.textContent))")
        out["line download"] = b.js("[...document.querySelectorAll('.line-box .svg-download')].map(a => a.getAttribute('download'))")
        b.shot_element(".line-box", os.path.join(shots, "page-line.png"))

        # Every statistic: the figure cell as words, its exact value in the title.
        fresh(b, base + "#/query/statistics/run")
        out["figures"] = b.js(
            "[...document.querySelectorAll('#results tbody tr')].map(r => { const f = r.querySelector('.fig');"
            " return [r.cells[0].textContent, r.cells[1].textContent, f.textContent, f.title]; })")

        # A free SPARQL answer whose cells are country resources: a map shaded by its number.
        fresh(b, base + "#/sparql?query=" + urllib.parse.quote(COUNTRY_COUNTS, safe=""))
        b.wait("!!document.querySelector('#map')")
        out["shades"] = b.js(
            "Object.fromEntries([...document.querySelectorAll('#map path.in')].map(p => [p.dataset.a2, p.style.getPropertyValue('--t')]))")
        out["csv"] = b.js("fetch(document.querySelector('.downloads a').href).then(r => r.text())")
        out["labels"] = b.js("[...document.querySelectorAll('#map path.in')].map(p => p.getAttribute('aria-label')).sort()")
        out["legend"] = b.js("document.querySelector('.map-box .legend').textContent")
        out["bars"] = b.js("document.querySelectorAll('.bar-box rect.bar').length")
        b.shot_element(".map-box", os.path.join(shots, "page-map-shaded.png"))
        b.color_scheme("dark")
        b.shot(os.path.join(shots, "page-map-shaded-dark.png"))
        # A country too small for the map at 1:110m: named under the map, kept in the table.
        b.color_scheme("light")
        fresh(b, base + "#/sparql?query=" + urllib.parse.quote(SMALL_AND_LARGE, safe=""))
        b.wait("!!document.querySelector('#map')")
        out["small filled"] = b.js("[...document.querySelectorAll('#map path.in')].map(p => p.dataset.a2)")
        out["small missing"] = b.js("document.getElementById('map-missing').textContent")
        out["errors"] = [l for l in b.logs() if l.startswith("EXC")]
    finally:
        b.close()
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main(sys.argv)
