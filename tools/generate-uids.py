#!/usr/bin/env python3
"""Generate the DICOM UID registry of camel-dicom-secure from DICOM PS3.6 Annex A, Table A-1 "UID Values".

Regenerate the outputs from the committed input data (one command, from the repository root):

    python3 tools/generate-uids.py

Take a new edition of the standard (one command): point it at NEMA's own files -- either the chunked HTML
(output/chtml/part06/chapter_A.html, output/chtml/part04/sect_B.5.html, sect_GG.3.html, sect_I.4.html) or the
DocBook sources (source/docbook/part06/part06.xml, source/docbook/part04/part04.xml) -- and say where they came from:

    python3 tools/generate-uids.py \\
        --part06 chapter_A.html \\
        --part04 sect_B.5.html --part04 sect_GG.3.html --part04 sect_I.4.html \\
        --source "dicom.nema.org/medical/dicom/2025a/output/chtml (downloaded 2025-03-01)"

That rewrites the input data under tools/uids/ (Table A-1, and the PS3.4 Storage tables used to check the
storage rule) and then the two outputs:

    camel-dicom-secure/src/main/resources/org/cameldicomsecure/dicom/dict/uids.tsv
    camel-dicom-secure/src/main/java/org/cameldicomsecure/dicom/UID.java

Python 3 standard library only. The generator refuses to write anything when the table does not have the shape
it expects (unknown header, malformed UID, duplicate UID or keyword, too few rows, a PS3.4 Storage SOP Class the
storage rule would miss), rather than emitting a thinner registry. See tools/README-uids.md.
"""

import argparse
import datetime
import hashlib
import os
import re
import sys
import textwrap
import xml.etree.ElementTree as ET

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = os.path.join(ROOT, "tools", "uids")
TABLE_A1 = os.path.join(DATA_DIR, "table_A-1.tsv")
PS34_TABLES = os.path.join(DATA_DIR, "ps3.4-storage-tables.tsv")
OUT_TSV = os.path.join(ROOT, "camel-dicom-secure", "src", "main", "resources",
                       "org", "cameldicomsecure", "dicom", "dict", "uids.tsv")
OUT_JAVA = os.path.join(ROOT, "camel-dicom-secure", "src", "main", "java",
                        "org", "cameldicomsecure", "dicom", "UID.java")

A1_COLUMNS = ["UID Value", "UID Name", "UID Keyword", "UID Type", "Part"]
PS34_TABLE_IDS = {"table_B.5-1": "B.5-1", "table_GG.3-1": "GG.3-1", "table_I.4-1": "I.4-1"}
MIN_ROWS = 400  # Table A-1 had 454 rows in 2024c; far fewer means a parse gap, not a new edition

# PS3.5 section 9.1: components of digits, no leading zero unless the component is "0", at most 64 characters.
UID_RE = re.compile(r"(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*")
KEYWORD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
EDITION_RE = re.compile(r"DICOM PS3\.(\d+) (\d{4}[a-z]?) - ")
RETIRED_SUFFIX = "(Retired)"
MEDIA_STORAGE_DIRECTORY_STORAGE = "1.2.840.10008.1.3.10"
JAVA_RESERVED = set("""abstract assert boolean break byte case catch char class const continue default do double
    else enum extends final finally float for goto if implements import instanceof int interface long native new
    package private protected public return short static strictfp super switch synchronized this throw throws
    transient try void volatile while true false null var record yield sealed permits""".split())


def fail(msg):
    sys.stderr.write("generate-uids: " + msg + "\n")
    sys.exit(1)


# ----------------------------------------------------------------------------------------------------------------
# Reading NEMA's files (chtml or DocBook): find a table by its id, return its header and body rows as plain text.
# ----------------------------------------------------------------------------------------------------------------

def _local(tag):
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _text_parts(elem, out):
    # DocBook cross-references are empty elements that the stylesheets render: <olink targetdoc="PS3.4"/> is the
    # "PS3.4" of the chtml's Part column.
    if elem.text:
        out.append(elem.text)
    elif _local(elem.tag) == "olink" and len(elem) == 0:
        out.append(elem.get("targetdoc", ""))
    elif _local(elem.tag) == "xref" and len(elem) == 0:
        out.append(elem.get("linkend", ""))
    for child in elem:
        _text_parts(child, out)
        if child.tail:
            out.append(child.tail)


