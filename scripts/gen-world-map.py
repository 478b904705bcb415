#!/usr/bin/env python3
"""Generate web/world-110m.json, the world map of the page `brikg serve` serves at `/`.

The page draws answers about countries on a map without fetching anything at run time, so the
boundaries are precomputed here, once, into a small committed file the binary compiles in:
one projected SVG path per country, keyed by its ISO 3166-1 alpha-2 code.

Source: npm package world-atlas 2.0.2 (licence ISC; boundaries of Natural Earth 1:110m,
public domain), file countries-110m.json (TopoJSON, quantized arcs), fetched with `npm pack`
and checked against its pinned integrity. The TopoJSON is decoded and projected here (Natural
Earth I projection, Šavrič, Patterson and Jenny 2011) with the standard library only.

A shape's id is an ISO 3166-1 numeric code, turned into alpha-2 through
data/reference/countries.toml. A shape without an id (world-atlas issue 23: Norway in other
releases, and Kosovo, Northern Cyprus and Somaliland, which ISO 3166-1 does not list) is matched
by its name against the names of data/reference/countries.toml and country-names.toml; a shape
that still matches nothing is kept, drawn in grey, under "unassigned", and never given a code.
Antarctica is left out (no article is about it and it would take a fifth of the height).
Usage:

    python3 scripts/gen-world-map.py [--tarballs DIR] > web/world-110m.json
"""
import argparse
import io
import json
import math
import os
import sys
import tarfile
import tempfile
import tomllib

from refdata import npm_tarball

