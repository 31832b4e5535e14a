"""The one access layer: who the actor is, what role they hold, which units they may see.

Every query of protected rows goes through `scope()` (or an `access_*` function built on it), so no
route runs an unscoped query. Rows outside the actor's jurisdiction are reported as not found.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from zhifa.shared.errors import NotFound, PermissionDenied

PROVINCE_CODE = "410000"


class Role(StrEnum):
    ANALYST = "analyst"  # 指挥中心研判员
    OFFICER = "officer"  # 执法人员
    LEGAL_REVIEWER = "legal_reviewer"  # 法制审核员
    SUPERVISOR = "supervisor"  # 执法监督
    TOLL_OPERATOR = "toll_operator"  # 收费站
    ADMIN = "admin"
    PARTY = "party"  # 当事人
    PUBLIC = "public"
    SYSTEM = "system"  # detectors, sweeps, the live matcher


ROLE_LABELS_ZH = {
    Role.ANALYST: "研判员",
    Role.OFFICER: "执法人员",
    Role.LEGAL_REVIEWER: "法制审核员",
    Role.SUPERVISOR: "执法监督",
    Role.TOLL_OPERATOR: "收费站",
    Role.ADMIN: "管理员",
    Role.PARTY: "当事人",
    Role.PUBLIC: "公众",
    Role.SYSTEM: "系统",
}

STAFF_ROLES = frozenset(
    {Role.ANALYST, Role.OFFICER, Role.LEGAL_REVIEWER, Role.SUPERVISOR, Role.TOLL_OPERATOR, Role.ADMIN, Role.SYSTEM}
)


@dataclass(frozen=True)
class Actor:
    """Who acts. `unit_codes` is the unit and every unit below it; None means the whole province."""

    username: str
    role: Role
    unit_code: str
    unit_codes: frozenset[str] | None = None
    user_id: str | None = None
    display_name: str = ""
    site_id: str | None = None  # a toll-station operator's own station
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def sees_all(self) -> bool:
        return self.unit_codes is None

    def can_see_unit(self, unit_code: str | None) -> bool:
        if self.sees_all:
            return True
        return unit_code is not None and unit_code in (self.unit_codes or frozenset())


SYSTEM = Actor(username="system", role=Role.SYSTEM, unit_code=PROVINCE_CODE, unit_codes=None, display_name="系统")


def descendants(unit_code: str, parents: Mapping[str, str | None]) -> frozenset[str]:
    """The unit and all units below it, from a child → parent map."""
    children: dict[str, list[str]] = {}
    for child, parent in parents.items():
        if parent:
            children.setdefault(parent, []).append(child)
    out = {unit_code}
    stack = [unit_code]
    while stack:
        for c in children.get(stack.pop(), []):
            if c not in out:
                out.add(c)
                stack.append(c)
    return frozenset(out)


def make_actor(
    *,
    username: str,
    role: Role | str,
    unit_code: str,
    parents: Mapping[str, str | None],
    user_id: str | None = None,
    display_name: str = "",
    site_id: str | None = None,
) -> Actor:
    role = Role(role)
    codes = None if unit_code == PROVINCE_CODE else descendants(unit_code, parents)
    return Actor(
        username=username,
        role=role,
        unit_code=unit_code,
        unit_codes=codes,
        user_id=user_id,
        display_name=display_name or username,
        site_id=site_id,
    )


def require_role(actor: Actor, *roles: Role) -> None:
    """Raise PermissionDenied unless the actor holds one of the roles (admin and system always pass)."""
    if actor.role in (Role.ADMIN, Role.SYSTEM):
        return
    if actor.role not in roles:
        raise PermissionDenied(f"角色 {ROLE_LABELS_ZH.get(actor.role, actor.role)} 无权执行此操作",
                               en=f"The role {actor.role.value} may not do this")


def require_staff(actor: Actor) -> None:
    if actor.role not in STAFF_ROLES:
        raise PermissionDenied("仅限执法机构工作人员", en="Staff of the enforcement units only")


def scope(stmt: Any, actor: Actor, unit_column: Any) -> Any:
    """Restrict a SQLAlchemy select to the actor's jurisdiction."""
    require_staff(actor)
    if actor.sees_all:
        return stmt
    return stmt.where(unit_column.in_(sorted(actor.unit_codes or ())))


def check_visible(actor: Actor, unit_code: str | None, what: str = "记录", what_en: str = "Record") -> None:
    """For a single row already loaded: outside the jurisdiction is 'not found'."""
    require_staff(actor)
    if not actor.can_see_unit(unit_code):
        raise NotFound(f"{what}不存在", en=f"{what_en} not found")


def visible_units(actor: Actor, all_units: Iterable[str]) -> list[str]:
    if actor.sees_all:
        return list(all_units)
    return [u for u in all_units if u in (actor.unit_codes or ())]
