#!/usr/bin/env python3
"""Draws the brikg ontology: its classes, their hierarchy and properties, from ontology/brikg.ttl.

    .venv/bin/python scripts/ontology-diagram.py          # writes ontology/brikg.dot and .svg
    .venv/bin/python scripts/ontology-diagram.py --check  # exits 1 if either is out of date

The Graphviz source (ontology/brikg.dot) is a function of the ontology alone, written in a fixed
order, so it is byte-identical run to run; `dot -Tsvg` (Debian's graphviz) draws it, and the SVG
carries the SHA-256 of the source it was drawn from. `--check` (run by tests/ontology.rs) fails
when the ontology changed and the diagram was not regenerated; it needs rdflib, not Graphviz.

Drawn: every brikg class (a box listing its datatype properties with their ranges), every
rdfs:subClassOf between them (hollow arrows, to outside classes such as schema:Thing too), and
every object property with a brikg domain and range (labelled arrows). Individuals (comparators,
scales, event types) and the build-state properties are left out: they are values, not structure.
"""

import hashlib
import subprocess
import sys
from pathlib import Path

from rdflib import Graph, Namespace
from rdflib.namespace import OWL, RDF, RDFS

REPO = Path(__file__).resolve().parent.parent
SOURCE = REPO / "ontology" / "brikg.ttl"
DOT = REPO / "ontology" / "brikg.dot"
SVG = REPO / "ontology" / "brikg.svg"
BRIKG = Namespace("https://w3id.org/brikg/ontology#")
# The properties the build keeps to itself (never exported).
INTERNAL = {"sourceFile", "sourceDigest", "sourceStamp", "buildFingerprint", "dataSource"}


def short(graph: Graph, iri) -> str:
    prefix, _, local = graph.namespace_manager.compute_qname(iri)
    return local if prefix == "brikg" else f"{prefix}:{local}"


def dot_source() -> str:
    g = Graph()
    g.parse(SOURCE, format="turtle")
    # The ontology's own prefixes, over rdflib's defaults (which call schema.org "schema1").
    g.bind("schema", "http://schema.org/", override=True, replace=True)
    classes = sorted(c for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(str(BRIKG)))
    fields = {c: [] for c in classes}
    arrows = []
    for p in sorted(set(g.subjects(RDF.type, OWL.DatatypeProperty))):
        if not str(p).startswith(str(BRIKG)) or short(g, p) in INTERNAL:
            continue
        for d in g.objects(p, RDFS.domain):
            ranges = sorted(short(g, r) for r in g.objects(p, RDFS.range)) or ["literal"]
            if d in fields:
                fields[d].append(f"{short(g, p)}: {', '.join(ranges)}")
    for p in sorted(set(g.subjects(RDF.type, OWL.ObjectProperty))):
        if not str(p).startswith(str(BRIKG)):
            continue
        for d in sorted(g.objects(p, RDFS.domain)):
            for r in sorted(g.objects(p, RDFS.range)):
                arrows.append((short(g, d), short(g, r), short(g, p)))
    lines = [
        "// The brikg ontology: generated from ontology/brikg.ttl by scripts/ontology-diagram.py.",
        "// Do not edit: regenerate.",
        "digraph brikg {",
        '  graph [rankdir=RL, fontname="Helvetica", fontsize=10, nodesep=0.15, ranksep=0.8, splines=true];',
        '  node [shape=box, style="rounded,filled", fillcolor="#eef3fb", color="#4a6fa5", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=8, color="#555555"];',
    ]
    outside = set()
    for c in classes:
        name = short(g, c)
        label = "\\n".join([name, *sorted(fields[c])]) if fields[c] else name
        lines.append(f'  "{name}" [label="{label}"];')
    for c in classes:
        for parent in sorted(g.objects(c, RDFS.subClassOf)):
            target = short(g, parent)
            if parent not in fields:
                outside.add(target)
            lines.append(f'  "{short(g, c)}" -> "{target}" [arrowhead=empty];')
    for domain, rng, prop in arrows:
        for end in (domain, rng):
            if ":" in end:
                outside.add(end)
        lines.append(f'  "{domain}" -> "{rng}" [label="{prop}", style=dashed, constraint=false];')
    for name in sorted(outside):
        lines.append(f'  "{name}" [fillcolor="#f4f4f4", color="#999999"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def svg_of(source: str) -> str:
    digest = hashlib.sha256(source.encode()).hexdigest()
    svg = subprocess.run(
        ["dot", "-Tsvg"], input=source, capture_output=True, text=True, check=True
    ).stdout
    marker = f"<!-- drawn from ontology/brikg.dot, sha256 {digest} -->\n"
    head, _, rest = svg.partition("<svg")
    return head + marker + "<svg" + rest


def main(argv) -> int:
    source = dot_source()
    digest = hashlib.sha256(source.encode()).hexdigest()
    if "--check" in argv:
        stale = []
        if not DOT.exists() or DOT.read_text() != source:
            stale.append(str(DOT.relative_to(REPO)))
        if not SVG.exists() or f"sha256 {digest} -->" not in SVG.read_text():
            stale.append(str(SVG.relative_to(REPO)))
        if stale:
            print(
                f"out of date: {', '.join(stale)}; run .venv/bin/python scripts/ontology-diagram.py",
                file=sys.stderr,
            )
            return 1
        return 0
    DOT.write_text(source)
    SVG.write_text(svg_of(source))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
