#!/usr/bin/env python3
"""Generate the DICOM data dictionary of camel-dicom-secure.

Usage (from anywhere; paths are resolved from this script's location):

    python3 tools/generate-dictionary.py /path/to/attributes.json [--edition 2024b]

Input
  attributes.json   the PS3.6 registry as published by innolitics/dicom-standard
                    (file standard/attributes.json; MIT licence). Passed on the command line,
                    never read by the build, the tests or the runtime.
  tools/dictionary/supplement-0000-0002.tsv
                    hand-maintained rows the JSON lacks (group 0000 command elements of PS3.7
                    Annex E), each with its source in the standard.

Output (both overwritten; do not edit them by hand)
  camel-dicom-secure/src/main/resources/org/cameldicomsecure/dicom/dict/dictionary.tsv
  camel-dicom-secure/src/main/java/org/cameldicomsecure/dicom/Tag.java

dictionary.tsv holds one TAB-separated line per entry:

    pattern  vr  vm  retired  keyword  name

  pattern   8 characters: upper-case hex digits, lower-case 'x' for a wildcard nibble
            (repeating groups such as 60xx3000, 002804x0, 1010xxxx)
  vr        one VR, alternatives joined by '|' (US|SS, OB|OW), or '-' when PS3.6 gives none
            (the Item and delimitation items, "See Note 2", and a few unnamed retired rows)
  vm        the VM as PS3.6 prints it ("1", "1-n", "1-n or 1"), or '-' when none is given
  retired   Y or N
  keyword   PS3.6 keyword; empty for the few retired rows that have none
  name      PS3.6 name; empty when PS3.6 gives none

Every VR is checked against the VR enum (camel-dicom-secure/.../dicom/VR.java), every tag and
keyword for form and uniqueness; the script stops with a message instead of writing anything
suspicious. Python 3 standard library only. The output is deterministic: re-running the script
on the same input gives byte-identical files.
"""

import argparse
import hashlib
import json
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = os.path.join(ROOT, "camel-dicom-secure")
SUPPLEMENT = os.path.join(ROOT, "tools", "dictionary", "supplement-0000-0002.tsv")
VR_JAVA = os.path.join(MODULE, "src", "main", "java", "org", "cameldicomsecure", "dicom", "VR.java")
OUT_TSV = os.path.join(MODULE, "src", "main", "resources", "org", "cameldicomsecure", "dicom", "dict",
                       "dictionary.tsv")
OUT_TAG = os.path.join(MODULE, "src", "main", "java", "org", "cameldicomsecure", "dicom", "Tag.java")

TAG_RE = re.compile(r"^\(([0-9A-Fa-fXx]{4}),([0-9A-Fa-fXx]{4})\)$")
KEYWORD_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*$")
HEX8_RE = re.compile(r"^[0-9A-Fa-f]{8}$")
NO_VR = {"", "See Note 2"}
JAVA_RESERVED = {
    "abstract", "assert", "boolean", "break", "byte", "case", "catch", "char", "class", "const",
    "continue", "default", "do", "double", "else", "enum", "extends", "final", "finally", "float",
    "for", "goto", "if", "implements", "import", "instanceof", "int", "interface", "long", "native",
    "new", "package", "private", "protected", "public", "return", "short", "static", "strictfp",
    "super", "switch", "synchronized", "this", "throw", "throws", "transient", "try", "void",
    "volatile", "while", "true", "false", "null", "var", "record", "yield", "sealed", "permits",
}
# names of the helper methods written into Tag.java; a keyword may not clash with them
TAG_HELPERS = {"group", "element", "toString", "isPrivate", "isPrivateCreator", "isGroupLength"}


class DictError(Exception):
    pass


def known_vrs():
    """The VR constants of VR.java, so the dictionary can only name VRs the codec knows."""
    with open(VR_JAVA, encoding="utf-8") as f:
        text = f.read()
    body = text[text.index("public enum VR"):]
    vrs = set(re.findall(r"^\s+([A-Z]{2})\(Kind\.", body, re.M))
    if len(vrs) < 30:
        raise DictError("could not read the VR constants of %s (found %d)" % (VR_JAVA, len(vrs)))
    return vrs


