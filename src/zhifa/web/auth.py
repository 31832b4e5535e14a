"""Authentication: argon2 password hashes and the actor behind a session (the login limit is
`zhifa.shared.ratelimit.FailureWindow`, built by the container).

No tables of its own: users are `zhifa.org.orm.User`, the unit tree is `zhifa.org.orm.Unit`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhifa.db.session import Database
from zhifa.org.orm import Unit, User
from zhifa.shared import audit
from zhifa.shared.access import PROVINCE_CODE, SYSTEM, Actor, Role, make_actor
from zhifa.shared.errors import Conflict, NotFound, ValidationFailed
from zhifa.shared.ids import new_id

_hasher = PasswordHasher()

MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# A fixed hash to verify against when the username is unknown, so that timing does not tell
# whether an account exists.
_DUMMY_HASH = _hasher.hash("zhifa-no-such-user")


# ---------------------------------------------------------------- unit tree (cached per database)


@dataclass
class UnitTree:
    parents: dict[str, str | None] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    city_of: dict[str, str | None] = field(default_factory=dict)
    levels: dict[str, str] = field(default_factory=dict)
    loaded_at: float = 0.0


_TREE_TTL_S = 300.0
_trees: dict[str, UnitTree] = {}
_trees_lock = threading.Lock()


def _load_tree(session: Session) -> UnitTree:
    tree = UnitTree(loaded_at=time.monotonic())
    for u in session.execute(select(Unit.unit_code, Unit.parent_code, Unit.name, Unit.city_code, Unit.level)):
        tree.parents[u.unit_code] = u.parent_code
        tree.names[u.unit_code] = u.name
        tree.city_of[u.unit_code] = u.city_code
        tree.levels[u.unit_code] = u.level
    return tree


def unit_tree(db: Database, session: Session | None = None, *, need: str | None = None) -> UnitTree:
    """The unit tree of this database, cached for a few minutes; reloaded when `need` is unknown."""
    key = str(db.engine.url)
    with _trees_lock:
        tree = _trees.get(key)
    stale = tree is None or time.monotonic() - tree.loaded_at > _TREE_TTL_S
    if not stale and need is not None and tree is not None and need not in tree.parents:
        stale = True
    if stale:
        if session is not None:
            tree = _load_tree(session)
        else:
            with db.sessions() as s:
                tree = _load_tree(s)
        with _trees_lock:
            _trees[key] = tree
    assert tree is not None
    return tree


def invalidate_unit_tree(db: Database | None = None) -> None:
    with _trees_lock:
        if db is None:
            _trees.clear()
        else:
            _trees.pop(str(db.engine.url), None)


def actor_for_user(user: User, tree: UnitTree) -> Actor:
    return make_actor(
        username=user.username,
        role=user.role,
        unit_code=user.unit_code,
        parents=tree.parents,
        user_id=user.user_id,
        display_name=user.display_name,
        site_id=user.site_id,
    )


def load_actor(db: Database, user_id: str) -> Actor | None:
    """The actor for a session's user id; None if the user is gone or disabled."""
    with db.sessions() as s:
        user = s.get(User, user_id)
        if user is None or not user.active:
            return None
        return actor_for_user(user, unit_tree(db, s, need=user.unit_code))


# ---------------------------------------------------------------- verbs


@dataclass(frozen=True)
class LoginResult:
    ok: bool
    actor: Actor | None = None
    reason: str = ""  # failed | inactive


def authenticate(
    session: Session, db: Database, *, username: str, password: str, now: datetime, ip: str
) -> LoginResult:
    """Check the credentials and write the audit event (success or failure) in `session`."""
    username = (username or "").strip()
    user = session.execute(select(User).where(User.username == username)).scalar_one_or_none()
    if user is None:
        verify_password(_DUMMY_HASH, password or "")
        ok, reason = False, "failed"
    elif not verify_password(user.password_hash, password or ""):
        ok, reason = False, "failed"
    elif not user.active:
        ok, reason = False, "inactive"
    else:
        ok, reason = True, ""
    if not ok:
        who = Actor(username=username[:64] or "?", role=Role.PUBLIC, unit_code=PROVINCE_CODE)
        audit.record(
            session,
            actor=who,
            action="auth.login_failed",
            object_type="user",
            object_id=user.user_id if user else username[:64],
            after={"ip": ip, "reason": reason},
            unit_code=user.unit_code if user else PROVINCE_CODE,
            now=now,
        )
        return LoginResult(False, None, reason)
    assert user is not None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    actor = actor_for_user(user, unit_tree(db, session, need=user.unit_code))
    audit.record(
        session, actor=actor, action="auth.login", object_type="user", object_id=user.user_id,
        after={"ip": ip}, now=now,
    )
    return LoginResult(True, actor)


def record_logout(session: Session, *, actor: Actor, now: datetime, ip: str) -> None:
    audit.record(
        session, actor=actor, action="auth.logout", object_type="user",
        object_id=actor.user_id or actor.username, after={"ip": ip}, now=now,
    )


def create_user(
    session: Session,
    *,
    actor: Actor = SYSTEM,
    username: str,
    password: str,
    role: str,
    unit_code: str,
    display_name: str = "",
    site_id: str | None = None,
    team_id: str | None = None,
    now: datetime,
) -> User:
    """Add a user account (admin or CLI); the password is stored as an argon2 hash only."""
    try:
        role = str(Role(role))
    except ValueError as e:
        raise ValidationFailed(f"未知角色：{role}", en=f"Unknown role: {role}") from e
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(f"密码至少 {MIN_PASSWORD_LENGTH} 位", en=f"The password must have at least {MIN_PASSWORD_LENGTH} characters")
    if not username or len(username) > 64:
        raise ValidationFailed("用户名不能为空且不超过 64 个字符", en="The username is required and may be at most 64 characters")
    if session.get(Unit, unit_code) is None:
        raise NotFound(f"单位 {unit_code} 不存在", en=f"Unit {unit_code} not found")
    if session.execute(select(User.user_id).where(User.username == username)).first():
        raise Conflict(f"用户名 {username} 已存在", en=f"Username {username} already exists")
    user = User(
        user_id=new_id()[:32],
        username=username,
        display_name=display_name or username,
        password_hash=hash_password(password),
        role=role,
        unit_code=unit_code,
        team_id=team_id,
        site_id=site_id,
        active=True,
        created_at=now,
    )
    session.add(user)
    session.flush()
    audit.record(
        session, actor=actor, action="users.create", object_type="user", object_id=user.user_id,
        after={"username": username, "role": role, "unit_code": unit_code, "site_id": site_id},
        unit_code=unit_code, now=now,
    )
    return user
