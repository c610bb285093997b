#!/usr/bin/env python3
"""Regenerates src/pkg/debian_bookworm.txt from the Debian bookworm amd64 package index.

Source: `apt-cache show --no-all-versions` on a Debian 12 (bookworm) host after
`apt-get update` (deb.debian.org bookworm, bookworm-updates, bookworm-security). The
catalog keeps, for the packages below and their Depends/Pre-Depends/Recommends closure,
the version, Installed-Size (KiB) and dependency names. Packages with Priority
`required`, apt and their Depends closure are marked `base`: the debian:bookworm image
has them, so they are never installed again.

The output is the text table src/pkg/debian_catalog.rs reads; its module docs describe
the format (one line a column, names front-coded, numbers in base 36, dependencies as
two-digit base-36 indexes into the name line). `write_table` below is its only writer.

Run: python3 tools/gen_debian_catalog.py > src/pkg/debian_bookworm.txt

`--from-lines FILE` re-encodes a table in the former one-package-a-line format
(`name version installed_kib deb_bytes base depends recommends`, lists comma-separated,
`-` for an empty field: what this script printed before the columns) through the same
`write_table`, without apt. The committed table was made that way from the former
table, so its data is the index as it was then, not what apt says today.
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
    write_table(catalog, sys.stdout.write)


B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def b36(n):
    digits = ""
    while True:
        n, d = divmod(n, 36)
        digits = B36[d] + digits
        if n == 0:
            return digits


def write_table(catalog, w):
    """Writes the table debian_catalog.rs reads, one line a column, fields separated by
    single spaces:

    1. every name, front-coded: one base-36 digit (how many leading characters it shares
       with the name before it, at most 35), then the rest. First the packages, sorted,
       then the names only depended on (not in the catalog), sorted.
    2. versions; empty when the same as the package before, `-` for a virtual package.
    3. installed KiB and 4. .deb bytes, base 36.
    5. one `1` or `0` a package, not separated: in the debian:bookworm image.
    6. depends and 7. recommends: each a run of two-digit base-36 indexes into line 1.
    """
    pkgs = sorted(catalog)

    def depends(p):
        return [p["virtual"]] if "virtual" in p else p["depends"]

    def recommends(p):
        return [] if "virtual" in p else p["recommends"]

    refs = {n for p in catalog.values() for n in depends(p) + recommends(p)}
    names = pkgs + sorted(refs - set(catalog))
    assert len(names) <= 36 * 36, "two base-36 digits no longer index every name"
    index = {n: i for i, n in enumerate(names)}
    assert all(" " not in n and n for n in names)

    coded, prev = [], ""
    for n in names:
        keep = 0
        while keep < min(len(n), len(prev), 35) and n[keep] == prev[keep]:
            keep += 1
        coded.append(B36[keep] + n[keep:])
        prev = n

    versions, prev = [], None
    for n in pkgs:
        p = catalog[n]
        v = "-" if "virtual" in p else (p["version"] or "-")
        versions.append("" if v == prev else v)
        prev = v

    def num(key):
        return " ".join(b36(0 if "virtual" in catalog[n] else catalog[n][key]) for n in pkgs)

    def refs_line(of):
        return " ".join("".join(b36(index[d]).rjust(2, "0") for d in of(catalog[n])) for n in pkgs)

    base = "".join("1" if catalog[n].get("base") else "0" for n in pkgs)
    for line in [" ".join(coded), " ".join(versions), num("size"), num("deb"), base,
                 refs_line(depends), refs_line(recommends)]:
        w(line + "\n")


def read_lines(path):
    """A table in the former one-package-a-line format, as main() builds it."""
    catalog = {}
    for line in open(path):
        n, version, size, deb, base, d, r = line.split(" ")
        d = [] if d == "-" else d.split(",")
        r = [] if r.strip() == "-" else r.strip().split(",")
        if version == "-" and (size, deb, base, len(d), r) == ("0", "0", "0", 1, []):
            catalog[n] = {"virtual": d[0]}
        else:
            catalog[n] = {"version": "" if version == "-" else version, "size": int(size),
                          "deb": int(deb), "depends": d, "recommends": r, "base": base == "1"}
    return catalog


if len(sys.argv) == 3 and sys.argv[1] == "--from-lines":
    write_table(read_lines(sys.argv[2]), sys.stdout.write)
else:
    main()
