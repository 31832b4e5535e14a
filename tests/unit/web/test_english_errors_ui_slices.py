"""Every domain error of the interception, supervision, complaints, training, roads, reports and web modules has
an English text: each call of a `ZhifaError` subclass passes `en=`, each `check_visible(…, "<中文>")` passes
`what_en=`, and an English f-string fills in as many values as its Chinese one. A new error without its
English text fails here (CLI `commands.py` modules print Chinese and are not walked)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3] / "src" / "zhifa"
SLICES = ("interception", "supervision", "complaints", "training", "roads", "reports", "web")
BASE = "ZhifaError"


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _error_classes() -> set[str]:
    """ZhifaError and every subclass defined anywhere in the package (by name, transitively)."""
    classes = [(n.name, {_name(b) for b in n.bases}) for p in SRC.rglob("*.py")
               for n in ast.walk(ast.parse(p.read_text("utf-8"))) if isinstance(n, ast.ClassDef)]
    names = {BASE}
    grew = True
    while grew:
        grew = False
        for name, bases in classes:
            if name not in names and bases & names:
                names.add(name)
                grew = True
    return names


def _modules() -> list[Path]:
    return [p for s in SLICES for p in sorted((SRC / s).glob("*.py")) if p.name != "commands.py"]


def _en_helpers(tree: ast.Module) -> set[str]:
    """Functions and classes of the module that take a keyword-only `en` (error builders such as `_refuse`)."""
    out = set()
    for n in ast.walk(tree):
        fn = n if isinstance(n, ast.FunctionDef) and not n.name.startswith("__") else None
        if isinstance(n, ast.ClassDef):
            fn = next((b for b in n.body if isinstance(b, ast.FunctionDef) and b.name == "__init__"), None)
        if fn is not None and any(a.arg == "en" for a in fn.args.kwonlyargs):
            out.add(n.name)
    return out


def _kw(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _placeholders(node: ast.expr | None) -> int | None:
    return sum(isinstance(v, ast.FormattedValue) for v in node.values) if isinstance(node, ast.JoinedStr) else None


def _problems(path: Path, errors: set[str]) -> tuple[int, list[str]]:
    src = path.read_text("utf-8")
    tree = ast.parse(src)
    wanted = errors | _en_helpers(tree)
    seen, bad = 0, []
    where = f"{path.parent.name}/{path.name}"
    for n in ast.walk(tree):
        if not isinstance(n, ast.Call):
            continue
        name = _name(n.func)
        if name in wanted:
            seen += 1
            en = _kw(n, "en")
            zh = n.args[0] if n.args else _kw(n, "message")
            if en is None:
                bad.append(f"{where}:{n.lineno}: {ast.get_source_segment(src, n)} has no en=")
            elif _placeholders(zh) is not None and _placeholders(zh) != _placeholders(en):
                bad.append(f"{where}:{n.lineno}: the English text fills in other values than the Chinese one")
        elif name == "check_visible" and (len(n.args) >= 3 or _kw(n, "what")) and _kw(n, "what_en") is None:
            seen += 1
            bad.append(f"{where}:{n.lineno}: {ast.get_source_segment(src, n)} has no what_en=")
    return seen, bad


@pytest.mark.parametrize("slice_name", SLICES)
def test_every_domain_error_of_the_slice_has_an_english_text(slice_name):
    errors = _error_classes()
    assert {"ValidationFailed", "NotFound", "PermissionDenied", "Conflict", "IllegalTransition"} <= errors
    seen, bad = 0, []
    for path in _modules():
        if path.parent.name == slice_name:
            n, b = _problems(path, errors)
            seen += n
            bad += b
    assert seen > 0, f"no errors found in {slice_name}: is the walker looking at the right files?"
    assert not bad, "\n".join(bad)


def test_the_walker_finds_a_missing_english_text(tmp_path):
    p = tmp_path / "roads" / "x.py"
    p.parent.mkdir()
    p.write_text('def f(v, actor, u):\n'
                 '    if v:\n        raise ValidationFailed(f"无效：{v}")\n'
                 '    if not v:\n        raise NotFound(f"无效：{v}", en="Invalid")\n'
                 '    check_visible(actor, u, "路段")\n'
                 '    raise Conflict("已存在", en="Exists")\n', "utf-8")
    seen, bad = _problems(p, {"ValidationFailed", "NotFound", "Conflict"})
    assert seen == 4 and len(bad) == 3, bad
