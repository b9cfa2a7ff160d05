#!/usr/bin/env python3
"""Import the DICOM audit message schema (PS3.15 A.5.1.1, RELAX NG Compact) into the project.

Usage: tools/import-audit-schema.py PATH/TO/audit-message.rnc [--edition 2024c]

Reads the schema text given on the command line and writes
camel-dicom-secure/src/main/resources/org/cameldicomsecure/audit/audit-message.rnc with a header comment naming
its source. The schema body is copied unchanged (only line endings are normalised to LF and trailing blank lines
dropped); re-running with the same input gives the same file. Nothing at build, test or run time reads the input.
"""
import argparse
import hashlib
import pathlib
import sys

TARGET = pathlib.Path(__file__).resolve().parent.parent / \
    "camel-dicom-secure/src/main/resources/org/cameldicomsecure/audit/audit-message.rnc"
MARK = "# ---- end of import header ----"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source", help="the audit-message.rnc to import (the schema text of PS3.15 A.5.1.1)")
    ap.add_argument("--edition", default="2024c", help="the DICOM edition the schema is taken from (default 2024c)")
    ap.add_argument("--output", default=str(TARGET), help="where to write (default: the project resource)")
    a = ap.parse_args()

    raw = pathlib.Path(a.source).read_bytes()
    text = raw.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")
    if MARK in text:  # importing a file this tool wrote: strip the old header
        text = text.split(MARK + "\n", 1)[1]
    text = text.rstrip("\n") + "\n"
    for needle in ("element AuditMessage", "start = message", "CodedValueType"):
        if needle not in text:
            sys.exit(f"error: {a.source} does not look like the DICOM audit message schema (no '{needle}')")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    header = (
        "# DICOM Audit Message schema, RELAX NG Compact syntax.\n"
        f"# Source: DICOM PS3.15 {a.edition}, Section A.5.1.1 \"Audit Message Schema\" (Audit Trail Message Format\n"
        "# Profile), imported with tools/import-audit-schema.py; see tools/README-audit-schema.md.\n"
        "# The schema below is unchanged. Do not edit it here: re-import it.\n"
        f"# sha256 of the schema text below: {digest}\n"
        f"{MARK}\n"
    )
    out = pathlib.Path(a.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    new = header + text
    if out.exists() and out.read_text(encoding="utf-8") == new:
        print(f"{out}: unchanged")
        return
    tmp = out.with_suffix(".tmp")
    tmp.write_text(new, encoding="utf-8", newline="\n")
    tmp.replace(out)
    print(f"{out}: written ({len(text.splitlines())} schema lines, sha256 {digest[:16]}...)")


if __name__ == "__main__":
    main()