def _cell_text(elem):
    # PS3.x print ZERO WIDTH SPACE (U+200B) where a line may break, inside UIDs and keywords too.
    out = []
    _text_parts(elem, out)
    text = "".join(out).replace("\u200b", "").replace("\u00a0", " ")
    return " ".join(text.split())


def _find_table(root, table_id):
    xml_id = "{http://www.w3.org/XML/1998/namespace}id"
    # DocBook: <table xml:id="table_A-1">
    for elem in root.iter():
        if _local(elem.tag) == "table" and elem.get(xml_id) == table_id:
            return elem
    # chtml: <div class="table"><a id="table_A-1"/> ... <table> ... </table></div>
    for elem in root.iter():
        if _local(elem.tag) == "div" and elem.get("class") == "table":
            if any(_local(a.tag) == "a" and a.get("id") == table_id for a in elem.iter()):
                for t in elem.iter():
                    if _local(t.tag) == "table":
                        return t
    return None


def _table_rows(table):
    header, body = None, []
    for tr in table.iter():
        if _local(tr.tag) != "tr":
            continue
        cells = [c for c in tr if _local(c.tag) in ("td", "th")]
        for c in cells:
            if c.get("colspan", "1") != "1" or c.get("rowspan", "1") != "1":
                fail("table cell spans rows or columns; the extractor does not handle that shape")
        texts = [_cell_text(c) for c in cells]
        if header is None and (all(_local(c.tag) == "th" for c in cells) or _in_thead(table, tr)):
            header = texts
        else:
            body.append(texts)
    return header, body


def _in_thead(table, tr):
    for thead in table.iter():
        if _local(thead.tag) == "thead" and any(x is tr for x in thead.iter()):
            return True
    return False


def _edition(raw_text, part):
    for m in EDITION_RE.finditer(raw_text):
        if m.group(1) == str(part):
            return m.group(2)
    fail("cannot find 'DICOM PS3.%s <edition> - ' in the file; is it a NEMA PS3.%s file?" % (part, part))


def read_nema_tables(path, table_ids, part):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8")
    root = ET.fromstring(raw)
    found = {}
    for table_id in table_ids:
        table = _find_table(root, table_id)
        if table is not None:
            found[table_id] = _table_rows(table)
    return _edition(text, part), hashlib.sha256(raw).hexdigest(), found


# ----------------------------------------------------------------------------------------------------------------
# The committed input data: tools/uids/*.tsv with "# key: value" metadata lines, a header line, then rows.
# ----------------------------------------------------------------------------------------------------------------

def write_data(path, meta, header, rows):
    for r in rows:
        for v in r:
            if "\t" in v or "\n" in v:
                fail("cell contains a tab or newline: %r" % (r,))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for k, v in meta:
            f.write("# %s: %s\n" % (k, v))
        f.write("\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")


def read_data(path):
    meta, header, rows = {}, None, []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                m = re.match(r"#\s*([^:]+):\s*(.*)", line)
                if m:
                    meta[m.group(1).strip()] = m.group(2).strip()
                continue
            if not line:
                continue
            cols = line.split("\t")
            if header is None:
                header = cols
            else:
                if len(cols) != len(header):
                    fail("%s: row has %d columns, header has %d: %r" % (path, len(cols), len(header), line))
                rows.append(cols)
    if header is None:
        fail("%s: no header line" % path)
    return meta, header, rows


