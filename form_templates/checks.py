"""The checks a Word template passes before it is used: the committed files (in CI) and every upload.

A template is refused, with every reason named in Chinese, when it does not open as a Word document,
carries macros (VBA) or links to anything outside the file, uses Jinja's ``macro``/``import``/
``include``/``extends``/``call`` (a template gets its data from its context, nothing else), reaches
for attributes outside that context (``{{ x.__class__ }}``), uses a tag the context of its form does
not provide, or leaves out a tag the form needs.  Nothing is rendered to find this out: the template
is parsed, not run.  Rendering itself then runs in Jinja's sandbox (``form_templates._jinja_env``).

The context a form provides is its sample in ``sample_contexts`` (the same keys the documents package
fills from the database); the tags a form needs are the ones its committed file uses.
"""
from __future__ import annotations

import functools
import io
import re
import zipfile
from dataclasses import dataclass

from jinja2 import TemplateSyntaxError, nodes

#: Jinja constructs that reach beyond the context (other templates, callable blocks)
FORBIDDEN_NODES = {
    nodes.Macro: "macro", nodes.CallBlock: "call", nodes.Import: "import", nodes.FromImport: "from … import",
    nodes.Include: "include", nodes.Extends: "extends",
}
#: Word field codes that fetch something from outside the file
_EXTERNAL_FIELDS = re.compile(r"\b(INCLUDETEXT|INCLUDEPICTURE|LINK|DDE|DDEAUTO|IMPORT)\b")
#: methods a template may call on the context's dicts and strings (``{% for k, v in d.items() %}``)
_SAFE_METHODS = frozenset({"items", "keys", "values", "get", "strip", "split", "splitlines", "replace",
                           "startswith", "endswith", "join", "upper", "lower"})
_NOTHING = object()


@dataclass(frozen=True)
class Problem:
    """One reason a template is refused: a stable code and a Chinese message naming the tag or part."""

    code: str
    message: str


def _docx_xml(data: bytes) -> str:
    """The Jinja source docxtpl renders: body, headers and footers, as docxtpl prepares them."""
    from docx import Document
    from docxtpl import DocxTemplate

    document = Document(io.BytesIO(data))
    tpl = DocxTemplate(io.BytesIO(data))
    xml = tpl.patch_xml(tpl.xml_to_string(document.element.body))
    for rel in document.part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and not rel.is_external and rel.target_part.blob:
            from docx.oxml import parse_xml

            xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    return xml


def _package_problems(data: bytes) -> list[Problem]:
    """Macros and external links, read from the package itself (zip parts and relationships)."""
    problems = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        names = z.namelist()
        content_types = z.read("[Content_Types].xml").decode("utf-8", "replace") if "[Content_Types].xml" in names else ""
        if any(n.lower().endswith(("vbaproject.bin", "vbadata.xml")) for n in names) or "macroEnabled" in content_types:
            problems.append(Problem("template_macro", "模板含有宏（VBA），不予接受：请在 Word 中另存为不含宏的 .docx 文件"))
        for name in names:
            if name.endswith(".rels"):
                rels = z.read(name).decode("utf-8", "replace")
                for target in re.findall(r'<Relationship\b[^>]*TargetMode="External"[^>]*>', rels):
                    where = re.search(r'Target="([^"]*)"', target)
                    problems.append(Problem("template_external_link",
                                            f"模板含有外部链接（{where.group(1) if where else name}），不予接受"))
            elif name.startswith("word/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8", "replace")
                for code in re.findall(r"<w:instrText[^>]*>([^<]*)</w:instrText>|w:instr=\"([^\"]*)\"", xml):
                    text = "".join(code)
                    if _EXTERNAL_FIELDS.search(text):
                        problems.append(Problem("template_external_link",
                                                f"模板含有引用外部内容的域（{text.strip()}），不予接受"))
    return problems


def _sandbox():
    from form_templates import _jinja_env

    return _jinja_env()


def parse(data: bytes):
    """The Jinja syntax tree of a template (raises ``TemplateSyntaxError`` or a docx/zip error)."""
    return _sandbox().parse(_docx_xml(data))


