#!/usr/bin/env python3
"""Writes the option and header tables of a component's AsciiDoc page from Camel's generated metadata.

Usage: python3 tools/generate-component-docs.py SCHEME [SCHEME...]

Reads camel-dicom-secure/src/generated/resources/META-INF/org/cameldicomsecure/component/SCHEME/SCHEME.json (made by
camel-package-maven-plugin from the @UriEndpoint/@UriParam/@Metadata annotations at process-classes) and replaces
everything from the line "== Options" to the end of the "== Message headers" section of
camel-dicom-secure/src/main/docs/SCHEME-component.adoc with the tables: component options, path parameters, query parameters, message headers. The prose around these sections is
hand-written and kept. Run it after changing an option or header; ComponentDocs tests check nothing is missing.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODULE = os.path.join(ROOT, "camel-dicom-secure")


def cell(text):
    return str(text).replace("|", "\\|").replace("\n", " ")


def type_of(p):
    if p.get("enum"):
        return "Enum"
    t = p.get("type") or p.get("javaType", "")
    if t == "object":
        return "Object"
    return t[:1].upper() + t[1:]


def default_of(p):
    if "defaultValue" not in p:
        return ""
    v = p["defaultValue"]
    if isinstance(v, bool):
        return "true" if v else "false"
    return cell(v)


def option_table(props):
    out = ['[width="100%",cols="2,1,1,1,5",options="header"]', "|===", "| Name | Group | Default | Type | Description"]
    for name, p in props:
        out.append("| *%s* | %s | %s | %s | %s" % (name, p.get("group", ""), default_of(p), type_of(p),
                                                 cell(p.get("description", ""))))
    out.append("|===")
    return out


def header_table(headers):
    out = ['[width="100%",cols="2,1,5",options="header"]', "|===", "| Name | Type | Description"]
    for name, h in headers:
        out.append("| *%s* | %s | %s" % (name, cell(h.get("javaType", "")), cell(h.get("description", ""))))
    out.append("|===")
    return out


def generate(scheme):
    meta = os.path.join(MODULE, "src/generated/resources/META-INF/org/cameldicomsecure/component", scheme,
                        scheme + ".json")
    doc = os.path.join(MODULE, "src/main/docs", scheme + "-component.adoc")
    with open(meta, encoding="utf-8") as f:
        d = json.load(f)
    with open(doc, encoding="utf-8") as f:
        text = f.read()
    marker = "\n== Options\n"
    at = text.find(marker)
    if at < 0:
        raise SystemExit("%s has no '== Options' section" % doc)
    headers_at = text.find("\n== Message headers\n", at)
    end = text.find("\n== ", headers_at + 1) if headers_at >= 0 else -1
    rest = text[end + 1:] if end >= 0 else ""
    props = list(d["properties"].items())
    lines = ["== Options", "", "=== Component options", ""]
    lines += option_table(list(d["componentProperties"].items()))
    lines += ["", "=== Path parameters", ""]
    lines += option_table([(n, p) for n, p in props if p.get("kind") == "path"])
    lines += ["", "=== Query parameters", ""]
    lines += option_table([(n, p) for n, p in props if p.get("kind") != "path"])
    lines += ["", "== Message headers", ""]
    lines += header_table(list(d.get("headers", {}).items()))
    with open(doc, "w", encoding="utf-8") as f:
        f.write(text[:at + 1] + "\n".join(lines) + "\n" + ("\n" + rest if rest else ""))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    for s in sys.argv[1:]:
        generate(s)