def extract(args):
    """Extract Table A-1 (and the PS3.4 Storage tables) from NEMA files into tools/uids/."""
    today = datetime.date.today().isoformat()
    edition, sha, found = read_nema_tables(args.part06, ["table_A-1"], 6)
    if "table_A-1" not in found:
        fail("%s has no table_A-1" % args.part06)
    header, body = found["table_A-1"]
    missing = [c for c in ("UID Value", "UID Name", "UID Keyword", "UID Type") if c not in (header or [])]
    if missing:
        fail("Table A-1 header %r lacks %r" % (header, missing))
    idx = [header.index(c) if c in header else None for c in A1_COLUMNS]
    rows = []
    for r in body:
        if len(r) != len(header):
            fail("Table A-1 row has %d cells, header has %d: %r" % (len(r), len(header), r))
        rows.append([r[i] if i is not None else "" for i in idx])
    write_data(TABLE_A1, [
        ("content", 'DICOM PS3.6 Annex A, Table A-1 "UID Values": every body row, cell text verbatim '
                    "(U+200B zero width spaces removed, white space collapsed)"),
        ("source", args.source),
        ("file", os.path.basename(args.part06)),
        ("sha256", sha),
        ("edition", edition),
        ("extracted", today + " by tools/generate-uids.py"),
        ("rows", str(len(rows))),
    ], A1_COLUMNS, rows)
    print("wrote %s: %d rows, PS3.6 %s" % (os.path.relpath(TABLE_A1, ROOT), len(rows), edition))

    if args.part04:
        out, editions, files = [], set(), []
        for p in args.part04:
            ed, sha4, tables = read_nema_tables(p, list(PS34_TABLE_IDS), 4)
            editions.add(ed)
            files.append("%s sha256 %s" % (os.path.basename(p), sha4))
            for tid, (hdr, body4) in tables.items():
                if not hdr or "SOP Class UID" not in hdr or "SOP Class Name" not in hdr:
                    fail("%s %s: unexpected header %r" % (p, tid, hdr))
                iu, iname = hdr.index("SOP Class UID"), hdr.index("SOP Class Name")
                for r in body4:
                    out.append([PS34_TABLE_IDS[tid], r[iu], r[iname]])
        got = {r[0] for r in out}
        if got != set(PS34_TABLE_IDS.values()):
            fail("PS3.4 tables missing from --part04 files: %r" % sorted(set(PS34_TABLE_IDS.values()) - got))
        if len(editions) != 1:
            fail("--part04 files are of different editions: %r" % sorted(editions))
        write_data(PS34_TABLES, [
            ("content", "DICOM PS3.4 Tables B.5-1 (Storage Service Class), GG.3-1 (Non-Patient Object Storage "
                        "Service Class) and I.4-1 (Media Storage Standard SOP Classes): SOP Class UID and name, "
                        "cell text verbatim; used only to check the storage rule"),
            ("source", args.source),
            ("files", "; ".join(files)),
            ("edition", editions.pop()),
            ("extracted", today + " by tools/generate-uids.py"),
            ("rows", str(len(out))),
        ], ["Table", "SOP Class UID", "SOP Class Name"], out)
        print("wrote %s: %d rows" % (os.path.relpath(PS34_TABLES, ROOT), len(out)))


# ----------------------------------------------------------------------------------------------------------------
# Generation
# ----------------------------------------------------------------------------------------------------------------

class Entry:
    def __init__(self, uid, name, keyword, uid_type, part):
        self.uid = uid
        self.raw_name = name
        self.retired = name.endswith(RETIRED_SUFFIX)
        self.name = name[:-len(RETIRED_SUFFIX)].rstrip() if self.retired else name
        self.keyword = keyword
        self.type = uid_type
        self.part = part


def is_storage_sop_class(e):
    """The storage rule; UID.storageSopClasses() implements the same rule in Java (tools/README-uids.md).

    A SOP Class whose name, without the " (Retired)" mark and a trailing " SOP Class", ends in " Storage" or
    contains " Storage - " ("... Image Storage - For Presentation", "... Storage - Trial"), retired ones
    included, except Media Storage Directory Storage (the DICOMDIR SOP Class of PS3.4 Annex I / PS3.10, never
    sent with C-STORE).
    """
    if e.type != "SOP Class" or e.uid == MEDIA_STORAGE_DIRECTORY_STORAGE:
        return False
    n = e.name
    if n.endswith(" SOP Class"):
        n = n[:-len(" SOP Class")]
    return n.endswith(" Storage") or " Storage - " in n


def load_entries():
    meta, header, rows = read_data(TABLE_A1)
    if header != A1_COLUMNS:
        fail("%s: header %r, expected %r" % (TABLE_A1, header, A1_COLUMNS))
    for k in ("source", "edition", "sha256"):
        if not meta.get(k):
            fail("%s: metadata line '# %s:' missing" % (TABLE_A1, k))
    if len(rows) < MIN_ROWS:
        fail("%s: only %d rows (expected at least %d)" % (TABLE_A1, len(rows), MIN_ROWS))
    uids, keywords = {}, {}
    for r in rows:
        e = Entry(*r)
        if not UID_RE.fullmatch(e.uid) or len(e.uid) > 64:
            fail("malformed UID %r" % e.uid)
        if e.uid in uids:
            fail("duplicate UID %s" % e.uid)
        uids[e.uid] = e
        if not e.type:
            fail("UID %s has no type" % e.uid)
        if e.keyword:
            if not KEYWORD_RE.fullmatch(e.keyword) or e.keyword in JAVA_RESERVED:
                fail("keyword %r of %s is not a usable Java identifier" % (e.keyword, e.uid))
            if e.keyword in keywords:
                fail("duplicate keyword %s (%s and %s)" % (e.keyword, keywords[e.keyword].uid, e.uid))
            keywords[e.keyword] = e
        elif not e.retired:
            fail("UID %s (%r) has no keyword and is not retired" % (e.uid, e.raw_name))
        retired_part = bool(re.search(r"\(\d{4}[a-z]?\)", e.part))
        if retired_part != e.retired:
            sys.stderr.write("generate-uids: warning: %s: name %r and Part %r disagree on retirement\n"
                             % (e.uid, e.raw_name, e.part))
    return meta, [uids[r[0]] for r in rows]