def _expr_text(node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_expr_text(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{_expr_text(node.node)}[{node.arg.value!r}]"
    return "…"


class _Walker:
    """Walks the tree with the sample context as a map of what exists: every attribute path the
    template reads must exist in it (loop variables take the shape of the list's first item)."""

    def __init__(self, provided: dict):
        self.provided = provided
        self.problems: list[Problem] = []
        self.unknown: list[str] = []

    def add(self, code, message):
        if all(p.message != message for p in self.problems):
            self.problems.append(Problem(code, message))

    def value(self, node, scope):
        """The sample value an expression reads, or ``_NOTHING`` when it cannot be followed."""
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name in self.provided:
                return self.provided[node.name]
            if node.name not in self.unknown and node.ctx == "load":
                self.unknown.append(node.name)
            return _NOTHING
        if isinstance(node, (nodes.Getattr, nodes.Getitem)):
            attr = node.attr if isinstance(node, nodes.Getattr) else (
                node.arg.value if isinstance(node.arg, nodes.Const) else None)
            if isinstance(attr, str) and attr.startswith("_"):
                self.add("template_unsafe_attribute",
                         f"模板访问了上下文以外的属性：{{{{ {_expr_text(node)} }}}}，不予接受")
                return _NOTHING
            base = self.value(node.node, scope)
            if isinstance(node, nodes.Getitem) and not isinstance(node.arg, nodes.Const):
                self.visit(node.arg, scope)
            if base is _NOTHING or attr is None:
                return _NOTHING
            if isinstance(base, dict):
                if attr in base:
                    return base[attr]
                if attr in _SAFE_METHODS:
                    return _NOTHING
                path = _expr_text(node)
                if path not in self.unknown:
                    self.unknown.append(path)
                return _NOTHING
            if isinstance(base, (list, tuple)) and isinstance(attr, int):
                return base[attr] if -len(base) <= attr < len(base) else _NOTHING
            return _NOTHING
        self.visit(node, scope)
        return _NOTHING

    def visit(self, node, scope):
        for kind, label in FORBIDDEN_NODES.items():
            if isinstance(node, kind):
                self.add("template_forbidden_tag", f"模板使用了 {{% {label} %}}，不予接受：模板只能使用所给的数据")
        if isinstance(node, (nodes.Name, nodes.Getattr, nodes.Getitem)):
            self.value(node, scope)
            return
        if isinstance(node, nodes.For):
            items = self.value(node.iter, scope)
            inner = dict(scope)
            inner["loop"] = _NOTHING
            first = items[0] if isinstance(items, (list, tuple)) and items else _NOTHING
            for target in ([node.target] if isinstance(node.target, nodes.Name) else node.target.find_all(nodes.Name)):
                inner[target.name] = first if isinstance(node.target, nodes.Name) else _NOTHING
            for child in node.body + node.else_:
                self.visit(child, inner)
            if node.test is not None:
                self.visit(node.test, inner)
            return
        if isinstance(node, nodes.Assign) or isinstance(node, nodes.AssignBlock):
            if isinstance(node, nodes.Assign):
                self.visit(node.node, scope)
            else:
                for child in node.body:
                    self.visit(child, scope)
            for target in node.target.find_all(nodes.Name):
                scope[target.name] = _NOTHING
            return
        for child in node.iter_child_nodes():
            self.visit(child, scope)


def used_names(data: bytes) -> set[str]:
    """The top-level context names a template reads."""
    from jinja2 import meta

    return set(meta.find_undeclared_variables(parse(data)))


@functools.lru_cache(maxsize=None)
def required_names(key: str) -> frozenset[str]:
    """The tags a form needs: the top-level names its committed template reads."""
    from form_templates import template_path

    return frozenset(used_names(template_path(key).read_bytes()))


def check_template(key: str, data: bytes, provided: dict | None = None) -> list[Problem]:
    """Every reason the template ``data`` cannot serve as form ``key``; an empty list means it may be used."""
    from form_templates import sample_contexts

    unreadable = [Problem("template_unreadable", "文件无法作为 Word 文档（.docx）打开")]
    try:
        problems = _package_problems(data)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return unreadable
    if problems:  # a macro-enabled or linked file is refused as it is, not opened further
        return problems
    try:
        tree = parse(data)
    except TemplateSyntaxError as exc:
        return [Problem("template_syntax", f"模板标签写法有误（{exc.message}），请检查 {{{{ }}}} 与 {{% %}} 是否成对")]
    except Exception:  # noqa: BLE001 - any failure to open is the same answer to the official
        return unreadable
    walker = _Walker(provided if provided is not None else sample_contexts.SAMPLES[key]())
    walker.visit(tree, {})
    problems += walker.problems
    for name in walker.unknown:
        problems.append(Problem("template_unknown_tag", f"模板使用了未知标签 {{{{ {name} }}}}：该表格的数据中没有 {name}"))
    missing = sorted(required_names(key) - set(meta_names(tree)))
    for name in missing:
        problems.append(Problem("template_missing_tag", f"模板缺少该表格必需的标签 {{{{ {name} }}}}"))
    return problems


def meta_names(tree) -> set[str]:
    from jinja2 import meta

    return set(meta.find_undeclared_variables(tree))
