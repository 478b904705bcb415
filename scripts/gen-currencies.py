#!/usr/bin/env python3
"""Generate data/reference/currencies.toml from the ISO 4217 dataset of Debian's iso-codes package.

The reference data is never typed by hand: every code and name comes from the datasets, so a
reviewer can regenerate the file and diff it. Usage (from the repository root):

    python3 scripts/gen-currencies.py [--tarballs DIR] > data/reference/currencies.toml

Sources:
  - /usr/share/iso-codes/json/iso_4217.json (Debian package iso-codes): alpha-3 code, numeric
    code and English name of every current ISO 4217 currency;
  - /usr/share/locale/zh_CN/LC_MESSAGES/iso_4217.mo (same package): the Simplified Chinese
    translation of each name;
  - QUDT's unit vocabulary 3.1.0 (npm package @vocabulary/unit 2.0.0, file package/unit.nq,
    fetched with `npm pack` and checked against a pinned sha512, as scripts/gen-units.py does;
    --tarballs DIR uses a .tgz already there): the IRI of the qudt:CurrencyUnit whose
    qudt:currencyCode is the alpha-3 code, where there is one;
  - Unicode CLDR 48 (npm package cldr-numbers-full 48.2.0, Unicode-3.0 licence, fetched and
    checked the same way; --tarballs DIR works for it too): package/main/en/currencies.json and
    package/main/en-001/currencies.json, for names_en and symbols.
Record fields added from CLDR (a key is left out when its list would be empty):
  names_en: the en locale's displayName, displayName-count-one and displayName-count-other, in
    that order, without repeats;
  symbols: the `symbol` field of locale en, then of en-001, without repeats, leaving out the
    alpha-3 code itself and any symbol that is the `symbol` of more than one currency across en
    and en-001 (symbol-alt-narrow is not used: there "$" and "¥" stand for several currencies).
brikg draft uses names_en and symbols to recognise currencies in article text.
Standard library only (plus npm to fetch the QUDT and CLDR packages).
"""
import argparse
import gettext
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile

from refdata import toml_string, toml_list, npm_tarball

ISO_4217 = "/usr/share/iso-codes/json/iso_4217.json"
ISO_4217_ZH = "/usr/share/locale/zh_CN/LC_MESSAGES/iso_4217.mo"
UNIT_PACKAGE = ("@vocabulary/unit", "2.0.0",
                "sha512-1qhByltJDhTXyy77ms9ICvYT3ciGKNf0pbEqf26ZC40NTj1vDWtnwrpnVd/oAem3e5Ev/qp/RrO5e9Y1CWCkFw==",
                "package/unit.nq")
CLDR_PACKAGE = ("cldr-numbers-full", "48.2.0",
                "sha512-0EQ+UkVDsyXOlxnWnL1RIENVZFqCnb04D1Yrku0obnOyttbuZz8tHmUd5c5AEvhGS/Gg2zI4fTaCm51LSGITog==")
# Locales whose `symbol` fields give the symbols, in the order they are listed.
SYMBOL_LOCALES = ("en", "en-001")
NAME_FIELDS = ("displayName", "displayName-count-one", "displayName-count-other")

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
QUDT = "http://qudt.org/schema/qudt/"

# One N-Quads statement a line: subject, predicate, object, optional graph.
NQUAD = re.compile(r'^(<[^>]*>|_:\S+)\s+<([^>]*)>\s+'
                   r'(<[^>]*>|_:\S+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)'
                   r'\s*(?:<[^>]*>|_:\S+)?\s*\.\s*$')
ESCAPE = re.compile(r'\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))')
SIMPLE = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def distinct(values) -> list[str]:
    """The values in order, without empty ones or repeats."""
    kept = []
    for value in values:
        if value and value not in kept:
            kept.append(value)
    return kept


def term(text: str) -> str:
    """An IRI without its brackets, or a literal's lexical form with its escapes read."""
    if text.startswith("<"):
        return text[1:-1]
    if text.startswith('"'):
        body = text[1:text.rindex('"')]
        return ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if not m.group(3)
                          else SIMPLE[m.group(3)], body)
    return text


def qudt_currencies(tarballs: str | None) -> tuple[dict, dict]:
    """QUDT's currency units by qudt:currencyCode, and the package's package.json."""
    name, version, integrity, member = UNIT_PACKAGE
    with tempfile.TemporaryDirectory() as workdir:
        data = npm_tarball(name, version, integrity, tarballs, workdir)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        meta = json.loads(tar.extractfile("package/package.json").read())
        lines = tar.extractfile(member).read().decode("utf-8").splitlines()
    props: dict[str, dict[str, list[str]]] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        m = NQUAD.match(line)
        if not m:
            sys.exit(f"gen-currencies: {member}:{number}: not an N-Quads statement")
        props.setdefault(term(m.group(1)), {}).setdefault(m.group(2), []).append(term(m.group(3)))
    by_code: dict[str, list[dict]] = {}
    for iri, p in props.items():
        if QUDT + "CurrencyUnit" not in p.get(RDF_TYPE, []) or "true" in p.get(QUDT + "deprecated", []):
            continue
        for code in p.get(QUDT + "currencyCode", []):
            by_code.setdefault(code, []).append(
                {"iri": iri, "numbers": sorted(p.get(QUDT + "currencyNumber", []))})
    return by_code, meta