class Entry:
    __slots__ = ("pattern", "vrs", "vm", "retired", "keyword", "name", "origin")

    def __init__(self, pattern, vrs, vm, retired, keyword, name, origin):
        self.pattern = pattern      # 8 chars, upper hex + 'x'
        self.vrs = vrs              # list of VR strings, may be empty
        self.vm = vm                # "" when none
        self.retired = retired      # bool
        self.keyword = keyword
        self.name = name
        self.origin = origin        # for messages

    @property
    def base(self):
        return int(self.pattern.replace("x", "0"), 16)

    @property
    def wildcard(self):
        return "x" in self.pattern

    def sort_key(self):
        # by the tag with x=0, then the more specific pattern first
        return (self.base, self.pattern.count("x"), self.pattern)


def parse_tag(text, origin):
    m = TAG_RE.match(text)
    if not m:
        raise DictError("%s: bad tag %r" % (origin, text))
    pattern = (m.group(1) + m.group(2)).upper().replace("X", "x")
    return pattern


def parse_vr(text, vrs_known, origin):
    text = text.strip()
    if text in NO_VR:
        return []
    parts = [p.strip() for p in text.split(" or ")]
    for p in parts:
        if p not in vrs_known:
            raise DictError("%s: unknown VR %r in %r" % (origin, p, text))
    if len(set(parts)) != len(parts):
        raise DictError("%s: repeated VR in %r" % (origin, text))
    return parts


def check_text(value, what, origin):
    if any(c in value for c in "\t\r\n"):
        raise DictError("%s: %s contains a TAB or line break: %r" % (origin, what, value))
    if value != value.strip():
        raise DictError("%s: %s has leading/trailing blanks: %r" % (origin, what, value))


def make_entry(tag, name, keyword, vr, vm, retired, vrs_known, origin):
    pattern = parse_tag(tag, origin)
    if retired not in ("Y", "N"):
        raise DictError("%s: retired must be Y or N, not %r" % (origin, retired))
    if keyword and not KEYWORD_RE.match(keyword):
        raise DictError("%s: bad keyword %r" % (origin, keyword))
    if keyword and HEX8_RE.match(keyword):
        raise DictError("%s: keyword %r looks like a hex tag" % (origin, keyword))
    if keyword in JAVA_RESERVED or keyword in TAG_HELPERS:
        raise DictError("%s: keyword %r clashes with Java or Tag.java" % (origin, keyword))
    check_text(name, "name", origin)
    check_text(vm, "VM", origin)
    if vm == "-":
        raise DictError("%s: VM '-' is reserved for 'none'" % origin)
    return Entry(pattern, parse_vr(vr, vrs_known, origin), vm, retired == "Y", keyword, name, origin)


def read_json(path, vrs_known):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if not isinstance(data, list):
        raise DictError("%s: expected a JSON array" % path)
    entries = []
    for i, row in enumerate(data):
        origin = "%s[%d] %s" % (os.path.basename(path), i, row.get("tag"))
        for key in ("tag", "name", "keyword", "valueRepresentation", "valueMultiplicity", "retired"):
            if not isinstance(row.get(key), str):
                raise DictError("%s: missing or non-text %r" % (origin, key))
        e = make_entry(row["tag"], row["name"], row["keyword"], row["valueRepresentation"],
                       row["valueMultiplicity"], row["retired"], vrs_known, origin)
        if "id" in row and row["id"].lower() != e.pattern.lower():
            raise DictError("%s: id %r does not match tag" % (origin, row["id"]))
        entries.append(e)
    return entries


def read_supplement(path, vrs_known):
    entries = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            origin = "%s:%d" % (os.path.basename(path), n)
            cols = line.split("\t")
            if len(cols) != 7:
                raise DictError("%s: expected 7 TAB-separated columns, found %d" % (origin, len(cols)))
            tag, name, keyword, vr, vm, retired, source = cols
            if not source.strip():
                raise DictError("%s: every supplement row needs a source" % origin)
            if not keyword:
                raise DictError("%s: supplement rows need a keyword" % origin)
            entries.append(make_entry(tag, name, keyword, vr, vm, retired, vrs_known, origin))
    return entries


