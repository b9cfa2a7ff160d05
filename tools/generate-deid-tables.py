#!/usr/bin/env python3
"""Generate the de-identification tables of camel-dicom-secure (package org.cameldicomsecure.deid).

From the repository root, Python 3 standard library only:

    python3 tools/generate-deid-tables.py [--input-dir DIR]

DIR (default /work/shared/dicom-standard) must hold:

    confidentiality_profile_attributes.json   PS3.15 Table E.1-1, innolitics/dicom-standard, edition 2024b
    attributes.json                           PS3.6 data dictionary (keywords), same repository, edition 2024b
    safe-private-attributes-E.3.10-1.csv      PS3.15 Table E.3.10-1 (extracted from the 2023b DocBook)
    clean-structured-content-E.3.4-1.csv      PS3.15 Table E.3.4-1 (extracted from the 2023b DocBook)

and the script writes, under camel-dicom-secure/src/main/resources/org/cameldicomsecure/deid/:

    confidentiality-profile.tsv     one row per Table E.1-1 row: tag, mask, keyword, name, the Basic Profile action
                                    and each Option's action ("-" where the Option adds nothing), stdCompIOD
    safe-private-attributes.tsv     one row per Table E.3.10-1 row: group, element offset (the xx of (gggg,xxee) is
                                    the block, found at run time from the private creator), creator, VR, VM, meaning
    clean-structured-content.tsv    one row per Table E.3.4-1 row: code value, coding scheme designator, value type,
                                    the Basic Profile action and each Option's action, code meaning

Tag patterns are written as tag + mask (a tag t matches when (t & mask) == tag):
  (50XX,XXXX)        -> 50000000 FF010000   every element of the even groups 5000-50FE
  (60XX,3000)        -> 60003000 FF01FFFF   element 3000 of the even groups 6000-60FE
  (GGGG,EEEE) odd    -> 00010000 00010000   every element of an odd group
The repeating groups of PS3.5 section 7.6 are only 5000-501E and 6000-601E; the masks take every even 50xx/60xx
group, which removes more rather than less.

Nothing at build, test or run time reads the input directory: the generated files are committed. The script
refuses to write anything if an input does not have the expected shape.
"""

import argparse
import csv
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "camel-dicom-secure", "src", "main", "resources", "org", "cameldicomsecure", "deid")

OPTION_KEYS = ["rtnSafePrivOpt", "rtnUIDsOpt", "rtnDevIdOpt", "rtnInstIdOpt", "rtnPatCharsOpt",
               "rtnLongFullDatesOpt", "rtnLongModifDatesOpt", "cleanDescOpt", "cleanStructContOpt", "cleanGraphOpt"]
ACTIONS = {"D", "Z", "X", "K", "C", "U", "Z/D", "X/Z", "X/D", "X/Z/D", "X/Z/U*"}
SR_OPTION_COLUMNS = ["rtn_uids_opt", "rtn_dev_id_opt", "rtn_inst_id_opt", "rtn_pat_chars_opt",
                     "rtn_long_full_dates_opt", "rtn_long_modif_dates_opt", "clean_desc_opt"]
TAG_RE = re.compile(r"\(([0-9A-Fa-fXx]{4}),([0-9A-Fa-fXx]{4})\)")
PRIVATE_RE = re.compile(r"\(([0-9A-Fa-f]{4}),xx([0-9A-Fa-f]{2})\)")
VRS = set("AE AS AT CS DA DS DT FL FD IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV"
          .split())


def fail(msg):
    sys.exit("generate-deid-tables: " + msg + " (nothing written)")


def clean(text):
    return " ".join(str(text).split())


def tag_and_mask(text):
    if text == "(GGGG,EEEE) WHERE GGGG IS ODD":
        return 0x00010000, 0x00010000
    m = TAG_RE.fullmatch(text)
    if not m:
        fail("unexpected tag " + repr(text))
    hexdigits = (m.group(1) + m.group(2)).upper()
    tag = mask = 0
    for i, ch in enumerate(hexdigits):
        shift = 28 - 4 * i
        if ch == "X":
            continue
        tag |= int(ch, 16) << shift
        mask |= 0xF << shift
    if mask != 0xFFFFFFFF:
        # a wildcard group 50xx/60xx: the low bit of the group must be 0 (even groups only)
        if hexdigits[2:4] == "XX":
            mask |= 0x00010000
    return tag, mask


def keywords(path):
    with open(path, encoding="utf-8") as f:
        attrs = json.load(f)
    out = {}
    for a in attrs:
        out[a["tag"].upper()] = a.get("keyword", "")
    return out


def profile(src, kw):
    with open(src, encoding="utf-8") as f:
        rows = json.load(f)
    if len(rows) < 600:
        fail("%s has %d rows, expected about 621" % (src, len(rows)))
    out = []
    seen = set()
    for r in rows:
        tag, mask = tag_and_mask(r["tag"])
        if (tag, mask) in seen:
            fail("duplicate tag " + r["tag"])
        seen.add((tag, mask))
        basic = r["basicProfile"]
        if basic not in ACTIONS:
            fail("unknown action %r for %s" % (basic, r["tag"]))
        opts = []
        for k in OPTION_KEYS:
            v = r.get(k, "")
            if v and v not in ACTIONS:
                fail("unknown action %r for %s %s" % (v, r["tag"], k))
            opts.append(v or "-")
        keyword = kw.get(r["tag"].upper(), "") if mask == 0xFFFFFFFF else ""
        out.append(["%08X" % tag, "%08X" % mask, keyword or "-", clean(r["name"]), basic] + opts
                   + [r.get("stdCompIOD", "-")])
    out.sort(key=lambda row: (row[0], row[1]))
    return out


