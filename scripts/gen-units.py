#!/usr/bin/env python3
"""Generate data/reference/units.toml from QUDT's unit vocabulary, cross-checked against UCUM.

The reference data is never typed by hand: every IRI, label, code, quantity kind and factor comes
from the published QUDT 3.1.0 vocabulary; this script only chooses which units (by QUDT IRI) and
which of each unit's quantity kinds we use. Usage (from the repository root):

    .venv/bin/python scripts/gen-units.py [--tarballs DIR] > data/reference/units.toml

Sources, both fetched with `npm pack` from the npm registry at a pinned version and checked
against a pinned sha512 (so every run reads the same bytes and prints the same file):
  - @vocabulary/unit 2.0.0, file package/unit.nq: QUDT's "Units of Measure Release 3.1.0"
    vocabulary (https://qudt.org/3.1.0/vocab/unit) as N-Quads, packaged by Zazuko;
  - @vocabulary/quantitykind 2.0.0, file package/quantitykind.nq: QUDT's quantity kinds 3.1.0,
    for the English name of each quantity kind.
npm keeps what it fetched in its cache (~/.npm/_cacache), so later runs need no network. With
--tarballs DIR, the .tgz files already in DIR (as `npm pack` names them) are used instead.

Each UCUM code is checked with ucumvert (PyPI; its vendored ucum-essence.xml is UCUM's own
table): the code must parse, have QUDT's dimension vector and convert to the SI coherent unit
with QUDT's conversion multiplier (relative tolerance 1e-6). A qudt:ucumCode that fails is left
out and said so in a comment; the code curators write then comes from qudt:symbol with "·"
read as UCUM's ".", and only if that passes the same check. Needs rdflib and ucumvert
(scripts/requirements.txt) and npm.
"""
import argparse
import importlib.metadata
import importlib.resources
import io
import json
import re
import sys
import tarfile
import tempfile
import xml.etree.ElementTree as ET
from decimal import Decimal

import rdflib
from rdflib import OWL, RDF, RDFS, SKOS, Literal, Namespace

from refdata import toml_string, toml_list, npm_tarball

UNIT_PACKAGE = ("@vocabulary/unit", "2.0.0",
                "sha512-1qhByltJDhTXyy77ms9ICvYT3ciGKNf0pbEqf26ZC40NTj1vDWtnwrpnVd/oAem3e5Ev/qp/RrO5e9Y1CWCkFw==",
                "package/unit.nq")
KIND_PACKAGE = ("@vocabulary/quantitykind", "2.0.0",
                "sha512-khHRXGbVUXJuwHK+Tr1agzj/yPTgTvBru/z8ivXAqsvecqW+Qe6N+y9l5kPJTA5nLeVuM8yP+qBeFGlV3tOLkQ==",
                "package/quantitykind.nq")

