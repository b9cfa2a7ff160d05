#!/usr/bin/env python3
"""Generate the table of attributes each DICOM Digital Signature Profile requires (PS3.15 C.2, C.3, C.4).

Output (one file, deterministic):

    camel-dicom-secure/src/main/resources/org/cameldicomsecure/sign/signature-profiles.tsv

Regenerate from NEMA's chunked HTML of the standard, as kept in a git mirror (default: the team's mirror, branch
2024c) or unpacked in a directory (one holding part03/ and part15/, or output/chtml/):

    python3 tools/generate-signature-profiles.py
    python3 tools/generate-signature-profiles.py --standard /path/to/dicom-spec.git --ref 2025a
    python3 tools/generate-signature-profiles.py --standard /tmp/2025a/output/chtml --edition 2025a
    python3 tools/generate-signature-profiles.py --check     # exit 1 if the committed table is not up to date

What it does:
  1. reads the bulleted lists of PS3.15 sections C.2 (CREATOR), C.3 (AUTHORIZATION) and C.4 (SR; its second list,
     required when Verification Flag is VERIFIED, is SR_VERIFIED). Every bullet must be either "any/all Attributes
     of the <names> Module(s) that are present", one of the named attributes the script knows (FIXED below, looked
     up by keyword in our PS3.6 dictionary), or the C.3 "verifiable by the technician" bullet, which names no table
     and is left out. Anything else stops the script, so a new edition cannot add a bullet unnoticed.
  2. finds each module's PS3.3 table "Table C.x-y. <Name> Module Attributes", takes its top-level rows (no '>'
     prefix; a sequence is signed whole, so its items need no rows) and expands top-level "Include Table ..."
     rows, recursively, taking the top-level rows of each macro only.
  3. drops the tags PS3.3 C.12.1.1.3.1.1 forbids in Data Elements Signed, dedupes per profile and writes the TSV.

A module missing from the chosen edition (the retired Curve Module) is searched in the other branches of the git
mirror; if none has it, the Curve Module is taken as the whole repeating group (50xx,eeee) of the dictionary and
the output says so. Any other missing module is an error. Nothing is written unless the whole table was built.

Python 3 standard library only. See tools/README-signature-profiles.md.
"""

import argparse
import html
import html.parser
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_MIRROR = "/work/.mirror/aglv+dicom-spec/repo"
DEFAULT_REF = "2024c"
DICTIONARY = os.path.join(ROOT, "camel-dicom-secure", "src", "main", "resources",
                          "org", "cameldicomsecure", "dicom", "dict", "dictionary.tsv")
OUT_TSV = os.path.join(ROOT, "camel-dicom-secure", "src", "main", "resources",
                       "org", "cameldicomsecure", "sign", "signature-profiles.tsv")

# profile name -> PS3.15 section; C.4's two lists are SR and SR_VERIFIED
SECTIONS = [("CREATOR", "C.2"), ("AUTHORIZATION", "C.3"), ("SR", "C.4")]
PROFILE_ORDER = ["CREATOR", "AUTHORIZATION", "SR", "SR_VERIFIED"]