def safe_private(src):
    out = []
    with open(src, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            m = PRIVATE_RE.fullmatch(r["data_element"].strip())
            if not m:
                fail("unexpected private data element " + repr(r["data_element"]))
            group = int(m.group(1), 16)
            if group % 2 == 0:
                fail("private group must be odd: " + r["data_element"])
            creator = r["private_creator"]
            if not creator or "\t" in creator:
                fail("bad private creator in " + r["data_element"])
            vr = r["vr"].strip() or "-"
            for part in vr.split("/"):
                if part != "-" and part not in VRS:
                    fail("unknown VR %r in %s" % (vr, r["data_element"]))
            out.append(["%04X" % group, m.group(2).upper(), creator, vr, clean(r["vm"]) or "-",
                        clean(r["meaning"]) or "-"])
    if len(out) < 400:
        fail("%s has %d rows, expected about 479" % (src, len(out)))
    return out


def structured(src):
    out = []
    with open(src, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            basic = r["basic_profile"].strip()
            if basic not in ACTIONS:
                fail("unknown action %r for code %s" % (basic, r["code_value"]))
            opts = []
            for c in SR_OPTION_COLUMNS:
                v = r[c].strip()
                if v and v not in ACTIONS:
                    fail("unknown action %r for code %s %s" % (v, r["code_value"], c))
                opts.append(v or "-")
            out.append([r["code_value"].strip(), r["coding_scheme_designator"].strip(), r["value_type"].strip(),
                        basic] + opts + [clean(r["code_meaning"])])
    if len(out) < 200:
        fail("%s has %d rows, expected about 209" % (src, len(out)))
    return out


def write(name, header_comment, columns, rows):
    path = os.path.join(OUT_DIR, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for line in header_comment:
            f.write("# " + line + "\n")
        f.write("\t".join(columns) + "\n")
        for r in rows:
            for cell in r:
                if "\t" in cell or "\n" in cell:
                    fail("tab or newline in a cell of " + name)
            f.write("\t".join(r) + "\n")
    print("wrote %s (%d rows)" % (os.path.relpath(path, ROOT), len(rows)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input-dir", default="/work/shared/dicom-standard")
    args = ap.parse_args()
    d = args.input_dir
    kw = keywords(os.path.join(d, "attributes.json"))
    prof = profile(os.path.join(d, "confidentiality_profile_attributes.json"), kw)
    safe = safe_private(os.path.join(d, "safe-private-attributes-E.3.10-1.csv"))
    sr = structured(os.path.join(d, "clean-structured-content-E.3.4-1.csv"))
    os.makedirs(OUT_DIR, exist_ok=True)
    gen = "Generated by tools/generate-deid-tables.py -- do not edit."
    lic = "Data from innolitics/dicom-standard (MIT licence, see NOTICE); DICOM is copyright NEMA."
    write("confidentiality-profile.tsv", [
        gen,
        "Source: DICOM PS3.15 Table E.1-1 'Application Level Confidentiality Profile Attributes', edition 2024b,",
        "from innolitics/dicom-standard standard/confidentiality_profile_attributes.json; keywords from PS3.6",
        "(standard/attributes.json, edition 2024b). A tag t matches a row when (t & mask) == tag.",
        "Actions: D Z X K C U Z/D X/Z X/D X/Z/D X/Z/U*; '-' = the Option adds nothing to the Basic Profile.",
        lic,
    ], ["tag", "mask", "keyword", "name", "basicProfile"] + OPTION_KEYS + ["stdCompIOD"], prof)
    write("safe-private-attributes.tsv", [
        gen,
        "Source: DICOM PS3.15 Table E.3.10-1 'Safe Private Attributes' (extracted from the 2023b DocBook source;",
        "shared with the 2024b tables above). An element (gggg,xxee) is safe when the block xx of group gggg is",
        "reserved by the named private creator and its low byte is ee.",
        "DICOM is copyright NEMA.",
    ], ["group", "element", "creator", "vr", "vm", "meaning"], safe)
    write("clean-structured-content.tsv", [
        gen,
        "Source: DICOM PS3.15 Table E.3.4-1 'Clean Structured Content Option Content Item Concept Name Codes'",
        "(extracted from the 2023b DocBook source). Actions as in Table E.1-1; '-' = no change by the Option.",
        "DICOM is copyright NEMA.",
    ], ["codeValue", "codingSchemeDesignator", "valueType", "basicProfile", "rtnUIDsOpt", "rtnDevIdOpt",
        "rtnInstIdOpt", "rtnPatCharsOpt", "rtnLongFullDatesOpt", "rtnLongModifDatesOpt", "cleanDescOpt",
        "codeMeaning"], sr)


if __name__ == "__main__":
    main()