def check_storage_rule(entries, edition):
    """Every SOP Class of PS3.4 Tables B.5-1 and GG.3-1 must be in the storage set; I.4-1-only ones must not."""
    if not os.path.exists(PS34_TABLES):
        sys.stderr.write("generate-uids: warning: %s missing, storage rule not checked\n" % PS34_TABLES)
        return
    meta, header, rows = read_data(PS34_TABLES)
    if meta.get("edition") != edition:
        sys.stderr.write("generate-uids: warning: PS3.4 tables are edition %s, Table A-1 is %s\n"
                         % (meta.get("edition"), edition))
    by_uid = {e.uid: e for e in entries}
    storage = {e.uid for e in entries if is_storage_sop_class(e)}
    listed = set()
    for table, uid, name in rows:
        if table in ("B.5-1", "GG.3-1"):
            listed.add(uid)
            if uid not in by_uid:
                fail("PS3.4 Table %s lists %s (%s), which Table A-1 lacks" % (table, uid, name))
            if uid not in storage:
                fail("storage rule misses %s (%s) of PS3.4 Table %s" % (uid, name, table))
    for table, uid, name in rows:
        if table == "I.4-1" and uid not in listed and uid in storage:
            fail("storage rule takes %s (%s), a Media Storage-only SOP Class (PS3.4 Table I.4-1)" % (uid, name))
    for uid in sorted(storage - listed):
        e = by_uid[uid]
        if not e.retired and e.part.startswith("PS3"):
            fail("storage rule takes %s (%s), which is neither retired, nor in PS3.4 Tables B.5-1/GG.3-1, nor "
                 "defined outside PS3 (DICOS, DICONDE); review the rule" % (uid, e.name))
    print("storage rule checked against PS3.4 %s: %d listed in B.5-1/GG.3-1, %d more retired or DICOS/DICONDE"
          % (meta.get("edition"), len(listed), len(storage - listed)))


def source_line(meta):
    return "%s (%s, sha256 %s)" % (meta["source"], meta.get("file", "?"), meta["sha256"][:16])


def write_tsv(meta, entries):
    os.makedirs(os.path.dirname(OUT_TSV), exist_ok=True)
    with open(OUT_TSV, "w", encoding="utf-8", newline="\n") as f:
        f.write("uid\tkeyword\tname\ttype\tretired\n")
        f.write("# generated by tools/generate-uids.py from %s, edition %s \u2014 do not edit\n"
                % (source_line(meta), meta["edition"]))
        for e in entries:
            f.write("\t".join([e.uid, e.keyword, e.name, e.type, "Y" if e.retired else "N"]) + "\n")


def javadoc_text(s):
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("@", "&#64;")
    return s.replace("*/", "*&#47;").replace("\\u", "\\\\u")


def java_string(s):
    out = []
    for ch in s:
        if ch in "\\\"":
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) > 0x7e:
            out.append("\\u%04x" % ord(ch))
        else:
            out.append(ch)
    return "".join(out)