def merge(json_entries, supplement):
    by_pattern = {}
    for e in json_entries:
        if e.pattern in by_pattern:
            raise DictError("%s: duplicate tag (also %s)" % (e.origin, by_pattern[e.pattern].origin))
        by_pattern[e.pattern] = e
    added, repeated = [], []
    for s in supplement:
        j = by_pattern.get(s.pattern)
        if j is None:
            by_pattern[s.pattern] = s
            added.append(s)
            continue
        if (j.keyword, j.vrs, j.vm, j.retired) != (s.keyword, s.vrs, s.vm, s.retired):
            raise DictError("%s contradicts %s: %r vs %r" % (
                s.origin, j.origin, (s.keyword, s.vrs, s.vm, s.retired), (j.keyword, j.vrs, j.vm, j.retired)))
        repeated.append(s)
    entries = sorted(by_pattern.values(), key=Entry.sort_key)
    keywords = {}
    for e in entries:
        if not e.keyword:
            continue
        if e.keyword.lower() in keywords:
            raise DictError("duplicate keyword %r: %s and %s" % (e.keyword, keywords[e.keyword.lower()].origin,
                                                                 e.origin))
        keywords[e.keyword.lower()] = e
    return entries, added, repeated


def display_tag(pattern):
    return "(%s,%s)" % (pattern[:4], pattern[4:])


def write_tsv(entries, counts, source_desc, edition, digest):
    lines = [
        "# DICOM PS3.6 data dictionary for camel-dicom-secure.",
        "# Generated by tools/generate-dictionary.py - do not edit; change the inputs and re-run it.",
        "# Source: %s, DICOM PS3.6 edition %s (sha256 %s)," % (source_desc, edition, digest),
        "#   plus tools/dictionary/supplement-0000-0002.tsv (PS3.7 Annex E Tables E.1-1 and E.2-1).",
        "# entries: %d (attributes.json %d, supplement %d)" % counts,
        "# columns (TAB-separated): pattern vr vm retired keyword name",
        "#   pattern: 8 hex digits, 'x' = wildcard nibble; vr: '|' between alternatives, '-' none;",
        "#   vm: '-' none; retired: Y/N; keyword and name may be empty for unnamed retired rows.",
    ]
    for e in entries:
        lines.append("\t".join([
            e.pattern,
            "|".join(e.vrs) if e.vrs else "-",
            e.vm if e.vm else "-",
            "Y" if e.retired else "N",
            e.keyword,
            e.name,
        ]))
    write(OUT_TSV, "\n".join(lines) + "\n")


def javadoc_text(s):
    out = []
    for c in s:
        if c == "&":
            out.append("&amp;")
        elif c == "<":
            out.append("&lt;")
        elif c == ">":
            out.append("&gt;")
        elif c == "@":
            out.append("&#64;")
        elif c == "\\":
            out.append("&#92;")
        elif ord(c) > 126 or ord(c) < 32:
            out.append("&#%d;" % ord(c))
        else:
            out.append(c)
    text = "".join(out)
    return text.replace("*/", "*&#47;")


TAG_HEADER = '''package org.cameldicomsecure.dicom;

/**
 * Data Element Tags of the DICOM standard as {@code int} constants ({@code 0xGGGGEEEE}), one per keyword of
 * PS3.6 (registry of data elements and File Meta Elements) and PS3.7 Annex E (command elements), plus helpers for
 * the group, element and kind of a tag.
 *
 * <p>Generated by tools/generate-dictionary.py — do not edit.
 * Source: %(source)s (PS3.6 edition %(edition)s) and tools/dictionary/supplement-0000-0002.tsv.
 * Each constant's Javadoc reads "(gggg,eeee) VR VM Name", followed by "(Retired)" for retired elements.
 *
 * <p>A constant of a repeating-group or wildcard entry such as (60xx,3000) holds the value with every {@code x}
 * set to 0 ({@link #OverlayData} = {@code 0x60003000}), as dcm4che does; use
 * {@link org.cameldicomsecure.dicom.dict.Dictionary} to look up a tag of another group.
 */
public final class Tag {

    private Tag() {
    }

    /** The Group Number of a tag (PS3.5 §7.1.1), 0 to 0xFFFF. */
    public static int group(int tag) {
        return tag >>> 16;
    }

    /** The Element Number of a tag (PS3.5 §7.1.1), 0 to 0xFFFF. */
    public static int element(int tag) {
        return tag & 0xFFFF;
    }

    /** The tag in the notation of the standard, {@code "(GGGG,EEEE)"} with upper-case hexadecimal digits. */
    public static String toString(int tag) {
        char[] c = new char[11];
        c[0] = '(';
        c[5] = ',';
        c[10] = ')';
        for (int i = 0; i < 4; i++) {
            c[4 - i] = HEX[(tag >>> (16 + 4 * i)) & 0xF];
            c[9 - i] = HEX[(tag >>> (4 * i)) & 0xF];
        }
        return new String(c);
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * Whether the tag is that of a Private Data Element: its group is odd (PS3.5 §7.1, §7.8) and is not one of the
     * groups 0001, 0003, 0005, 0007 and FFFF, whose elements "shall not be used" (PS3.5 §7.8.1 d).
     */
    public static boolean isPrivate(int tag) {
        int group = tag >>> 16;
        return (group & 1) != 0 && group > 0x0007 && group != 0xFFFF;
    }

    /**
     * Whether the tag is a Private Creator Data Element: a private group (see {@link #isPrivate}) and element
     * 0010 to 00FF, each of which reserves the block (gggg,xx00-xxFF) (PS3.5 §7.8.1 a, b).
     */
    public static boolean isPrivateCreator(int tag) {
        int element = tag & 0xFFFF;
        return isPrivate(tag) && element >= 0x0010 && element <= 0x00FF;
    }

    /** Whether the tag is a Group Length element (gggg,0000) of any group (PS3.5 §7.2). */
    public static boolean isGroupLength(int tag) {
        return (tag & 0xFFFF) == 0;
    }
'''


