"""Run SPARQL queries with rdflib, an engine independent of Oxigraph, and print SPARQL TSV.

Usage: python rdflib_query.py DATA.nq QUERY.rq [QUERY2.rq ...]

Loads the N-Quads file into an rdflib Dataset whose default graph is its own, empty graph
(as in Oxigraph, Fuseki): the named graphs are kept and only GRAPH patterns see them. Then, for
each query file, prints a line `## NAME` (the file name without `.rq`) followed by the results in
the W3C SPARQL 1.1 TSV format, with every term written exactly as Oxigraph's TSV writer
(sparesults) writes it, so the two engines' outputs can be compared line by line. Rows are printed
in the order rdflib returns them.

tests/cross_engine.rs runs this script; scripts/install-deps installs rdflib in .venv/.
"""

import re
import sys
from pathlib import Path

import rdflib
import rdflib.plugins.sparql
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

# Keep lexical forms as written ("140000000000" stays "140000000000"), like Oxigraph.
rdflib.NORMALIZE_LITERALS = False
# rdflib's SPARQL default graph is by default the union of all graphs; SPARQL 1.1 and Oxigraph
# make it the store's own default graph, which is empty here.
rdflib.plugins.sparql.SPARQL_DEFAULT_GRAPH_UNION = False

# The Turtle grammar's numeric and boolean literal productions: Oxigraph writes a literal of
# these datatypes bare when its lexical form matches the production, quoted with ^^ otherwise.
TURTLE_BARE = {
    XSD.boolean: re.compile(r"true|false"),
    XSD.integer: re.compile(r"[+-]?[0-9]+"),  # [19] INTEGER
    XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+"),  # [20] DECIMAL
    XSD.double: re.compile(  # [21] DOUBLE
        r"[+-]?([0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.[0-9]+[eE][+-]?[0-9]+|[0-9]+[eE][+-]?[0-9]+)"
    ),
}

# The escapes of Oxigraph's TSV writer (write_tsv_quoted_str); every other character is kept.
TSV_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r", '"': '\\"', "\\": "\\\\"}


def quoted(lexical):
    return '"' + "".join(TSV_ESCAPES.get(c, c) for c in lexical) + '"'


def tsv_term(term):
    """One RDF term as Oxigraph's SPARQL TSV writer writes it; None (unbound) is empty."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return "<" + str(term) + ">"
    if isinstance(term, BNode):
        return "_:" + str(term)  # labels are engine-specific; the bundled queries return none
    if isinstance(term, Literal):
        lexical = str(term)
        if term.language is not None:
            return quoted(lexical) + "@" + term.language
        datatype = term.datatype
        if datatype is None or datatype == XSD.string:
            return quoted(lexical)
        bare = TURTLE_BARE.get(datatype)
        if bare is not None and bare.fullmatch(lexical):
            return lexical
        return quoted(lexical) + "^^<" + str(datatype) + ">"
    raise TypeError(f"not an RDF term: {term!r}")


def main(argv):
    if len(argv) < 3:
        sys.exit("usage: rdflib_query.py DATA.nq QUERY.rq [QUERY2.rq ...]")
    dataset = rdflib.Dataset(default_union=False)
    dataset.parse(argv[1], format="nquads")
    out = []
    for path in map(Path, argv[2:]):
        result = dataset.query(path.read_text(encoding="utf-8"))
        if result.type != "SELECT":
            sys.exit(f"{path}: only SELECT queries are supported, not {result.type}")
        variables = list(result.vars)
        out.append(f"## {path.stem}")
        out.append("\t".join("?" + str(v) for v in variables))
        for row in result:
            out.append("\t".join(tsv_term(row[v]) for v in variables))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(sys.argv)
