#!/usr/bin/env python3
"""Converts brikg article files (DATA/articles/*.toml) into JSON for Morph-KGC.

    python3 benches/morph-kgc/toml2json.py DATA OUT

writes OUT/articles.json, OUT/sections.json, OUT/measures.json, OUT/fields.json,
OUT/entities.json, OUT/organizations.json, OUT/agreements.json, OUT/observations.json and
OUT/events.json, the input of benches/morph-kgc/mapping.rml.ttl. Python 3.11+ standard library only.

The JSON keeps the structure of the TOML files: one record per article, section, concept, entity,
organisation, agreement set, observation and event, with list fields kept as JSON arrays and
`source` as a nested object. Each record also carries its article's id (`a`) and language tag
(`lang`), since a JSONPath iterator cannot reach a parent object. Everything is a JSON string.

Besides copying, it computes only what an RML mapping cannot compute (brikg does these in
src/mapping.rs, and the values here follow it exactly):

- `value` in base units (reported number x 10^scale) and its datatype (`value_type`: xsd:decimal
  for money, i.e. with a currency, and for a quantity with a unit, xsd:integer otherwise), and
  `reported`, the reported number in canonical xsd:decimal form;
- `unit`, the IRI of the figure's unit (its own or its measure's), looked up in
  data/reference/units.toml by code, UCUM code or symbol (TEU is brikg's own);
- `date`, the last day of the period of `as_of` ("2023-09" -> "2023-09-30") with its precision
  (`precision`: the local name yearPrecision, monthPrecision or dayPrecision); for events, the
  date typed by its precision (`date_type`: xsd:gYear, xsd:gYearMonth or xsd:date);
- `period` in canonical xsd:duration form ("P18M" -> "P1Y6M");
- local names of ontology terms chosen by an enumerated value (`class`, `comparator`, `scale`,
  `event_type`, `counterparty_types`, `counterparties_listed`, `fields_listed`);
- the IRI a reference resolves to (`about`; for events the `subject`, under the key `about`, since
  Morph-KGC keeps its own column named `subject`: an entity, organisation or agreement set
  of the article, or else a country), and the slug of an author's name (`authors[].slug`);
- the paragraph numbers 1..n of a section (`paragraphs`), and a section's position;
- the article's language tag in lower case.

It does not validate: run it on data that `brikg build` accepts.
"""

import json
import sys
import tomllib
from decimal import Decimal
from pathlib import Path

XSD = "http://www.w3.org/2001/XMLSchema#"
DEFAULT_BASE = "https://w3id.org/brikg/id/"
REPO = Path(__file__).resolve().parent.parent.parent


def unit_iris() -> dict:
    """Every spelling brikg accepts for a unit (code, UCUM code, symbol, plain symbol) -> IRI."""
    table = {"TEU": "https://w3id.org/brikg/ontology#TEU"}
    with open(REPO / "data/reference/units.toml", "rb") as f:
        for u in tomllib.load(f)["unit"]:
            symbol = u.get("symbol") or ""
            plain = symbol.replace("\u00b7", "").replace("\u22c5", "").replace("\u00b2", "2").replace("\u00b3", "3")
            for spelling in [u["code"], u.get("ucum"), symbol, plain, *u.get("ucum_alt", [])]:
                if spelling:
                    table.setdefault(spelling, u["iri"])
    return table


UNIT_IRI = unit_iris()

ENTITY_CLASS = {
    "initiative": "Initiative",
    "transport-service": "TransportService",
    "trade-corridor": "TradeCorridor",
    "railway": "Railway",
    "cooperation-zones": "CooperationZones",
    "cooperation-platform": "CooperationPlatform",
    "standard-system": "StandardSystem",
}
ORGANIZATION_CLASS = {
    "national-standardization-body": "NationalStandardizationBody",
    "international-organization": "InternationalOrganization",
    "regional-organization": "RegionalOrganization",
    "other": "Organization",
}
COUNTERPARTY_CLASS = {
    "national-standardization-body": "NationalStandardizationBody",
    "international-organization": "InternationalOrganization",
    "regional-organization": "RegionalOrganization",
    "country": "Country",
}
AGREEMENT_CLASS = {
    "standards-cooperation-documents": "StandardsCooperationDocuments",
    "memorandums-of-understanding": "MemorandumsOfUnderstanding",
}
COMPLETENESS = {"complete": "completeList", "examples": "examplesOnly", "none": "noneNamed"}
COMPARATOR = {
    "exactly": "exactly",
    "greater-than": "greaterThan",
    "at-least": "atLeast",
    "less-than": "lessThan",
    "at-most": "atMost",
    "approximately": "approximately",
}
SCALE = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
EVENT_TYPE = {
    "launch": "launch",
    "start-of-operation": "startOfOperation",
    "signing": "signing",
    "completion": "completion",
}