def write_tag_java(entries, source_desc, edition):
    out = [TAG_HEADER % {"source": javadoc_text(source_desc), "edition": edition}]
    exact = {e.base: e for e in entries if not e.wildcard}
    for e in entries:
        if not e.keyword:
            continue
        vr = " or ".join(e.vrs) if e.vrs else "(no VR)"
        vm = e.vm if e.vm else "(no VM)"
        doc = "%s %s %s %s" % (display_tag(e.pattern), vr, vm, javadoc_text(e.name) if e.name else "")
        doc = doc.rstrip()
        if e.retired:
            doc += " (Retired)"
        value = "0x%08X" % e.base
        out.append("")
        if e.wildcard:
            out.append("    /**")
            out.append("     * %s" % doc)
            out.append("     * <p>Wildcard entry: each {@code x} nibble is 0 in this value; Dictionary matches the whole "
                       "pattern.")
            other = exact.get(e.base)
            if other is not None:
                out.append("     * This value is also %s %s, which is what Dictionary returns for it." % (
                    display_tag(other.pattern), other.keyword or "(unnamed)"))
            elif e.base & 0xFFFF == 0:
                out.append("     * This value is also the Group Length (%s,0000), which is what Dictionary returns "
                           "for it." % e.pattern[:4])
            out.append("     */")
        else:
            out.append("    /** %s */" % doc)
        out.append("    public static final int %s = %s;" % (e.keyword, value))
    out.append("}")
    write(OUT_TAG, "\n".join(out) + "\n")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("attributes_json", help="innolitics dicom-standard standard/attributes.json")
    ap.add_argument("--edition", default="2024b", help="PS3.6 edition the JSON was made from (default 2024b)")
    ap.add_argument("--source", default="innolitics/dicom-standard standard/attributes.json",
                    help="how to name the JSON in the generated headers")
    args = ap.parse_args(argv)
    try:
        if not re.match(r"^\d{4}[a-e]$", args.edition):
            raise DictError("edition must look like 2024b, not %r" % args.edition)
        with open(args.attributes_json, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        vrs_known = known_vrs()
        json_entries = read_json(args.attributes_json, vrs_known)
        supplement = read_supplement(SUPPLEMENT, vrs_known)
        entries, added, repeated = merge(json_entries, supplement)
        counts = (len(entries), len(json_entries), len(added))
        write_tsv(entries, counts, args.source, args.edition, digest)
        write_tag_java(entries, args.source, args.edition)
    except (DictError, OSError, ValueError) as ex:
        print("generate-dictionary: %s" % ex, file=sys.stderr)
        return 1
    constants = sum(1 for e in entries if e.keyword)
    print("dictionary: %d entries (attributes.json %d, supplement %d added, %d repeated), %d wildcard, "
          "%d Tag constants" % (len(entries), len(json_entries), len(added), len(repeated),
                                sum(1 for e in entries if e.wildcard), constants))
    print("wrote %s" % os.path.relpath(OUT_TSV, ROOT))
    print("wrote %s" % os.path.relpath(OUT_TAG, ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