PACKAGE = ("world-atlas", "2.0.2",
           "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==")
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WIDTH = 960  # the SVG's user units across; paths are rounded to a tenth of one
LEFT_OUT = {"010"}  # Antarctica


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """The Natural Earth I projection of a point in degrees (unit sphere)."""
    lam, phi = math.radians(lon), math.radians(lat)
    p2 = phi * phi
    p4 = p2 * p2
    x = lam * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4)))
    y = phi * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4)))
    return x, y


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """The arcs in degrees: TopoJSON stores them quantized and delta-encoded."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indices) -> list[tuple[float, float]]:
    """A closed ring from arc indices (~i is arc i reversed); shared end points kept once."""
    out = []
    for i in indices:
        points = arcs[i] if i >= 0 else arcs[~i][::-1]
        out.extend(points if not out else points[1:])
    return out


def clip(points, keep, edge):
    """The part of a ring on one side of a meridian (Sutherland-Hodgman against one line)."""
    out = []
    for i, b in enumerate(points):
        a = points[i - 1]
        if keep(b):
            if not keep(a):
                out.append(cross(a, b, edge))
            out.append(b)
        elif keep(a):
            out.append(cross(a, b, edge))
    return out


def cross(a, b, lon):
    t = (lon - a[0]) / (b[0] - a[0])
    return (lon, a[1] + t * (b[1] - a[1]))


def cut_at_antimeridian(points):
    """A ring that crosses 180° (Russia's Chukotka, Fiji) as the rings on either side of it: the
    TopoJSON keeps such a ring whole, with a jump of 360° in longitude, which a flat projection
    would draw as a band across the world."""
    unwrapped = [points[0]]
    for lon, lat in points[1:]:
        prev = unwrapped[-1][0]
        while lon - prev > 180:
            lon -= 360
        while lon - prev < -180:
            lon += 360
        unwrapped.append((lon, lat))
    lo, hi = min(p[0] for p in unwrapped), max(p[0] for p in unwrapped)
    if lo >= -180 and hi <= 180:
        return [points]
    shift = 360 if lo < -180 else -360
    inside = clip(unwrapped, lambda p: -180 <= p[0] <= 180, -180 if lo < -180 else 180)
    moved = [(lon + shift, lat) for lon, lat in unwrapped]
    beyond = clip(moved, lambda p: -180 <= p[0] <= 180, 180 if lo < -180 else -180)
    return [r for r in (inside, beyond) if len(r) >= 3]


def polygons(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def names_to_alpha2() -> dict[str, str]:
    """Every English name our reference data knows for a country, lowercased, to its alpha-2."""
    out = {}
    ref = os.path.join(REPO, "data", "reference")
    with open(os.path.join(ref, "countries.toml"), "rb") as f:
        for c in tomllib.load(f)["country"]:
            for n in (c["name"], c.get("common_name"), c.get("official_name")):
                if n:
                    out[n.lower()] = c["alpha2"]
    with open(os.path.join(ref, "country-names.toml"), "rb") as f:
        for c in tomllib.load(f)["country"]:
            for n in c.get("names_en", []) + c.get("aliases_en", []):
                out.setdefault(n.lower(), c["alpha2"])
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tarballs", help="a directory holding world-atlas-2.0.2.tgz already")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as work:
        data = npm_tarball(*PACKAGE, args.tarballs, work)
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        topo = json.load(tar.extractfile("package/countries-110m.json"))

    with open(os.path.join(REPO, "data", "reference", "countries.toml"), "rb") as f:
        countries = tomllib.load(f)["country"]
    by_numeric = {c["numeric"]: c for c in countries}
    by_alpha2 = {c["alpha2"]: c for c in countries}
    by_name = names_to_alpha2()

    arcs = decode_arcs(topo)
    shapes = []
    for g in topo["objects"]["countries"]["geometries"]:
        gid, name = g.get("id"), g.get("properties", {}).get("name", "")
        if gid in LEFT_OUT:
            continue
        if gid in by_numeric:
            alpha2, how = by_numeric[gid]["alpha2"], "id"
        elif name.lower() in by_name:
            alpha2, how = by_name[name.lower()], "name"
        else:
            alpha2, how = None, None
        rings = [[natural_earth(lon, lat) for lon, lat in part]
                 for poly in polygons(g) for r in poly for part in cut_at_antimeridian(ring(arcs, r))]
        shapes.append({"alpha2": alpha2, "how": how, "source_name": name, "id": gid, "rings": rings})

    xs = [x for s in shapes for r in s["rings"] for x, _ in r]
    ys = [y for s in shapes for r in s["rings"] for _, y in r]
    x0, x1, y0, y1 = min(xs), max(xs), min(ys), max(ys)
    scale = WIDTH / (x1 - x0)
    height = math.ceil((y1 - y0) * scale)

    def path(rings) -> str:
        """Absolute first point, then relative steps, in tenths; repeated points dropped."""
        parts = []
        for r in rings:
            pts = [(round((x - x0) * scale * 10), round((y1 - y) * scale * 10)) for x, y in r]
            kept = [pts[0]] + [p for a, p in zip(pts, pts[1:]) if p != a]
            if len(kept) < 3:
                continue
            cmd = [f"M{kept[0][0] / 10:g} {kept[0][1] / 10:g}l"]
            steps = []
            for (ax, ay), (bx, by) in zip(kept, kept[1:]):
                steps.append(f"{(bx - ax) / 10:g} {(by - ay) / 10:g}")
            cmd.append(" ".join(steps).replace(" -", "-"))
            parts.append("".join(cmd) + "z")
        return "".join(parts)

    assigned, unassigned = {}, []
    for s in sorted(shapes, key=lambda s: (s["alpha2"] or "~", s["source_name"])):
        d = path(s["rings"])
        if s["alpha2"]:
            if s["alpha2"] in assigned:
                assigned[s["alpha2"]]["d"] += d
            else:
                assigned[s["alpha2"]] = {"name": by_alpha2[s["alpha2"]]["name"], "d": d}
            if s["how"] == "name":
                print(f"gen-world-map: {s['source_name']!r} has no id; matched by name to {s['alpha2']}",
                      file=sys.stderr)
        else:
            unassigned.append({"name": s["source_name"], "d": d})
            print(f"gen-world-map: {s['source_name']!r} has no id and no ISO 3166-1 name: drawn unassigned",
                  file=sys.stderr)
    out = {
        "source": "world-atlas 2.0.2 (ISC), countries-110m.json, boundaries from Natural Earth (public domain)",
        "generator": "scripts/gen-world-map.py",
        "projection": "Natural Earth I",
        "width": WIDTH,
        "height": height,
        "countries": assigned,
        "unassigned": unassigned,
    }
    json.dump(out, sys.stdout, ensure_ascii=False, separators=(",", ":"))
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