QUDT = Namespace("http://qudt.org/schema/qudt/")
UNIT = Namespace("http://qudt.org/vocab/unit/")
KIND = Namespace("http://qudt.org/vocab/quantitykind/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
VAEM = Namespace("http://www.linkedmodel.org/schema/vaem#")

# The units a curator may write on a figure: (QUDT unit local name, QUDT quantity kind local
# name). The quantity kind must be one the source gives the unit (qudt:hasQuantityKind).
SELECTION = [
    ("M", "Length"),
    ("KiloM", "Length"),
    ("KiloGM", "Mass"),
    ("TONNE", "Mass"),
    ("J", "Energy"),
    ("KiloW-HR", "Energy"),
    ("MegaW-HR", "Energy"),
    ("GigaW-HR", "Energy"),
    ("TeraW-HR", "Energy"),
    ("KiloW", "Power"),
    ("MegaW", "Power"),
    ("GigaW", "Power"),
    ("M2", "Area"),
    ("KiloM2", "Area"),
    ("HA", "Area"),
    ("M3", "Volume"),
    ("L", "Volume"),
    ("BBL_US", "LiquidVolume"),
    ("PERCENT", "DimensionlessRatio"),
]

# Asked for, but possibly absent: searched for in every label, symbol and code of the source.
SOUGHT = [("TEU (twenty-foot equivalent unit)", re.compile(r"\bTEU\b|twenty[- ]?foot", re.I))]

# QUDT dimension vector letters -> pint dimension names.
DIMENSIONS = {"A": "[substance]", "E": "[current]", "L": "[length]", "I": "[luminosity]",
              "M": "[mass]", "H": "[temperature]", "T": "[time]"}


def tar_member(data: bytes, member: str) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return tar.extractfile(member).read()


def load_package(spec, tarballs, workdir):
    name, version, integrity, member = spec
    data = npm_tarball(name, version, integrity, tarballs, workdir)
    meta = json.loads(tar_member(data, "package/package.json"))
    graph = rdflib.Dataset(default_union=True)
    graph.parse(data=tar_member(data, member), format="nquads")
    return meta, graph


def english(graph, subject, predicate=RDFS.label):
    """The English label: @en, then @en-GB, then untagged, then @en-US; sorted within each."""
    labels = [o for o in graph.objects(subject, predicate) if isinstance(o, Literal)]
    for lang in ("en", "en-gb", None, "en-us"):
        found = sorted(str(o) for o in labels if (o.language.lower() if o.language else None) == lang)
        if found:
            return found[0]
    return None


def one(graph, subject, predicate):
    values = sorted(set(graph.objects(subject, predicate)))
    if len(values) != 1:
        sys.exit(f"gen-units: {subject} has {len(values)} values of {predicate}, expected one")
    return values[0]


def decimal_text(value) -> str:
    text = format(Decimal(str(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def dimension_vector(iri) -> dict:
    local = str(iri).rsplit("/", 1)[1]
    dims = {}
    for letter, exponent in re.findall(r"([AELIMHTD])(-?\d+(?:dot\d+)?)", local):
        if letter != "D" and exponent != "0":
            dims[DIMENSIONS[letter]] = int(exponent)
    return dims


def dimension_text(dims: dict) -> str:
    return " ".join(f"{k}^{v}" for k, v in sorted(dims.items())) or "1"


class UcumCheck:
    def __init__(self):
        from ucumvert import PintUcumRegistry
        self.registry = PintUcumRegistry()

    def problem(self, code, dims, factor):
        """None if the UCUM code has these dimensions and this factor to SI, else why not."""
        try:
            quantity = self.registry.from_ucum(code)
            base = quantity.to_base_units()
        except Exception as e:  # noqa: BLE001 - any parse or conversion failure
            return f"not valid UCUM ({type(e).__name__})"
        got = {str(k): int(v) for k, v in base.dimensionality.items() if v}
        if got != dims:
            return f"its dimension {dimension_text(got)} is not QUDT's {dimension_text(dims)}"
        expected = float(factor)
        if abs(float(base.magnitude) - expected) > 1e-6 * abs(expected):
            return f"factor {base.magnitude!r} is not QUDT's {factor}"
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tarballs", help="directory holding the npm .tgz files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        unit_meta, units = load_package(UNIT_PACKAGE, args.tarballs, workdir)
        kind_meta, kinds = load_package(KIND_PACKAGE, args.tarballs, workdir)
    check = UcumCheck()
    essence = ET.parse(importlib.resources.files("ucumvert").joinpath("vendor/ucum-essence.xml")).getroot()

    ontologies = sorted(units.subjects(RDF.type, OWL.Ontology))
    if len(ontologies) != 1:
        sys.exit(f"gen-units: the source has {len(ontologies)} owl:Ontology, expected one")
    ontology = ontologies[0]
    gmd = one(units, ontology, VAEM.hasGraphMetadata)
    out = [
        "# Units of measure a curator may write on a figure, generated by scripts/gen-units.py.",
        "# Do not edit by hand: regenerate. Source:",
        f"#   npm package {unit_meta['name']} {unit_meta['version']} (licence {unit_meta['license']}, "
        f"{unit_meta['homepage']}), file {UNIT_PACKAGE[3]}:",
        f"#   {one(units, gmd, VAEM.graphTitle)}, <{ontology}>, modified {one(units, gmd, DCTERMS.modified)};",
        f"#   quantity kind names from npm package {kind_meta['name']} {kind_meta['version']}, "
        f"<{kind_meta['vocabulary']['file']}>.",
        "# Rights stated in the source:",
    ]
    for rights in sorted(str(r) for r in units.objects(gmd, DCTERMS.rights)):
        out.append("#   " + " ".join(rights.replace("\u200b", "").split()))
    out += [
        "# UCUM codes checked with ucumvert "
        f"{importlib.metadata.version('ucumvert')} (PyPI, MIT), whose vendored ucum-essence.xml is UCUM "
        f"{essence.get('version')} of {essence.get('revision-date')}.",
        "# code: what curators write (the UCUM code); factor: qudt:conversionMultiplier to the SI",
        "# coherent unit, as decimal text; quantity: English name of the chosen qudt:hasQuantityKind.",
    ]
    searchable = [QUDT.symbol, QUDT.ucumCode, QUDT.uneceCommonCode, RDFS.label, SKOS.altLabel]
    for what, pattern in SOUGHT:
        hits = sorted({str(s) for p in searchable for s, o in units.subject_objects(p)
                       if pattern.search(str(o))})
        if hits:
            out.append(f"# {what}: candidates in the source, not selected: {', '.join(hits)}")
        else:
            out.append(f"# {what}: no unit in the source has a label, symbol or code matching "
                       f"/{pattern.pattern}/i, so there is none here.")
    out.append("")

    records = []
    for local, kind_local in SELECTION:
        iri = UNIT[local]
        if (iri, RDF.type, QUDT.Unit) not in units:
            sys.exit(f"gen-units: {iri} is not a qudt:Unit in the source")
        if Literal(True) in set(units.objects(iri, QUDT.deprecated)):
            sys.exit(f"gen-units: {iri} is deprecated in the source")
        kind = KIND[kind_local]
        if kind not in set(units.objects(iri, QUDT.hasQuantityKind)):
            sys.exit(f"gen-units: {iri} has no qudt:hasQuantityKind {kind}")
        kind_label = english(kinds, kind)
        label = english(units, iri)
        factor = one(units, iri, QUDT.conversionMultiplier)
        dims = dimension_vector(one(units, iri, QUDT.hasDimensionVector))
        symbol = one(units, iri, QUDT.symbol)
        notes = []
        valid = []
        for code in sorted(str(c) for c in units.objects(iri, QUDT.ucumCode)):
            why = check.problem(code, dims, factor)
            if why:
                notes.append(f"qudt:ucumCode {toml_string(code)} left out: {why}.")
            else:
                valid.append(code)
        # Of several valid codes, the one equal to the symbol comes first.
        valid.sort(key=lambda c: (c != str(symbol), c))
        if valid:
            code = valid[0]
        else:
            code = str(symbol).replace("·", ".")
            why = check.problem(code, dims, factor)
            if why:
                sys.exit(f"gen-units: {iri}: no UCUM code passes the check ({'; '.join(notes)}; "
                         f"from the symbol, {code!r}: {why})")
            notes.append(f"code {toml_string(code)} is qudt:symbol {toml_string(str(symbol))} with "
                         "\"·\" as UCUM's \".\"; it passes the check.")
        if label is None or kind_label is None:
            sys.exit(f"gen-units: {iri} or {kind} has no English label")
        records.append((kind_label.lower(), Decimal(str(factor)), code, {
            "notes": notes,
            "code": code,
            "label": label,
            "iri": str(iri),
            "ucum": valid[0] if valid else None,
            "ucum_alt": valid[1:],
            "symbol": str(symbol),
            "unece": sorted(str(c) for c in units.objects(iri, QUDT.uneceCommonCode)),
            "quantity": kind_label.lower(),
            "quantity_iri": str(kind),
            "factor": decimal_text(factor),
        }))

    for _, _, _, r in sorted(records, key=lambda r: r[:3]):
        out.append("[[unit]]")
        out += [f"# {note}" for note in r["notes"]]
        out.append(f"code = {toml_string(r['code'])}")
        out.append(f"label = {toml_string(r['label'])}")
        out.append(f"iri = {toml_string(r['iri'])}")
        if r["ucum"] is not None:
            out.append(f"ucum = {toml_string(r['ucum'])}")
        if r["ucum_alt"]:
            out.append(f"ucum_alt = {toml_list(r['ucum_alt'])}")
        out.append(f"symbol = {toml_string(r['symbol'])}")
        if r["unece"]:
            out.append(f"unece = {toml_list(r['unece'])}")
        out.append(f"quantity = {toml_string(r['quantity'])}")
        out.append(f"quantity_iri = {toml_string(r['quantity_iri'])}")
        out.append(f"factor = {toml_string(r['factor'])}")
        out.append("")
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
