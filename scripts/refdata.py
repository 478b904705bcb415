"""What the reference-data generators (scripts/gen-*.py) share: TOML literals, and npm packages
fetched at a pinned version and checked against their pinned integrity."""

import base64
import hashlib
import json
import os
import subprocess
import sys


def toml_string(value: str) -> str:
    """A TOML basic string (JSON's string escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def toml_list(values) -> str:
    return "[" + ", ".join(toml_string(v) for v in values) + "]"


def npm_tarball(name: str, version: str, integrity: str, tarballs: str | None, workdir: str) -> bytes:
    """The package's .tgz as the npm registry serves it, checked against the pinned integrity.
    With `tarballs`, a .tgz already in that directory is used instead of fetching it."""
    filename = f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"
    path = os.path.join(tarballs, filename) if tarballs else None
    if not path or not os.path.exists(path):
        out = subprocess.run(
            ["npm", "pack", f"{name}@{version}", "--pack-destination", workdir, "--json",
             "--ignore-scripts"],
            check=True, capture_output=True, text=True).stdout
        path = os.path.join(workdir, json.loads(out)[0]["filename"])
    data = open(path, "rb").read()
    got = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if got != integrity:
        program = os.path.splitext(os.path.basename(sys.argv[0]))[0]
        sys.exit(f"{program}: {path}: integrity {got}, expected {integrity}")
    return data
