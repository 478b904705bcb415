#!/usr/bin/env python3
"""Generate data/reference/country-names.toml: the names people use for each country.

The reference data is never typed by hand: every name comes from the datasets below, for each
alpha-2 code in data/reference/countries.toml. Usage (from the repository root):

    python3 scripts/gen-country-names.py [--tarballs DIR] > data/reference/country-names.toml

Sources (the npm packages are fetched with `npm pack` at a pinned version and checked against a
pinned sha512, so every run reads the same bytes; --tarballs DIR uses the .tgz files already
there, as `npm pack` names them):
  - Unicode CLDR 48 (npm package cldr-localenames-full 48.2.0, Unicode-3.0 licence):
    package/main/en/territories.json and package/main/zh/territories.json, the English and
    Simplified Chinese display names and their "alt" forms ("short", "variant", ...).
  - world-countries 5.1.0 (npm; mledoze/countries, ODbL-1.0): package/countries.json, for the
    English demonyms and the English common name.
  - Debian iso-codes (LGPL-2.1+): /usr/share/locale/zh_CN/LC_MESSAGES/iso_3166-1.mo, the
    Simplified Chinese translations of the ISO 3166-1 names in countries.toml.
Record fields:
  names_en: the English name to print instead of the ISO 3166 name: CLDR's English display
    name, unless it is the ISO name written in CLDR's style ("&" for "and", "St." for
    "Saint", ’ for ') or CLDR's own "short" form of it is the ISO name (empty: print the ISO
    name);
  aliases_en: other English names people use, for recognising a country in text, not for
    printing: CLDR's display name when not in names_en, CLDR's English alt forms, then
    world-countries' common name;
  name_zh: CLDR's Simplified Chinese display name;
  aliases_zh: CLDR's Chinese alt forms, then the iso-codes translations of the ISO name,
    common name and official name;
  demonyms_en: world-countries' English demonyms (masculine, then feminine form).
No list holds the ISO 3166 name itself (names differing only in ’ versus ' count as the same),
nor a name twice. Standard library only (plus npm to fetch the packages).
"""
import argparse
import gettext
import io
import json
import re
import sys
import tarfile
import tempfile
import tomllib

from refdata import toml_string, toml_list, npm_tarball

COUNTRIES = "data/reference/countries.toml"
ISO_3166_ZH = "/usr/share/locale/zh_CN/LC_MESSAGES/iso_3166-1.mo"
CLDR = ("cldr-localenames-full", "48.2.0",
        "sha512-4o0paYDz0UXhfhChAVFkmVl2CP0YTSEqE6WrC0fNafaSC5u5DAXphxH3SZ1Ujczarikr8DToKZfiok6EqWLdNQ==")
WORLD = ("world-countries", "5.1.0",
         "sha512-CXR6EBvTbArDlDDIWU3gfKb7Qk0ck2WNZ234b/A0vuecPzIfzzxH+O6Ejnvg1sT8XuiZjVlzOH0h08ZtaO7g0w==")
# CLDR alt forms in order of preference; any other alt type follows, sorted.
ALT_ORDER = ["short", "variant"]


def read_json(tar: tarfile.TarFile, member: str):
    return json.loads(tar.extractfile(member).read())


def cldr_territories(tar: tarfile.TarFile, locale: str) -> tuple[dict, dict]:
    """Display names by code, and alt forms by code as [(alt type, name)] in preference order."""
    names = read_json(tar, f"package/main/{locale}/territories.json")
    names = names["main"][locale]["localeDisplayNames"]["territories"]
    standard, alts = {}, {}
    for key, value in names.items():
        code, _, alt = key.partition("-alt-")
        if alt:
            alts.setdefault(code, []).append((alt, value))
        else:
            standard[code] = value
    rank = lambda a: (ALT_ORDER.index(a[0]) if a[0] in ALT_ORDER else len(ALT_ORDER), a[0])
    return standard, {code: sorted(forms, key=rank) for code, forms in alts.items()}


def same(a: str, b: str) -> bool:
    """The same text but for the apostrophe (CLDR writes ’, ISO ')."""
    return a.replace("\u2019", "'") == b.replace("\u2019", "'")


def same_name(a: str, b: str) -> bool:
    """The same name but for the apostrophe, "&" for "and" and "St." for "Saint" (CLDR's style)."""
    loose = lambda s: re.sub(r"\bSt\. ", "Saint ", re.sub(r"\s*&\s*", " and ", s.replace("\u2019", "'")))
    return loose(a) == loose(b)


