#!/usr/bin/env python3
"""Checks that Morph-KGC's output and brikg's export hold the same article graphs.

    .venv/bin/python benches/morph-kgc/compare.py BRIKG.nq MORPH.nq

Both files are read with rdflib as Datasets. Every named graph whose IRI contains
"/graph/article/" is compared with rdflib.compare.isomorphic; the ontology and reference graphs,
which the RML mapping does not produce, are left out. Prints one line per difference and a
summary; exits 0 when every article graph is isomorphic and both files name the same article
graphs, 1 otherwise. Needs rdflib (the project's .venv has it).
"""

import sys

from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

ARTICLE_GRAPH = "/graph/article/"


def article_graphs(path):
    ds = Dataset()
    ds.parse(path, format="nquads")
    graphs = {}
    for ctx in ds.graphs():
        name = ctx.identifier
        if isinstance(name, URIRef) and ARTICLE_GRAPH in str(name):
            g = Graph()
            for t in ctx:
                g.add(t)
            graphs[str(name)] = g
    return graphs


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    ours, theirs = article_graphs(argv[1]), article_graphs(argv[2])
    problems = 0
    for name in sorted(set(ours) - set(theirs)):
        print(f"only in {argv[1]}: graph <{name}> ({len(ours[name])} triples)")
        problems += 1
    for name in sorted(set(theirs) - set(ours)):
        print(f"only in {argv[2]}: graph <{name}> ({len(theirs[name])} triples)")
        problems += 1
    triples = 0
    for name in sorted(set(ours) & set(theirs)):
        a, b = ours[name], theirs[name]
        triples += len(a)
        if not isomorphic(a, b):
            problems += 1
            _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
            print(f"graph <{name}> differs: {len(a)} vs {len(b)} triples")
            for t in sorted(only_a)[:10]:
                print(f"  only in {argv[1]}: {t[0].n3()} {t[1].n3()} {t[2].n3()}")
            for t in sorted(only_b)[:10]:
                print(f"  only in {argv[2]}: {t[0].n3()} {t[1].n3()} {t[2].n3()}")
    common = len(set(ours) & set(theirs))
    verdict = "isomorphic" if problems == 0 else f"{problems} difference(s)"
    print(f"{common} article graphs compared, {triples} triples: {verdict}")
    return 0 if problems == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