# Bullets that name attributes rather than modules: normalised bullet text -> PS3.6 keywords.
# "SOP Creation Date and Time": PS3.3 C.12.1 SOP Common Module, Instance Creation Date/Time, "Date/Time the SOP
# Instance was created" (no attribute is called "SOP Creation ..."; DCMTK reads it the same way).
FIXED = {
    "the sop class and instance uids": ["SOPClassUID", "SOPInstanceUID"],
    "the sop creation date and time, if present": ["InstanceCreationDate", "InstanceCreationTime"],
    "the study and series instance uids": ["StudyInstanceUID", "SeriesInstanceUID"],
    "the sop class uid": ["SOPClassUID"],
    "the sop instance uid": ["SOPInstanceUID"],
    "the current requested procedure evidence sequence": ["CurrentRequestedProcedureEvidenceSequence"],
    "the pertinent other evidence sequence": ["PertinentOtherEvidenceSequence"],
    "the predecessor documents sequence": ["PredecessorDocumentsSequence"],
    "the observation datetime": ["ObservationDateTime"],
    "the verification flag": ["VerificationFlag"],
    "the verifying observer sequence": ["VerifyingObserverSequence"],
    "the verification datetime": ["VerificationDateTime"],
}
# Bullets that name no table: left out of the generated table (the application must decide).
NOT_A_TABLE = [
    re.compile(r"^any attributes whose values are verifiable by the technician or physician\b"),
]
MODULE_BULLET = re.compile(r"^(?:any|all) attributes of the (.+?) that are present$", re.I)
SPLIT_NAMES = re.compile(r",\s*(?:and|or)\s+|,\s*|\s+(?:and|or)\s+")
SECTION_RE = re.compile(r'<a id="(sect_[^"]+)"[^>]*>\s*</a>([^<]*)</h\d>')
TITLE_RE = re.compile(r'<a id="(table_[^"]+)"[^>]*>\s*</a>\s*<p class="title">\s*<strong>(.*?)</strong>', re.S)
TABLE_TITLE = re.compile(r"^Table ([0-9A-Z][0-9A-Za-z.]*-[0-9A-Za-z.]+)\.\s+(.+)$")
TAG_RE = re.compile(r"^\(([0-9A-Fa-fx]{4}),([0-9A-Fa-fx]{4})\)$")
EDITION_RE = re.compile(r"^(\d{4}[a-z])$")
EDITION_IN_PAGE = re.compile(r"DICOM PS3\.\d+ (\d{4}[a-z]) - ")
CURVE = "Curve Module"
# Names PS3.15 uses that no PS3.3 table carries: name -> (table title's module name, why)
MODULE_ALIASES = {
    "Implant Template Module": (
        "Generic Implant Template Description Module",
        "PS3.3 has no 'Implant Template Module'; taken as the Generic Implant Template Description Module "
        "(C.29.1.1, the main module of the Generic Implant Template IOD and the one holding the template's "
        "identity; the other C.29.1.x Generic Implant Template modules are not included)"),
}
# "Include" rows that name no table but private attributes (Raw Data Module): not listable, reported in a comment
PRIVATE_INCLUDE = re.compile(r"^Include any Private Attributes\b")
MIN_ROWS = {"CREATOR": 300, "AUTHORIZATION": 280, "SR": 20, "SR_VERIFIED": 4}  # far fewer = a parse gap


class GenerationError(Exception):
    pass


def norm(text):
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


# ---------------------------------------------------------------------------------------------------------------
# Reading the standard: a git ref of a mirror, or a directory.

