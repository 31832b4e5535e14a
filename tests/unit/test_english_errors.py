"""Every domain error of every slice has an English text: each call of a `ZhifaError` subclass (or of a
module's own error builder taking `en`) passes `en=`, each `check_visible(…, "<中文>")` passes `what_en=`,
an English f-string fills in as many values as its Chinese one, and an error subclass with its own
`__init__` accepts `en`. A new error without its English text fails here, before a page shows it (CLI
`commands.py` modules print Chinese and are not walked)."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "zhifa"
SLICES = tuple(sorted(p.name for p in SRC.iterdir() if p.is_dir() and (p / "__init__.py").exists()))
BASE = "ZhifaError"


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


@functools.cache
def _error_classes() -> frozenset[str]:
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
    return frozenset(names)


def _modules(slice_name: str) -> list[Path]:
    return [p for p in sorted((SRC / slice_name).rglob("*.py")) if p.name != "commands.py" and "migrations" not in p.parts]


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


def _placeholders(node: ast.expr | None) -> list[str] | None:
    """The values an f-string fills in (their source text); None when it is not an f-string."""
    if not isinstance(node, ast.JoinedStr):
        return None
    return [ast.unparse(v.value) for v in node.values if isinstance(v, ast.FormattedValue)]


def _same_values(zh: list[str] | None, en: list[str] | None) -> bool:
    """The English fills in as many values as the Chinese text (the English may name them differently, e.g.
    an English label), leaving out only Chinese-only labels (names with `_zh`)."""
    if zh is None:
        return True
    n_en = len(en or [])
    return n_en == len(zh) or n_en == len([v for v in zh if "_zh" not in v])


def _problems(path: Path, errors: set[str]) -> tuple[int, list[str]]:
    src = path.read_text("utf-8")
    tree = ast.parse(src)
    wanted = errors | _en_helpers(tree)
    seen, bad = 0, []
    where = f"{path.parent.name}/{path.name}"
    for n in ast.walk(tree):
        if isinstance(n, ast.ClassDef) and n.name in errors:
            for f in n.body:
                if isinstance(f, ast.FunctionDef) and f.name == "__init__":
                    params = {a.arg for a in (*f.args.args, *f.args.kwonlyargs)}
                    if "en" not in params and f.args.kwarg is None:
                        bad.append(f"{where}:{f.lineno}: {n.name}.__init__ does not take en")
        if not isinstance(n, ast.Call):
            continue
        name = _name(n.func)
        if name in wanted:
            seen += 1
            en = _kw(n, "en")
            zh = n.args[0] if n.args else _kw(n, "message")
            if en is None:
                bad.append(f"{where}:{n.lineno}: {ast.get_source_segment(src, n)} has no en=")
            elif not _same_values(_placeholders(zh), _placeholders(en)):
                bad.append(f"{where}:{n.lineno}: the English text fills in other values than the Chinese one")
        elif name == "check_visible" and (len(n.args) >= 3 or _kw(n, "what")) and _kw(n, "what_en") is None:
            seen += 1
            bad.append(f"{where}:{n.lineno}: {ast.get_source_segment(src, n)} has no what_en=")
    return seen, bad


@pytest.mark.parametrize("slice_name", SLICES)
def test_every_domain_error_of_the_slice_has_an_english_text(slice_name):
    errors = _error_classes()
    assert {"ValidationFailed", "NotFound", "PermissionDenied", "Conflict", "IllegalTransition"} <= errors
    bad: list[str] = []
    for path in _modules(slice_name):
        bad += _problems(path, errors)[1]
    assert not bad, "\n".join(bad)


def test_the_walker_sees_the_errors_of_the_package():
    """Guards the walker itself: it must find the hundreds of errors the slices raise."""
    errors = _error_classes()
    seen = sum(_problems(p, errors)[0] for s in SLICES for p in _modules(s))
    assert seen > 300, seen


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


def test_the_walker_finds_an_error_class_that_drops_the_english_text(tmp_path):
    p = tmp_path / "cases" / "x.py"
    p.parent.mkdir()
    p.write_text("class Refused(ValidationFailed):\n    def __init__(self, message):\n"
                 "        super().__init__(message)\n", "utf-8")
    assert _problems(p, {"ValidationFailed", "Refused"})[1] == ["cases/x.py:2: Refused.__init__ does not take en"]
