"""Runs the W3C SPARQL 1.1 Protocol test suite's requests against a running `brikg serve`.

Usage: w3c_protocol.py MANIFEST BASE_URL MODE [TOKEN]

MODE is `read-only` (the query cases and the bad requests a read-only endpoint must refuse;
cases that load data or send updates are left out) or `update` (every case; the graphs a case
names with ut:graphData are first loaded with INSERT DATA, under the names the manifest gives
them, as the files' old URLs cannot be fetched).

The manifest's paths start with /sparql/; brikg answers queries at /sparql and updates at
/update (the manifest allows separate endpoints): a case's POST goes to /update when the case is
about updates and the request is not a query. The manifest is read with rdflib.

Prints one line per request: NAME STATUS CONTENT-TYPE VERDICT, where VERDICT is `ok` when the
status is in the class the manifest expects (and the format and boolean are as expected), or
says what differs. The Rust test compares these lines.
"""

import json
import sys
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET

import rdflib
from rdflib import RDF, Namespace
from rdflib.collection import Collection

HT = Namespace("http://www.w3.org/2011/http#")
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
RDFS = Namespace("http://www.w3.org/2000/01/rdf-schema#")

RESULTS_TYPES = {
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
}
RDF_TYPES = {
    "text/turtle",
    "application/n-triples",
    "application/rdf+xml",
    "application/ld+json",
    "application/n-quads",
    "application/trig",
}


def send(method, url, body, headers):
    data = body.encode("utf-8") if body is not None else None
    request = urllib.request.Request(url, data=data, method=method)
    for name, value in headers:
        request.add_header(name, value)
    if data is not None and not any(n.lower() == "content-type" for n, _ in headers):
        # urllib would add a form type of its own: the cases without one must go without.
        request.add_header("Content-Type", "")
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read()


def boolean(content_type, body):
    media = content_type.split(";")[0].strip()
    if media == "application/sparql-results+json":
        return json.loads(body).get("boolean")
    if media == "application/sparql-results+xml":
        node = ET.fromstring(body).find("{http://www.w3.org/2005/sparql-results#}boolean")
        return None if node is None else node.text.strip() == "true"
    return None


def main():
    manifest_path, base, mode = sys.argv[1:4]
    token = sys.argv[4] if len(sys.argv) > 4 else None
    g = rdflib.Graph()
    g.parse(manifest_path, format="turtle")
    folder = manifest_path.rsplit("/", 1)[0]
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    for test in Collection(g, g.value(manifest, MF.entries)):
        name = str(test).rsplit("#", 1)[-1]
        action = g.value(test, MF.action)
        requests = list(Collection(g, g.value(action, HT.requests)))
        graph_data = list(g.objects(test, UT.graphData))
        about_updates = "update" in name
        if mode == "read-only" and (graph_data or (about_updates and name != "bad_update_get")):
            continue
        if graph_data:
            inserts = []
            for gd in graph_data:
                file = str(g.value(gd, UT.graph)).rsplit("/", 1)[-1]
                label = str(g.value(gd, RDFS.label))
                with open(f"{folder}/{file}", encoding="utf-8") as f:
                    inserts.append(f"GRAPH <{label}> {{ {f.read()} }}")
            status, _, body = send(
                "POST",
                f"{base}/update",
                "DROP ALL ; INSERT DATA { " + " ".join(inserts) + " }",
                [("Content-Type", "application/sparql-update"), ("Authorization", f"Bearer {token}")],
            )
            assert status == 204, (name, status, body)
        for request in requests:
            method = str(g.value(request, HT.methodName))
            path = str(g.value(request, HT.absolutePath))
            body_node = g.value(request, HT.body)
            body = str(g.value(body_node, CNT.chars)) if body_node is not None else None
            headers_node = g.value(request, HT.headers)
            headers = [
                (str(g.value(h, HT.fieldName)), str(g.value(h, HT.fieldValue)))
                for h in (Collection(g, headers_node) if headers_node is not None else [])
            ]
            content_type = next((v for n, v in headers if n.lower() == "content-type"), "")
            is_query = content_type.startswith("application/sparql-query") or (
                body or ""
            ).startswith("query=")
            endpoint = "/update" if about_updates and method == "POST" and not is_query else "/sparql"
            if endpoint == "/update" and token:
                headers.append(("Authorization", f"Bearer {token}"))
            url = base + endpoint + path[len("/sparql/"):]
            status, got_type, answer = send(method, url, body, headers)
            response = g.value(request, HT.resp)
            classes = {str(s).rsplit("StatusCode", 1)[-1] for s in g.objects(response, MF.expectedStatus)}
            expected_format = g.value(response, MF.expectedFormat)
            expected_boolean = g.value(response, MF.expectedBoolean)
            problems = []
            if f"{status // 100}xx" not in classes:
                problems.append(f"status-not-{'/'.join(sorted(classes))}")
            media = got_type.split(";")[0].strip()
            if expected_format is not None:
                kinds = {"boolean": RESULTS_TYPES, "tabular": RESULTS_TYPES, "RDF": RDF_TYPES}
                if media not in kinds[str(expected_format)]:
                    problems.append(f"not-{expected_format}")
            if expected_boolean is not None:
                if boolean(got_type, answer) != expected_boolean.toPython():
                    problems.append(f"boolean-not-{str(expected_boolean)}")
            verdict = ",".join(problems) or "ok"
            print(f"{name} {status} {media or '-'} {verdict}", flush=True)


if __name__ == "__main__":
    main()
