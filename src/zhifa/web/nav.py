"""The left navigation: fixed sections, entries registered by slices.

A slice's pages module calls, at import time::

    register_nav("cases", "案件列表", "Cases", "/cases", roles=("officer", "legal_reviewer"))

`roles=None` shows the entry to every staff role; admins see every entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from zhifa.shared.access import Actor, Role

# (key, zh, en) in display order
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("command", "指挥中心", "Command centre"),
    ("leads", "线索研判", "Leads"),
    ("interception", "布控拦截", "Watch-list & interception"),
    ("overload", "治超", "Overload control"),
    ("cases", "案件", "Cases"),
    ("supervision", "督办", "Work orders"),
    ("complaints", "投诉举报", "Complaints"),
    ("roads", "路政", "Road administration"),
    ("reports", "统计报表", "Reports"),
    ("admin", "系统管理", "Administration"),
)
_SECTION_KEYS = {k for k, _, _ in SECTIONS}


@dataclass(frozen=True)
class NavEntry:
    section: str
    label_zh: str
    label_en: str
    href: str
    roles: frozenset[str] | None = None
    order: int = 100

    def visible_to(self, actor: Actor | None) -> bool:
        if actor is None:
            return False
        if actor.role in (Role.ADMIN, Role.SYSTEM):
            return True
        if self.roles is None:
            # a toll-station operator works one station's tasks: only entries that name the role
            return actor.role is not Role.TOLL_OPERATOR
        return str(actor.role) in self.roles


_ENTRIES: dict[str, NavEntry] = {}


def register_nav(
    section: str,
    label_zh: str,
    label_en: str,
    href: str,
    roles: Iterable[str | Role] | None = None,
    order: int = 100,
) -> None:
    """Add (or replace, keyed by href) a navigation entry under one of SECTIONS."""
    if section not in _SECTION_KEYS:
        raise ValueError(f"unknown nav section {section!r}; one of {sorted(_SECTION_KEYS)}")
    _ENTRIES[href] = NavEntry(
        section=section,
        label_zh=label_zh,
        label_en=label_en,
        href=href,
        roles=None if roles is None else frozenset(str(r) for r in roles),
        order=order,
    )


@dataclass(frozen=True)
class NavSection:
    key: str
    label: str
    entries: list[dict[str, object]]


def nav_for(actor: Actor | None, lang: str, current_path: str = "") -> list[NavSection]:
    """Sections with the entries this actor may see; empty sections are left out."""
    out: list[NavSection] = []
    for key, zh, en in SECTIONS:
        entries = sorted(
            (e for e in _ENTRIES.values() if e.section == key and e.visible_to(actor)),
            key=lambda e: (e.order, e.href),
        )
        if not entries:
            continue
        items = [
            {
                "label": e.label_en if lang == "en" else e.label_zh,
                "href": e.href,
                "active": current_path == e.href
                or (e.href != "/" and current_path.startswith(e.href.rstrip("/") + "/")),
            }
            for e in entries
        ]
        out.append(NavSection(key=key, label=en if lang == "en" else zh, entries=items))
    return out


register_nav("command", "总览", "Overview", "/", order=0)