JAVA_TEMPLATE = '''// Generated by tools/generate-uids.py \u2014 do not edit.
// Source: DICOM PS3.6 Annex A, Table A-1 "UID Values", edition @EDITION@:
// @SOURCE@
package org.cameldicomsecure.dicom;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The DICOM Unique Identifiers registered in PS3.6 Annex A, Table A-1 "UID Values" (edition @EDITION@): Transfer
 * Syntaxes, SOP Classes, Meta SOP Classes, Well-known SOP Instances, the Application Context Name, Coding Schemes,
 * LDAP OIDs and the rest.
 *
 * <p>Generated by tools/generate-uids.py \u2014 do not edit; regenerate with {@code python3 tools/generate-uids.py}
 * (see tools/README-uids.md). One constant per entry, named by the entry's UID Keyword; the @NO_KEYWORD@ retired
 * entries to which the standard gives no keyword have no constant but are known to the lookups.
 *
 * <p>The lookups read {@code org/cameldicomsecure/dicom/dict/uids.tsv} once, on first use. They accept a UID as
 * it appears in a data set, with its trailing NUL or space padding (PS3.5 section 9.1), and never throw for an
 * unknown or {@code null} UID.
 */
public final class UID {

@CONSTANTS@
    /** Number of UIDs in {@link #storageSopClasses()} as counted by the generator; checked by the tests. */
    static final int STORAGE_SOP_CLASS_COUNT = @STORAGE_COUNT@;

    /** Number of entries of Table A-1 in the resource; checked by the tests. */
    static final int ENTRY_COUNT = @ENTRY_COUNT@;

    static final String RESOURCE = "/org/cameldicomsecure/dicom/dict/uids.tsv";

    private static final String MEDIA_STORAGE_DIRECTORY_STORAGE = "1.2.840.10008.1.3.10";

    private UID() {
    }

    /**
     * The UID Name of Table A-1, without the "(Retired)" mark (see {@link #isRetired(String)}).
     *
     * @param uid a UID, possibly padded
     * @return the name, {@code ""} for a registered UID the standard leaves unnamed, {@code null} if unknown
     */
    public static String nameOf(String uid) {
        Entry e = Registry.lookup(uid);
        return e == null ? null : e.name;
    }

    /**
     * The UID Keyword of Table A-1, which is also the name of this class's constant for it.
     *
     * @param uid a UID, possibly padded
     * @return the keyword, {@code ""} for a registered UID without a keyword, {@code null} if unknown
     */
    public static String keywordOf(String uid) {
        Entry e = Registry.lookup(uid);
        return e == null ? null : e.keyword;
    }

    /**
     * The UID Type of Table A-1: "Transfer Syntax", "SOP Class", "Meta SOP Class", "Well-known SOP Instance",
     * "Application Context Name", "Coding Scheme", "LDAP OID", "Service Class", and so on.
     *
     * @param uid a UID, possibly padded
     * @return the type, {@code null} if unknown
     */
    public static String typeOf(String uid) {
        Entry e = Registry.lookup(uid);
        return e == null ? null : e.type;
    }

    /**
     * Whether Table A-1 marks the UID retired.
     *
     * @param uid a UID, possibly padded
     * @return {@code true} for a retired UID, {@code false} for a current or an unknown one
     */
    public static boolean isRetired(String uid) {
        Entry e = Registry.lookup(uid);
        return e != null && e.retired;
    }

    /**
     * The Storage SOP Classes: every UID of type "SOP Class" whose name, without "(Retired)" and a trailing
     * " SOP Class", ends in " Storage" or contains " Storage - " (as in "... Image Storage - For Presentation"),
     * retired ones included, except Media Storage Directory Storage (the DICOMDIR SOP Class, PS3.4 Annex I,
     * which is never sent with C-STORE). That takes in all SOP Classes of the Storage Service Class (PS3.4 Table
     * B.5-1) and of the Non-Patient Object Storage Service Class (PS3.4 Table GG.3-1), the retired ones that were
     * once in PS3.4 Annex B (the "Trial" and "Standalone" ones, Stored Print and Hardcopy Image Storage), and the
     * DICOS and DICONDE Storage SOP Classes.
     *
     * @return an unmodifiable set, in the order of Table A-1
     */
    public static Set<String> storageSopClasses() {
        return Registry.STORAGE;
    }

    private static final class Entry {
        final String keyword;
        final String name;
        final String type;
        final boolean retired;

        Entry(String keyword, String name, String type, boolean retired) {
            this.keyword = keyword;
            this.name = name;
            this.type = type;
            this.retired = retired;
        }
    }

    /** Loaded on first use of a lookup (initialization-on-demand holder): once, thread-safely. */
    private static final class Registry {
        static final Map<String, Entry> BY_UID;
        static final Set<String> STORAGE;

        static {
            Map<String, Entry> byUid = new HashMap<>(1024);
            Set<String> storage = new LinkedHashSet<>();
            try (InputStream in = UID.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + RESOURCE);
                }
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                boolean header = true;
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.isEmpty() || line.startsWith("#")) {
                        continue;
                    }
                    String[] f = line.split("\\t", -1);
                    if (header) {
                        if (!line.equals("uid\\tkeyword\\tname\\ttype\\tretired")) {
                            throw new IllegalStateException(RESOURCE + ": unexpected header " + line);
                        }
                        header = false;
                        continue;
                    }
                    if (f.length != 5) {
                        throw new IllegalStateException(RESOURCE + ": malformed line " + line);
                    }
                    Entry e = new Entry(f[1], f[2], f[3], "Y".equals(f[4]));
                    if (byUid.put(f[0], e) != null) {
                        throw new IllegalStateException(RESOURCE + ": duplicate UID " + f[0]);
                    }
                    if (isStorage(f[0], e)) {
                        storage.add(f[0]);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + RESOURCE, e);
            }
            BY_UID = byUid;
            STORAGE = Collections.unmodifiableSet(storage);
        }

        private Registry() {
        }

        static Entry lookup(String uid) {
            if (uid == null) {
                return null;
            }
            int end = uid.length();
            while (end > 0 && (uid.charAt(end - 1) == '\\0' || uid.charAt(end - 1) == ' ')) {
                end--;
            }
            return BY_UID.get(end == uid.length() ? uid : uid.substring(0, end));
        }

        /** The same rule as is_storage_sop_class() of tools/generate-uids.py. */
        private static boolean isStorage(String uid, Entry e) {
            if (!"SOP Class".equals(e.type) || MEDIA_STORAGE_DIRECTORY_STORAGE.equals(uid)) {
                return false;
            }
            String n = e.name;
            if (n.endsWith(" SOP Class")) {
                n = n.substring(0, n.length() - " SOP Class".length());
            }
            return n.endsWith(" Storage") || n.contains(" Storage - ");
        }
    }
}
'''