class GitStandard:
    def __init__(self, git_dir, ref):
        self.git_dir, self.ref = git_dir, ref
        self.commit = self._git("rev-parse", "--verify", ref + "^{commit}").strip()
        self.subject = self._git("log", "-1", "--format=%s", self.commit).strip()
        self._cat = None

    def _git(self, *args):
        r = subprocess.run(["git", "--git-dir", self.git_dir] + list(args), capture_output=True, text=True)
        if r.returncode != 0:
            raise GenerationError("git %s failed in %s: %s" % (" ".join(args), self.git_dir, r.stderr.strip()))
        return r.stdout

    def describe(self):
        return "git %s ref %s = commit %s ('%s')" % (self.git_dir, self.ref, self.commit, self.subject)

    def list(self, part):
        out = self._git("ls-tree", "-r", "--name-only", self.commit, "--", "output/chtml/%s/" % part)
        return sorted(p.rsplit("/", 1)[1] for p in out.splitlines() if p.endswith(".html"))

    def read(self, part, name):
        if self._cat is None:
            self._cat = subprocess.Popen(["git", "--git-dir", self.git_dir, "cat-file", "--batch"],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self._cat.stdin.write(("%s:output/chtml/%s/%s\n" % (self.commit, part, name)).encode())
        self._cat.stdin.flush()
        header = self._cat.stdout.readline().decode().split()
        if len(header) != 3:
            raise GenerationError("%s: no file output/chtml/%s/%s (%s)" % (self.describe(), part, name,
                                                                          " ".join(header)))
        data = self._cat.stdout.read(int(header[2]))
        self._cat.stdout.read(1)
        return data.decode("utf-8")

    def other_refs(self):
        out = self._git("for-each-ref", "--format=%(refname:short)", "refs/heads", "refs/remotes", "refs/tags")
        return sorted(r for r in set(out.split()) if r != self.ref and not r.endswith("/HEAD"))

    def at(self, ref):
        return GitStandard(self.git_dir, ref)

    def close(self):
        if self._cat is not None:
            self._cat.stdin.close()
            self._cat.wait()
            self._cat = None


class DirStandard:
    def __init__(self, root):
        for cand in (root, os.path.join(root, "output", "chtml")):
            if os.path.isdir(os.path.join(cand, "part03")) and os.path.isdir(os.path.join(cand, "part15")):
                self.root = cand
                break
        else:
            raise GenerationError("%s holds no part03/ and part15/ (NEMA chunked HTML) directories" % root)

    def describe(self):
        return "directory %s" % self.root

    def list(self, part):
        return sorted(n for n in os.listdir(os.path.join(self.root, part)) if n.endswith(".html"))

    def read(self, part, name):
        path = os.path.join(self.root, part, name)
        if not os.path.isfile(path):
            raise GenerationError("no file %s" % path)
        with open(path, encoding="utf-8") as f:
            return f.read()

    def other_refs(self):
        return []

    def close(self):
        pass


def open_standard(path, ref):
    if os.path.isdir(path) and (os.path.isfile(os.path.join(path, "HEAD")) and
                                os.path.isdir(os.path.join(path, "objects"))):
        return GitStandard(path, ref)
    if os.path.isdir(os.path.join(path, ".git")):
        return GitStandard(os.path.join(path, ".git"), ref)
    if os.path.isdir(path):
        return DirStandard(path)
    raise GenerationError("--standard %s is neither a git repository nor a directory" % path)


# ---------------------------------------------------------------------------------------------------------------
# HTML parsing

class ListParser(html.parser.HTMLParser):
    """The bulleted lists of a PS3.15 section outside notes: a list of lists of bullet texts."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lists, self.stack, self.note_depth, self.div_depth = [], [], [], 0
        self.item = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div":
            self.div_depth += 1
            if "note" in (a.get("class") or "").split():
                self.note_depth.append(self.div_depth)
        elif tag in ("ul", "ol") and not self.note_depth:
            self.stack.append([])
        elif tag == "li" and not self.note_depth and self.stack:
            if len(self.stack) > 1 or self.item is not None:
                raise GenerationError("nested list in a profile section: the parser does not expect one")
            self.item = []

    def handle_endtag(self, tag):
        if tag == "div":
            if self.note_depth and self.note_depth[-1] == self.div_depth:
                self.note_depth.pop()
            self.div_depth -= 1
        elif tag in ("ul", "ol") and not self.note_depth and self.stack:
            self.lists.append(self.stack.pop())
        elif tag == "li" and self.item is not None:
            self.stack[-1].append(norm("".join(self.item)))
            self.item = None

    def handle_data(self, data):
        if self.item is not None:
            self.item.append(data)


class TableParser(html.parser.HTMLParser):
    """Rows of the table that follows <a id="table_id">: header cells and body rows, each cell (text, colspan, hrefs)."""

    def __init__(self, table_id):
        super().__init__(convert_charrefs=True)
        self.table_id, self.armed, self.depth, self.done = table_id, False, 0, False
        self.section, self.header, self.rows = None, [], []
        self.row, self.cell = None, None

    def handle_starttag(self, tag, attrs):
        if self.done:
            return
        a = dict(attrs)
        if tag == "a" and a.get("id") == self.table_id:
            self.armed = True
        if not self.armed:
            return
        if tag == "table":
            self.depth += 1
            return
        if self.depth != 1:
            if tag == "a" and self.cell is not None and a.get("href"):
                self.cell[2].append(a["href"])
            return
        if tag in ("thead", "tbody"):
            self.section = tag
        elif tag == "tr":
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = [[], int(a.get("colspan") or 1), []]
        elif tag == "a" and self.cell is not None and a.get("href"):
            self.cell[2].append(a["href"])

    def handle_endtag(self, tag):
        if self.done or not self.armed:
            return
        if tag == "table":
            self.depth -= 1
            if self.depth == 0:
                self.done = True
            return
        if self.depth != 1:
            return
        if tag in ("td", "th") and self.cell is not None:
            self.row.append((norm("".join(self.cell[0])), self.cell[1], self.cell[2]))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            (self.header if self.section == "thead" else self.rows).append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.armed and self.cell is not None:
            self.cell[0].append(data)


def strip_tags(s):
    return norm(html.unescape(re.sub(r"<[^>]+>", "", s)))  # norm() also turns NBSP (used in titles) into spaces


class Part03:
    """Table index of one edition's PS3.3: table id -> (file, number, title); title (lower case) -> ids."""

    def __init__(self, std):
        self.std, self.by_id, self.by_title, self.cache = std, {}, {}, {}
        self.sections, self.section_of = {}, {}  # section title (lower case) -> ids; table id -> section id
        for name in std.list("part03"):
            if name == "PS3.3.html":  # the table of contents
                continue
            text = std.read("part03", name)
            heads = [(m.start(), m.group(1), strip_tags(m.group(2))) for m in SECTION_RE.finditer(text)]
            for sid, title in ((h[1], h[2]) for h in heads):
                number = sid[len("sect_"):]
                if title.startswith(number + " "):  # "C.8.33 Tractography Results Modules"
                    self.sections.setdefault(title[len(number) + 1:].lower(), set()).add(sid)
            for m in TITLE_RE.finditer(text):
                tid, title = m.group(1), strip_tags(m.group(2))
                t = TABLE_TITLE.match(title)
                if not t:
                    continue
                if tid in self.by_id:
                    raise GenerationError("table id %s appears in %s and %s" % (tid, self.by_id[tid][0], name))
                before = [h[1] for h in heads if h[0] < m.start()]
                self.section_of[tid] = before[-1] if before else None
                self.by_id[tid] = (name, t.group(1), t.group(2))
                self.by_title.setdefault(t.group(2).lower(), []).append(tid)
        if len(self.by_id) < 1000:
            raise GenerationError("%s: only %d PS3.3 tables found; is this NEMA's chunked HTML?"
                                  % (std.describe(), len(self.by_id)))

    def find_module(self, name):
        """Table id of '<name> Attributes', else of '<name> Table' (PS3.3 2024c titles the Enhanced XA/XRF Image
        Module's table so), else None."""
        for suffix in (" Attributes", " Table"):
            ids = self.by_title.get((name + suffix).lower(), [])
            if len(ids) > 1:
                raise GenerationError("several PS3.3 tables are titled '%s%s': %s" % (name, suffix, ", ".join(ids)))
            if ids:
                return ids[0]
        return None

    def module_group(self, title):
        """Module names of the tables '... Module Attributes' inside the section titled `title` (e.g. 'Tractography
        Results Modules', PS3.3 C.8.33), in table order; (section id, names) or None."""
        ids = self.sections.get(title.lower(), set())
        if len(ids) != 1:
            return None
        sid = next(iter(ids))
        names = [self.by_id[t][2][:-len(" Attributes")] for t in sorted(self.by_id, key=table_order)
                 if self.section_of.get(t) and (self.section_of[t] + ".").startswith(sid + ".")
                 and self.by_id[t][2].endswith(" Module Attributes")]
        return (sid[len("sect_"):], names) if names else None

    def where(self, tid, edition, extra=""):
        name, number, title = self.by_id[tid]
        odd = "" if title.endswith(" Module Attributes") else " (titled '%s')" % title
        return "PS3.3 %s Table %s%s (%s#%s)%s" % (edition, number, odd, name, tid, extra)

    def rows(self, tid):
        if tid not in self.cache:
            name = self.by_id[tid][0]
            p = TableParser(tid)
            p.feed(self.std.read("part03", name))
            p.close()
            if not p.done:
                raise GenerationError("%s#%s: table not closed" % (name, tid))
            head = [c[0] for c in (p.header[0] if p.header else [])]
            if len(head) < 3 or head[0] != "Attribute Name" or head[1] != "Tag":
                raise GenerationError("%s#%s: unexpected header %r" % (name, tid, head))
            self.cache[tid] = p.rows
        return self.cache[tid]

    def top_level(self, tid, seen=()):
        """(tags in table order, macros expanded) of a module or macro table: list of (tag, name, via)."""
        name, number, title = self.by_id[tid]
        if tid in seen:
            raise GenerationError("Include cycle through Table %s" % number)
        out = []
        for row in self.rows(tid):
            first = row[0][0] if row else ""
            if first.startswith(">"):
                continue  # inside a sequence: signed as part of it
            if re.match(r"^Include\b", first):
                targets = [h for h in row[0][2] if "#table_" in h and not h.startswith("../")]
                if not targets and PRIVATE_INCLUDE.match(first):
                    out.append((None, first, []))  # a note, not a tag: see render()
                    continue
                if not targets:
                    raise GenerationError("Table %s: Include row without a PS3.3 table link: %r" % (number, first))
                for h in targets:
                    macro = h.split("#", 1)[1]
                    if macro not in self.by_id:
                        raise GenerationError("Table %s includes unknown table %s" % (number, macro))
                    for tag, attr, via in self.top_level(macro, seen + (tid,)):
                        out.append((tag, attr, [self.by_id[macro][1]] + via))
                continue
            if len(row) >= 2:
                m = TAG_RE.match(row[1][0])
                if m:
                    out.append((tag_pattern(m.group(1), m.group(2), number), first, []))
                    continue
            raise GenerationError("Table %s (%s): row of unknown shape: %r" % (number, name,
                                                                               [c[0][:60] for c in row]))
        return out


def tag_pattern(group, element, where):
    g, e = group.upper().replace("X", "x"), element.upper().replace("X", "x")
    if "x" in e or ("x" in g and g not in ("50xx", "60xx")):
        raise GenerationError("Table %s: unsupported tag pattern (%s,%s)" % (where, group, element))
    return g + e


# ---------------------------------------------------------------------------------------------------------------

def forbidden(pattern):
    """PS3.3 C.12.1.1.3.1.1: never in Data Elements Signed nor in the MAC."""
    g, e = pattern[:4], pattern[4:]
    if "x" not in g and int(g, 16) < 0x0008:
        return True
    return (e == "0000" or pattern == "00080001" or g == "FFFA" or pattern == "4FFE0001"
            or pattern == "FFFCFFFC")


def read_dictionary(path):
    by_pattern, by_keyword = {}, {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 6:
                raise GenerationError("%s: bad line %r" % (path, line[:80]))
            by_pattern[cols[0]] = cols
            if cols[4]:
                by_keyword[cols[4]] = cols
    return by_pattern, by_keyword


def profile_lists(std):
    """profile -> list of bullets, in order."""
    out = {}
    for profile, sect in SECTIONS:
        p = ListParser()
        p.feed(std.read("part15", "sect_%s.html" % sect))
        p.close()
        lists = [l for l in p.lists if l]
        want = 2 if profile == "SR" else 1
        if len(lists) != want:
            raise GenerationError("PS3.15 %s: expected %d attribute list(s), found %d" % (sect, want, len(lists)))
        out[profile] = lists[0]
        if profile == "SR":
            out["SR_VERIFIED"] = lists[1]
    return out


def module_names(bullet):
    """('X Module' names, plural): plural when the bullet ends in 'Modules' after a single name."""
    m = MODULE_BULLET.match(bullet)
    if not m:
        return None
    plural = re.search(r"\s+modules$", m.group(1), flags=re.I) is not None
    names = re.sub(r"\s+modules?$", "", m.group(1), flags=re.I)
    result = []
    for n in SPLIT_NAMES.split(names):
        n = re.sub(r"\s+module$", "", n.strip(), flags=re.I)
        if not n:
            raise GenerationError("empty module name in bullet %r" % bullet)
        result.append(n + " Module")
    return result, plural and len(result) == 1


def edition_of(std, ref):
    if ref and EDITION_RE.match(ref):
        return ref
    m = EDITION_IN_PAGE.search(std.read("part15", "sect_C.2.html"))
    return m.group(1) if m else None


def build(std, dictionary, edition):
    by_pattern, by_keyword = dictionary
    part03 = Part03(std)
    lists = profile_lists(std)
    modules = {}  # module name -> dict(number, file, tid, rows, macros, note)
    notes = []
    rows = {p: {} for p in PROFILE_ORDER}  # profile -> pattern -> (keyword, source)
    skipped = []
    other = {}
    unknown = {}  # pattern -> PS3.3 attribute name, for tags the dictionary does not know
    groups = {}  # (profile, bullet) -> (PS3.3 section, module names) for plural bullets

    def resolve(name):
        if name in modules:
            return modules[name]
        table_name, alias_note = MODULE_ALIASES.get(name, (name, ""))
        tid = part03.find_module(table_name)
        info = None
        if tid:
            info = dict(where=part03.where(tid, edition), items=part03.top_level(tid))
        else:
            for ref in std.other_refs():
                if ref not in other:
                    try:
                        other[ref] = Part03(std.at(ref))
                    except GenerationError:
                        other[ref] = None
                o = other[ref]
                t2 = o.find_module(table_name) if o else None
                if t2:
                    info = dict(where=o.where(t2, ref, "; absent from %s" % edition), items=o.top_level(t2))
                    break
        if info is None and name == CURVE:
            items = [(p, cols[5], []) for p, cols in sorted(by_pattern.items())
                     if p.startswith("50xx") and not forbidden(p)]
            if not items:
                raise GenerationError("the dictionary has no (50xx,eeee) entries for the retired Curve Module")
            info = dict(where="retired; no table in %s PS3.3 nor in any other ref of the mirror: taken as every "
                              "(50xx,eeee) element of the PS3.6 dictionary (the whole retired repeating group 50xx, "
                              "which also holds the retired audio elements)" % edition, items=items)
        if info is None:
            raise GenerationError("PS3.3 %s has no table titled '%s Attributes' (named by PS3.15)"
                                  % (edition, table_name))
        if alias_note:
            info["where"] = alias_note + ": " + info["where"]
        modules[name] = info
        return info

    for profile in PROFILE_ORDER:
        for bullet in lists[profile]:
            low = bullet.lower().rstrip(".;")
            if low in FIXED:
                for kw in FIXED[low]:
                    if kw not in by_keyword:
                        raise GenerationError("keyword %s (for %r) not in the dictionary" % (kw, bullet))
                    rows[profile].setdefault(by_keyword[kw][0], (kw, "fixed"))
                continue
            if any(r.match(low) for r in NOT_A_TABLE):
                skipped.append((profile, bullet))
                continue
            parsed = module_names(bullet.rstrip(".;"))
            if parsed is None:
                raise GenerationError("PS3.15 bullet of %s not understood: %r" % (profile, bullet))
            names, plural = parsed
            if plural:
                # "the X Modules": PS3.3 groups modules in a section titled "X Modules" (C.8.14 MR Spectroscopy
                # Modules, C.8.33 Tractography Results Modules): take every module of that section
                group = part03.module_group(names[0] + "s")
                if group:
                    groups.setdefault((profile, bullet), group)
                    names = group[1]
            for name in names:
                for pattern, attr, via in resolve(name)["items"]:
                    if pattern is None or forbidden(pattern):
                        continue
                    entry = by_pattern.get(pattern)
                    if entry is None:  # newer than the dictionary's edition: no keyword to give
                        unknown.setdefault(pattern, attr.lstrip(">"))
                    rows[profile].setdefault(pattern, (entry[4] if entry and entry[4] else "-", name))
    # SR_VERIFIED holds only what C.4 adds to SR when Verification Flag is VERIFIED
    for pattern in list(rows["SR_VERIFIED"]):
        if pattern in rows["SR"]:
            del rows["SR_VERIFIED"][pattern]
    for profile, least in MIN_ROWS.items():
        if len(rows[profile]) < least:
            raise GenerationError("%s: only %d rows (expected at least %d): parse gap?" % (profile,
                                                                                       len(rows[profile]), least))
    return rows, modules, skipped, unknown, groups


def table_order(tid):
    return [int(x) if x.isdigit() else x for x in re.split(r"(\d+)", tid)]


def sort_key(pattern):
    return (int(pattern.replace("x", "0"), 16), pattern)


def render(std, edition, rows, modules, skipped, unknown, groups):
    out = [
        "# Attributes each DICOM Digital Signature Profile requires in the signature (PS3.15 C.2-C.4), top level only.",
        "# Generated by tools/generate-signature-profiles.py - do not edit; re-run it (see "
        "tools/README-signature-profiles.md).",
        "# Source: DICOM %s, PS3.15 sect_C.2/C.3/C.4.html and PS3.3 module tables (NEMA chunked HTML), from %s."
        % (edition, std.describe() if isinstance(std, DirStandard) else
           "github.com/aglv/dicom-spec ref %s, commit %s" % (std.ref, std.commit)),
        "# Keywords from our PS3.6 dictionary camel-dicom-secure/src/main/resources/org/cameldicomsecure/dicom/dict/"
        "dictionary.tsv.",
        "# DICOM is copyright NEMA.",
        "# profile CREATOR = PS3.15 C.2 Creator RSA; AUTHORIZATION = C.3 Authorization RSA; SR = C.4 Structured "
        "Report RSA;",
        "#   SR_VERIFIED = the attributes C.4 adds when Verification Flag is VERIFIED (an SR verification signature "
        "needs SR + SR_VERIFIED).",
        "# Rows: the named attributes (source 'fixed') and the top-level attributes of each named module (source = "
        "module),",
        "#   \"Include Table\" macro rows expanded (top-level rows of the macro); attributes inside sequences are "
        "covered by the sequence.",
        "#   A tag is listed once per profile, with the first source that names it. Tags PS3.3 C.12.1.1.3.1.1 "
        "forbids are left out:",
        "#   group < 0008, element 0000, (0008,0001), group FFFA, (4FFE,0001), (FFFC,FFFC).",
        "# tag: ggggeeee; repeating groups written 50xx/60xx stand for the even groups 5000-501E / 6000-601E.",
    ]
    for profile, bullet in skipped:
        out.append("# Left out of %s (names no table; the application must add these itself): \"%s\"" %
                   (profile, bullet))
    for (profile, bullet), (sid, names) in sorted(groups.items(), key=lambda kv: PROFILE_ORDER.index(kv[0][0])):
        out.append("# %s: \"%s\" is plural: taken as every module of PS3.3 section %s: %s"
                   % (profile, bullet, sid, ", ".join(names)))
    for name in sorted(modules):
        info = modules[name]
        macros = sorted({v for _, _, via in info["items"] for v in via}, key=lambda s: [
            int(x) if x.isdigit() else x for x in re.split(r"(\d+)", s)])
        unlisted = [attr for pattern, attr, _ in info["items"] if pattern is None]
        out.append("# module %s: %s%s%s" % (name, info["where"],
                                             "; includes Tables " + ", ".join(macros) if macros else "",
                                             "".join("; not listable here: \"%s\"" % u for u in unlisted)))
    for pattern in sorted(unknown, key=sort_key):
        out.append("# keyword '-': %s \"%s\" is in PS3.3 %s but not in the dictionary (older edition)"
                   % (pattern, unknown[pattern], edition))
    out.append("profile\ttag\tkeyword\tsource")
    for profile in PROFILE_ORDER:
        for pattern in sorted(rows[profile], key=sort_key):
            kw, source = rows[profile][pattern]
            out.append("%s\t%s\t%s\t%s" % (profile, pattern, kw, source))
    return "\n".join(out) + "\n"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--standard", default=DEFAULT_MIRROR,
                    help="git mirror of NEMA's HTML (bare or not), or a directory with part03/ and part15/ "
                         "(default %(default)s)")
    ap.add_argument("--ref", default=DEFAULT_REF, help="branch/tag/commit when --standard is git (default %(default)s)")
    ap.add_argument("--edition", help="edition name for the header (default: the ref, else the page headers)")
    ap.add_argument("--dictionary", default=DICTIONARY, help="PS3.6 dictionary TSV (default: ours)")
    ap.add_argument("--output", default=OUT_TSV, help="output TSV (default: the resource)")
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if --output differs")
    args = ap.parse_args(argv)
    std = None
    try:
        std = open_standard(args.standard, args.ref)
        edition = args.edition or edition_of(std, getattr(std, "ref", None))
        if not edition:
            raise GenerationError("cannot tell the edition: pass --edition")
        rows, modules, skipped, unknown, groups = build(std, read_dictionary(args.dictionary), edition)
        text = render(std, edition, rows, modules, skipped, unknown, groups)
    except GenerationError as e:
        print("generate-signature-profiles: %s" % e, file=sys.stderr)
        return 2
    finally:
        if std is not None:
            std.close()
    counts = ", ".join("%s %d" % (p, len(rows[p])) for p in PROFILE_ORDER)
    if args.check:
        try:
            with open(args.output, encoding="utf-8") as f:
                current = f.read()
        except OSError:
            current = None
        if current != text:
            print("generate-signature-profiles: %s is not up to date (%s)" % (args.output, counts), file=sys.stderr)
            return 1
        print("up to date: %s (%s)" % (args.output, counts))
        return 0
    os.makedirs(os.path.dirname(args.output), exist_ok=True)
    tmp = args.output + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, args.output)
    print("wrote %s (%s; %d modules)" % (args.output, counts, len(modules)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