def canonical_decimal(d: Decimal) -> str:
    """xsd:decimal's canonical form as Oxigraph writes it: no exponent, no trailing zeros."""
    if d == 0:
        return "0"
    text = format(d.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def number_text(value) -> str:
    """The text of a figure as brikg reads it (src/model.rs, Number)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, float):
        # Python's repr, like Rust's Display, is the shortest text that reads back as the float.
        return repr(value)
    if isinstance(value, int):
        return str(value)
    return str(value).strip()


def days_in_month(year: int, month: int) -> int:
    if month in (4, 6, 9, 11):
        return 30
    if month == 2:
        return 29 if (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 else 28
    return 31


def partial_date(text: str):
    """(end of period as YYYY-MM-DD, precision local name, the literal and its datatype)."""
    parts = text.split("-")
    year = int(parts[0])
    if len(parts) == 1:
        end = f"{year:04}-12-31"
        return end, "yearPrecision", f"{year:04}", XSD + "gYear"
    month = int(parts[1])
    if len(parts) == 2:
        end = f"{year:04}-{month:02}-{days_in_month(year, month):02}"
        return end, "monthPrecision", f"{year:04}-{month:02}", XSD + "gYearMonth"
    day = int(parts[2])
    end = f"{year:04}-{month:02}-{day:02}"
    return end, "dayPrecision", end, XSD + "date"


def canonical_duration(text: str) -> str:
    """xsd:duration's canonical form as oxsdatatypes writes it (months, then days and seconds)."""
    import re

    m = re.fullmatch(
        r"(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?",
        text,
    )
    if not m:
        raise ValueError(f"{text!r} is not an xsd:duration")
    neg, y, mo, d, h, mi, s = m.groups()
    months = int(y or 0) * 12 + int(mo or 0)
    seconds = Decimal(int(d or 0) * 86400 + int(h or 0) * 3600 + int(mi or 0) * 60) + Decimal(
        s or 0
    )
    out = "-P" if neg and (months or seconds) else "P"
    if months == 0 and seconds == 0:
        return out + "T0S"
    yy, mm = divmod(months, 12)
    if yy:
        out += f"{yy}Y" + (f"{mm}M" if mm else "")
    elif mm or seconds == 0:
        out += f"{mm}M"
    whole = int(seconds)
    dd, rest = divmod(whole, 86400)
    hh, rest = divmod(rest, 3600)
    mi2 = rest // 60
    ss = seconds - (dd * 86400 + hh * 3600 + mi2 * 60)
    if dd:
        out += f"{dd}D"
    if hh or mi2 or ss:
        out += "T"
        if hh:
            out += f"{hh}H"
        if mi2:
            out += f"{mi2}M"
        if ss:
            out += f"{canonical_decimal(ss)}S"
    return out


def slug(text: str) -> str:
    """src/mapping.rs, slug(): lowercase ASCII letters and digits joined by single hyphens."""
    words, word = [], []
    for c in text:
        if c.isalnum():
            word.append(c)
        elif word:
            words.append("".join(word))
            word = []
    if word:
        words.append("".join(word))
    out = []
    for w in words:
        piece = []
        for c in w.lower():
            if c.isascii() and c.isalnum():
                piece.append(c)
            else:
                piece.append(f"u{ord(c):x}")
        out.append("".join(piece))
    return "-".join(out)


def source(src):
    return {"section": src["section"], "paragraph": str(src["paragraph"])}


def convert(article_file: dict, base: str, out: dict):
    meta = article_file["article"]
    a = meta["id"]
    lang = meta.get("language", "en").lower()
    entities = article_file.get("entities", [])
    organizations = article_file.get("organizations", [])
    agreements = article_file.get("agreements", [])
    named = {}
    for e in entities:
        named[e["id"]] = f"{base}entity/{e['id']}"
    for o in organizations:
        named[o["id"]] = f"{base}organization/{o['id']}"
    for g in agreements:
        named[g["id"]] = f"{base}article/{a}/agreements/{g['id']}"

    def resolve(key, countries):
        if key in named:
            return named[key]
        if countries:
            return f"{base}country/{key}"
        raise ValueError(f"{a}: {key!r} is not an entity, organization or agreement")

    out["articles"].append(
        {
            "a": a,
            "lang": lang,
            "title": meta["title"],
            "modified": meta["modified"],
            "authors": [{"slug": slug(n), "name": n.strip()} for n in meta["authors"]],
            "about": [resolve(x, False) for x in meta.get("about", [])],
        }
    )
    for i, s in enumerate(article_file.get("sections", [])):
        rec = {
            "a": a,
            "lang": lang,
            "id": s["id"],
            "position": str(i + 1),
            "paragraphs": [str(n) for n in range(1, s["paragraphs"] + 1)],
        }
        if s.get("theme") is not None:
            rec["theme"] = s["theme"]
        out["sections"].append(rec)
    for scheme in ("measures", "fields"):
        for cid, concept in article_file.get(scheme, {}).items():
            out[scheme].append({"a": a, "lang": lang, "id": cid, "label": concept["label"]})
    for e in entities:
        rec = {
            "a": a,
            "lang": lang,
            "id": e["id"],
            "class": ENTITY_CLASS[e["kind"]],
            "name": e["name"],
            "alt_names": list(e.get("alt_names", [])),
            "located_in": list(e.get("located_in", [])),
            "established_by": list(e.get("established_by", [])),
            "standards": list(e.get("standards", [])),
        }
        if e.get("country") is not None:
            rec["country"] = e["country"]
        if e.get("source") is not None:
            rec["source"] = source(e["source"])
        out["entities"].append(rec)
    for o in organizations:
        rec = {"a": a, "lang": lang, "id": o["id"], "class": ORGANIZATION_CLASS[o["kind"]]}
        for key in ("name", "country"):
            if o.get(key) is not None:
                rec[key] = o[key]
        if o.get("source") is not None:
            rec["source"] = source(o["source"])
        out["organizations"].append(rec)
    for g in agreements:
        out["agreements"].append(
            {
                "a": a,
                "lang": lang,
                "id": g["id"],
                "class": AGREEMENT_CLASS[g["kind"]],
                "name": g["name"],
                "signatory": g["signatory"],
                "counterparty_types": [
                    COUNTERPARTY_CLASS[t] for t in g.get("counterparty_types", [])
                ],
                "counterparties": list(g.get("counterparties", [])),
                "counterparties_listed": COMPLETENESS[g["counterparties_listed"]],
                "fields": list(g.get("fields", [])),
                "fields_listed": COMPLETENESS[g["fields_listed"]],
                "source": source(g["source"]),
            }
        )
    measures = article_file.get("measures", {})
    for o in article_file.get("observations", []):
        reported = Decimal(number_text(o["value"]))
        scale = o.get("scale")
        scaled = reported * (Decimal(10) ** SCALE.get(scale, 0))
        money = o.get("currency") is not None
        unit = o.get("unit") or measures.get(o["measure"], {}).get("unit")
        value = canonical_decimal(scaled)
        if not money and not unit and "." in value:
            raise ValueError(f"{a}: observation {o['id']}: a count must be whole, not {value}")
        rec = {
            "a": a,
            "id": o["id"],
            "about": resolve(o["about"], True),
            "measure": o["measure"],
            "value": value,
            "value_type": XSD + ("decimal" if money or unit else "integer"),
            "comparator": COMPARATOR[o["comparator"]],
            "source": source(o["source"]),
        }
        if scale is not None:
            rec["reported"] = canonical_decimal(reported)
            rec["scale"] = scale
        if money:
            rec["currency"] = o["currency"]
        if unit:
            rec["unit"] = UNIT_IRI[unit]
        if o.get("as_of") is not None:
            end, precision, _, _ = partial_date(o["as_of"])
            rec["date"] = end
            rec["precision"] = precision
        if o.get("period") is not None:
            rec["period"] = canonical_duration(o["period"])
        out["observations"].append(rec)
    for e in article_file.get("events", []):
        _, precision, literal, datatype = partial_date(e["date"])
        out["events"].append(
            {
                "a": a,
                "id": e["id"],
                "event_type": EVENT_TYPE[e["kind"]],
                "about": resolve(e["subject"], False),
                "date": literal,
                "date_type": datatype,
                "precision": precision,
                "source": source(e["source"]),
            }
        )


KINDS = (
    "articles",
    "sections",
    "measures",
    "fields",
    "entities",
    "organizations",
    "agreements",
    "observations",
    "events",
)


def main(argv):
    if len(argv) not in (3, 4):
        print(f"usage: {argv[0]} DATA_DIR OUT_DIR [BASE]", file=sys.stderr)
        return 2
    data, target = Path(argv[1]), Path(argv[2])
    base = argv[3] if len(argv) == 4 else DEFAULT_BASE
    out = {k: [] for k in KINDS}
    files = sorted((data / "articles").glob("*.toml"))
    for path in files:
        with open(path, "rb") as f:
            convert(tomllib.load(f), base, out)
    target.mkdir(parents=True, exist_ok=True)
    for kind, records in out.items():
        with open(target / f"{kind}.json", "w", encoding="utf-8") as f:
            json.dump(records, f, ensure_ascii=False, separators=(",", ":"))
    print(
        f"toml2json: {len(files)} articles -> {target} ("
        + ", ".join(f"{len(v)} {k}" for k, v in out.items())
        + ")",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