def distinct(candidates, excluded):
    """The candidates in order, without empty ones, repeats or any the same as one excluded."""
    kept = []
    for name in candidates:
        if name and not any(same(name, other) for other in list(excluded) + kept):
            kept.append(name)
    return kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tarballs", help="directory holding the npm .tgz files")
    parser.add_argument("countries", nargs="?", default=COUNTRIES)
    args = parser.parse_args()
    with open(args.countries, "rb") as f:
        countries = tomllib.load(f)["country"]
    with open(ISO_3166_ZH, "rb") as f:
        iso_zh = gettext.GNUTranslations(f)
    with tempfile.TemporaryDirectory() as workdir:
        cldr_tgz = npm_tarball(*CLDR, args.tarballs, workdir)
        world_tgz = npm_tarball(*WORLD, args.tarballs, workdir)
    with tarfile.open(fileobj=io.BytesIO(cldr_tgz), mode="r:gz") as tar:
        cldr_meta = read_json(tar, "package/package.json")
        en, en_alts = cldr_territories(tar, "en")
        zh, zh_alts = cldr_territories(tar, "zh")
    with tarfile.open(fileobj=io.BytesIO(world_tgz), mode="r:gz") as tar:
        world_meta = read_json(tar, "package/package.json")
        world = {c["cca2"]: c for c in read_json(tar, "package/countries.json")}
    world_licence = ", ".join(sorted(lic["type"] for lic in world_meta["licenses"]))
    iso_version = iso_zh.info().get("po-revision-date", "unknown")

    records = []
    for c in sorted(countries, key=lambda c: c["alpha2"]):
        code, iso_name = c["alpha2"], c["name"]
        if code not in en or code not in zh:
            sys.exit(f"gen-country-names: CLDR has no English or Chinese name for {code}")
        # CLDR's display name is printed unless it is the ISO name in CLDR's style, or CLDR's
        # own short form of it is the ISO name ("Myanmar (Burma)", short "Myanmar").
        short = [name for alt, name in en_alts.get(code, []) if alt == "short"]
        printed = not same_name(en[code], iso_name) and not any(same_name(n, iso_name) for n in short)
        names_en = distinct([en[code]], [iso_name]) if printed else []
        w = world.get(code, {})
        aliases_en = distinct(([] if printed else [en[code]])
                              + [name for _, name in en_alts.get(code, [])]
                              + [w.get("name", {}).get("common", "")], [iso_name] + names_en)
        iso_translations = [iso_zh.gettext(c[k]) for k in ("name", "common_name", "official_name")
                            if k in c and iso_zh.gettext(c[k]) != c[k]]
        aliases_zh = distinct([name for _, name in zh_alts.get(code, [])] + iso_translations,
                              [zh[code]])
        demonyms = w.get("demonyms", {}).get("eng", {})
        demonyms_en = distinct([demonyms.get("m", ""), demonyms.get("f", "")], [])
        records.append((code, names_en, aliases_en, zh[code], aliases_zh, demonyms_en))

    count = lambda i: sum(1 for r in records if r[i])
    out = [
        "# Names people use for each country of countries.toml, generated by",
        "# scripts/gen-country-names.py. Do not edit by hand: regenerate. Sources:",
        f"#   names_en, aliases_en (first), name_zh, aliases_zh (first): Unicode CLDR {cldr_meta['cldrVersion']},",
        f"#     npm package {cldr_meta['name']} {cldr_meta['version']} (licence {cldr_meta['license']}),",
        "#     main/en/territories.json and main/zh/territories.json;",
        f"#   aliases_en (last), demonyms_en: npm package {world_meta['name']} {world_meta['version']}",
        f"#     ({world_meta['homepage']}, licence {world_licence}), countries.json: name.common and",
        "#     demonyms.eng;",
        f"#   aliases_zh (last): {ISO_3166_ZH} (Debian package iso-codes,",
        f"#     LGPL-2.1+, translation of {iso_version}).",
        "# names_en: print its first name instead of the ISO name (none: print the ISO name);",
        "# aliases_*: other names, to recognise a country in text. No list holds the ISO name.",
        f"# {len(records)} countries: {count(1)} with names_en, {count(2)} with aliases_en, "
        f"{count(4)} with aliases_zh, {count(5)} with demonyms_en.",
        "",
    ]
    for code, names_en, aliases_en, name_zh, aliases_zh, demonyms_en in records:
        out.append("[[country]]")
        out.append(f"alpha2 = {toml_string(code)}")
        out.append(f"names_en = {toml_list(names_en)}")
        if aliases_en:
            out.append(f"aliases_en = {toml_list(aliases_en)}")
        out.append(f"name_zh = {toml_string(name_zh)}")
        if aliases_zh:
            out.append(f"aliases_zh = {toml_list(aliases_zh)}")
        if demonyms_en:
            out.append(f"demonyms_en = {toml_list(demonyms_en)}")
        out.append("")
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
