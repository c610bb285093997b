#!/usr/bin/env python3
"""Regenerates src/pkg/debian_bookworm.txt from the Debian bookworm amd64 package index.

Source: `apt-cache show --no-all-versions` on a Debian 12 (bookworm) host after
`apt-get update` (deb.debian.org bookworm, bookworm-updates, bookworm-security). The
catalog keeps, for the packages below and their Depends/Pre-Depends/Recommends closure,
the version, Installed-Size (KiB) and dependency names. Packages with Priority
`required`, apt and their Depends closure are marked `base`: the debian:bookworm image
has them, so they are never installed again.

The output is the text table src/pkg/debian_catalog.rs reads (format in its module
docs): one package a line, `name version installed_kib deb_bytes base depends
recommends`, lists comma-separated, `-` for an empty field.

Run: python3 tools/gen_debian_catalog.py > src/pkg/debian_bookworm.txt
"""
import re
import subprocess
import sys

ROOTS = """curl wget ca-certificates git gnupg openssl python3 python3-pip python3-venv
python3-dev build-essential gcc g++ make cmake vim nano less unzip zip xz-utils bzip2 jq
netcat-openbsd iputils-ping procps nginx postgresql-client default-mysql-client
openssh-client sudo locales tzdata libpq-dev pkg-config nodejs npm golang-go dumb-init
tini gosu file lsb-release rsync htop tree bash-completion libssl-dev zlib1g-dev
libffi-dev sqlite3 redis-tools apt-transport-https software-properties-common
default-jre-headless""".split()

BASE_EXTRA = {"apt", "gpgv", "debian-archive-keyring", "libapt-pkg6.0", "adduser"}


def show(names):
    out = subprocess.run(
        ["apt-cache", "show", "--no-all-versions", *names],
        capture_output=True, text=True,
    ).stdout
    pkgs = {}
    for block in out.split("\n\n"):
        fields = {}
        key = None
        for line in block.splitlines():
            if line.startswith(" ") and key:
                fields[key] += " " + line.strip()
                continue
            if ":" in line:
                key, _, val = line.partition(":")
                fields[key] = val.strip()
        if "Package" in fields:
            pkgs.setdefault(fields["Package"], fields)
    return pkgs


def deps(field):
    names = []
    for alt in field.split(","):
        alt = alt.strip()
        if not alt:
            continue
        first = alt.split("|")[0].strip()
        name = re.split(r"[\s(:]", first)[0]
        names.append(name)
    return names


def virtual_provider(name):
    out = subprocess.run(["apt-cache", "showpkg", name], capture_output=True, text=True).stdout
    m = re.search(r"Reverse Provides:\s*\n(\S+)", out)
    return m.group(1) if m else None


def base_set():
    """The debian:bookworm image: Priority required packages, apt, and their Depends
    closure, computed over the main Packages index."""
    text = subprocess.run(
        ["/usr/lib/apt/apt-helper", "cat-file",
         "/var/lib/apt/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4"],
        capture_output=True, text=True,
    ).stdout
    index = {}
    for block in text.split("\n\n"):
        fields = {}
        key = None
        for line in block.splitlines():
            if line.startswith(" ") and key:
                fields[key] += " " + line.strip()
                continue
            if ":" in line:
                key, _, val = line.partition(":")
                fields[key] = val.strip()
        if "Package" in fields:
            index[fields["Package"]] = fields
    todo = [n for n, f in index.items() if f.get("Priority") == "required"] + sorted(BASE_EXTRA)
    base = set()
    while todo:
        n = todo.pop()
        if n in base or n not in index:
            continue
        base.add(n)
        f = index[n]
        todo.extend(deps(f.get("Pre-Depends", "")) + deps(f.get("Depends", "")))
    return base


def main():
    catalog = {}
    base_pkgs = base_set()
    queue = list(ROOTS)
    seen = set()
    while queue:
        batch = [n for n in queue if n not in seen]
        queue = []
        if not batch:
            break
        seen.update(batch)
        info = show(batch)
        for n in batch:
            f = info.get(n)
            if f is None:
                prov = virtual_provider(n)
                if prov:
                    catalog.setdefault(n, {"virtual": prov})
                    if prov not in seen:
                        queue.append(prov)
                continue
            base = n in base_pkgs
            d = deps(f.get("Pre-Depends", "")) + deps(f.get("Depends", ""))
            r = deps(f.get("Recommends", ""))
            catalog[n] = {
                "version": f.get("Version", ""),
                "size": int(f.get("Installed-Size", "0") or 0),
                "deb": int(f.get("Size", "0") or 0),
                "depends": d,
                "recommends": r,
                "base": base,
                "section": f.get("Section", ""),
            }
            if not base:
                queue.extend(x for x in d + r if x not in seen)
    w = sys.stdout.write

    def names(xs):
        return ",".join(xs) or "-"

    for n in sorted(catalog):
        p = catalog[n]
        if "virtual" in p:
            w(f"{n} - 0 0 0 {p['virtual']} -\n")
            continue
        base = 1 if p["base"] else 0
        w(f"{n} {p['version'] or '-'} {p['size']} {p['deb']} {base} "
          f"{names(p['depends'])} {names(p['recommends'])}\n")

main()