def write_java(meta, entries):
    lines = []
    for e in entries:
        if not e.keyword:
            continue
        doc = e.name + (" " + RETIRED_SUFFIX if e.retired else "")
        doc = "%s. %s%s." % (javadoc_text(doc.rstrip(".")), javadoc_text(e.type),
                             (", " + javadoc_text(e.part)) if e.part else "")
        if len(doc) <= 110:
            lines.append("    /** %s */" % doc)
        else:
            lines.append("    /**")
            lines.extend("     * " + w for w in textwrap.wrap(doc, 110, break_on_hyphens=False))
            lines.append("     */")
        lines.append('    public static final String %s = "%s";' % (e.keyword, java_string(e.uid)))
        lines.append("")
    text = (JAVA_TEMPLATE
            .replace("@EDITION@", meta["edition"])
            .replace("@SOURCE@", source_line(meta))
            .replace("@NO_KEYWORD@", str(sum(1 for e in entries if not e.keyword)))
            .replace("@STORAGE_COUNT@", str(sum(1 for e in entries if is_storage_sop_class(e))))
            .replace("@ENTRY_COUNT@", str(len(entries)))
            .replace("@CONSTANTS@", "\n".join(lines)))
    os.makedirs(os.path.dirname(OUT_JAVA), exist_ok=True)
    with open(OUT_JAVA, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def generate():
    meta, entries = load_entries()
    check_storage_rule(entries, meta["edition"])
    write_tsv(meta, entries)
    write_java(meta, entries)
    storage = sum(1 for e in entries if is_storage_sop_class(e))
    types = {}
    for e in entries:
        types[e.type] = types.get(e.type, 0) + 1
    print("PS3.6 %s: %d UIDs (%d retired, %d without keyword), %d storage SOP classes"
          % (meta["edition"], len(entries), sum(e.retired for e in entries),
             sum(1 for e in entries if not e.keyword), storage))
    print("  by type: " + ", ".join("%s %d" % kv for kv in sorted(types.items(), key=lambda kv: -kv[1])))
    print("wrote %s\nwrote %s" % (os.path.relpath(OUT_TSV, ROOT), os.path.relpath(OUT_JAVA, ROOT)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part06", metavar="FILE",
                    help="NEMA part06 chtml chapter_A.html or DocBook part06.xml: re-extract Table A-1 first")
    ap.add_argument("--part04", metavar="FILE", action="append",
                    help="NEMA part04 chtml sect_B.5.html / sect_GG.3.html / sect_I.4.html or DocBook "
                         "part04.xml (repeatable): re-extract the PS3.4 Storage tables")
    ap.add_argument("--source", metavar="TEXT",
                    help="where the --part06/--part04 files came from (URL or repository@commit); required "
                         "with them, recorded in the data and in the generated files")
    args = ap.parse_args()
    if args.part04 and not args.part06:
        ap.error("--part04 needs --part06 (take both tables from the same edition)")
    if args.part06:
        if not args.source:
            ap.error("--source is required with --part06")
        extract(args)
    generate()


if __name__ == "__main__":
    main()