def cldr_currencies(tarballs: str | None) -> tuple[dict, dict, dict]:
    """CLDR's English names and unambiguous symbols by currency code, and package.json."""
    name, version, integrity = CLDR_PACKAGE
    with tempfile.TemporaryDirectory() as workdir:
        data = npm_tarball(name, version, integrity, tarballs, workdir)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        meta = json.loads(tar.extractfile("package/package.json").read())
        locales = {}
        for locale in dict.fromkeys(("en",) + SYMBOL_LOCALES):
            doc = json.loads(tar.extractfile(f"package/main/{locale}/currencies.json").read())
            locales[locale] = doc["main"][locale]["numbers"]["currencies"]
    names = {code: distinct(fields.get(f, "") for f in NAME_FIELDS)
             for code, fields in locales["en"].items()}
    owners: dict[str, set[str]] = {}
    for locale in SYMBOL_LOCALES:
        for code, fields in locales[locale].items():
            if "symbol" in fields:
                owners.setdefault(fields["symbol"], set()).add(code)
    symbols: dict[str, list[str]] = {}
    for locale in SYMBOL_LOCALES:
        for code, fields in locales[locale].items():
            symbol = fields.get("symbol", "")
            if symbol and symbol != code and owners[symbol] == {code}:
                symbols[code] = distinct(symbols.get(code, []) + [symbol])
    return names, symbols, meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tarballs", help="directory holding the npm .tgz files")
    parser.add_argument("iso_4217", nargs="?", default=ISO_4217)
    args = parser.parse_args()
    with open(args.iso_4217, encoding="utf-8") as f:
        entries = json.load(f)["4217"]
    with open(ISO_4217_ZH, "rb") as f:
        zh = gettext.GNUTranslations(f)
    qudt, meta = qudt_currencies(args.tarballs)
    cldr_names, cldr_symbols, cldr_meta = cldr_currencies(args.tarballs)
    codes = [e["alpha_3"] for e in entries]
    with_names = sum(1 for c in codes if cldr_names.get(c))
    with_symbols = sum(1 for c in codes if cldr_symbols.get(c))
    version = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "iso-codes"],
                             capture_output=True, text=True).stdout.strip() or "unknown"
    out = [
        "# ISO 4217 currencies, generated by scripts/gen-currencies.py. Do not edit by hand: regenerate.",
        f"# alpha3, numeric, name: {args.iso_4217} (Debian package iso-codes {version}, LGPL-2.1+);",
        f"# name_zh: {ISO_4217_ZH} (same package), only where translated;",
        f"# qudt_iri: npm package {meta['name']} {meta['version']} ({meta['vocabulary']['file']}, QUDT,",
        "# CC BY 4.0), the qudt:CurrencyUnit whose qudt:currencyCode is alpha3, where there is one.",
        f"# names_en, symbols: Unicode CLDR {cldr_meta['cldrVersion']}, npm package {cldr_meta['name']} "
        f"{cldr_meta['version']} (licence {cldr_meta['license']}),",
        "# main/en/currencies.json and main/en-001/currencies.json; brikg draft uses them to recognise",
        "# currencies in article text. A key is left out when its list would be empty.",
        "# names_en: en's displayName, displayName-count-one, displayName-count-other, without repeats;",
        "# symbols: the `symbol` of en, then of en-001, without repeats, leaving out alpha3 itself and",
        "# any symbol that is the `symbol` of more than one currency across en and en-001",
        "# (symbol-alt-narrow is not used).",
        f"# {len(codes)} currencies: {with_names} with names_en, {with_symbols} with symbols.",
        "",
    ]
    for e in sorted(entries, key=lambda e: e["alpha_3"]):
        notes = []
        units = qudt.get(e["alpha_3"], [])
        iri = None
        if len(units) == 1:
            iri = units[0]["iri"]
            numbers = units[0]["numbers"]
            if numbers and [int(n) for n in numbers] != [int(e["numeric"])]:
                notes.append(f"QUDT's qudt:currencyNumber {', '.join(numbers)} differs from "
                             f"ISO numeric {e['numeric']}.")
        elif len(units) > 1:
            notes.append("QUDT has several currency units with this code: "
                         + ", ".join(sorted(u["iri"] for u in units)) + "; none is given.")
        out.append("[[currency]]")
        out += [f"# {note}" for note in notes]
        out.append(f"alpha3 = {toml_string(e['alpha_3'])}")
        out.append(f"numeric = {toml_string(e['numeric'])}")
        out.append(f"name = {toml_string(e['name'])}")
        name_zh = zh.gettext(e["name"])
        if name_zh != e["name"]:
            out.append(f"name_zh = {toml_string(name_zh)}")
        if iri:
            out.append(f"qudt_iri = {toml_string(iri)}")
        if cldr_names.get(e["alpha_3"]):
            out.append(f"names_en = {toml_list(cldr_names[e['alpha_3']])}")
        if cldr_symbols.get(e["alpha_3"]):
            out.append(f"symbols = {toml_list(cldr_symbols[e['alpha_3']])}")
        out.append("")
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
