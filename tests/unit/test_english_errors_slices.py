"""Every domain error raised by the cases, leads, overload, credit, detection, records, vehicles, permits,
org and sim slices carries an English text (`en=`), so an English page never shows an untranslated error.

The walk is static (ast): a new `raise ValidationFailed("…")` without `en=` fails here, before any page
shows it. CLI modules (`commands.py`) print the Chinese message and are not walked."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "zhifa"
SLICES = ("cases", "leads", "overload", "credit", "detection", "records", "vehicles", "permits", "org", "sim")
SHARED_ERRORS = SRC / "shared" / "errors.py"


def _name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _error_classes(trees: list[ast.Module]) -> set[str]:
    """ZhifaError and its subclasses defined in shared/errors.py or in the walked modules."""
    names = {"ZhifaError"}
    classes = [n for t in trees for n in ast.walk(t) if isinstance(n, ast.ClassDef)]
    grew = True
    while grew:
        grew = False
        for c in classes:
            if c.name not in names and any(_name(b) in names for b in c.bases):
                names.add(c.name)
                grew = True
    return names


def untranslated(sources: dict[str, str]) -> list[str]:
    """`path:line` of every construction of a ZhifaError (subclass) without `en=`, of every `check_visible`
    call naming the row in Chinese without `what_en=`, and of every error subclass whose own `__init__`
    does not take `en`."""
    trees = {path: ast.parse(src) for path, src in sources.items()}
    names = _error_classes([ast.parse(SHARED_ERRORS.read_text("utf-8")), *trees.values()])
    out = []
    for path, tree in trees.items():
        for n in ast.walk(tree):
            if isinstance(n, ast.Call):
                fn = _name(n.func)
                kws = {k.arg for k in n.keywords}
                if fn in names and "en" not in kws and None not in kws:
                    out.append(f"{path}:{n.lineno}: {fn}(...) without en=")
                if fn == "check_visible" and (len(n.args) >= 3 or "what" in kws) and "what_en" not in kws:
                    out.append(f"{path}:{n.lineno}: check_visible(...) without what_en=")
            if isinstance(n, ast.ClassDef) and n.name in names:
                for f in n.body:
                    if isinstance(f, ast.FunctionDef) and f.name == "__init__":
                        params = {a.arg for a in (*f.args.args, *f.args.kwonlyargs)}
                        if "en" not in params and f.args.kwarg is None:
                            out.append(f"{path}:{f.lineno}: {n.name}.__init__ does not take en")
    return out


def _slice_sources(slice_: str) -> dict[str, str]:
    root = SRC / slice_
    return {str(p.relative_to(SRC)): p.read_text("utf-8") for p in sorted(root.rglob("*.py")) if p.name != "commands.py"}


@pytest.mark.parametrize("slice_", SLICES)
def test_every_domain_error_of_the_slice_has_an_english_text(slice_):
    sources = _slice_sources(slice_)
    assert sources, slice_
    assert untranslated(sources) == []


def test_the_walker_finds_an_untranslated_error():
    src = '''
from zhifa.shared.errors import NotFound, ValidationFailed

class Refused(ValidationFailed):
    def __init__(self, message):
        super().__init__(message)

def f(actor, unit):
    check_visible(actor, unit, "案件")
    check_visible(actor, unit, "案件", what_en="Case")
    if unit:
        raise ValidationFailed("须填写当事人")
    raise NotFound("案件不存在", en="Case not found")

def g():
    raise Refused("已拒绝")
'''
    assert sorted(untranslated({"x.py": src})) == sorted([
        "x.py:5: Refused.__init__ does not take en",
        "x.py:9: check_visible(...) without what_en=",
        "x.py:12: ValidationFailed(...) without en=",
        "x.py:16: Refused(...) without en=",
    ])
