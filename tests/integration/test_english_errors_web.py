"""Errors of the web foundation (CSRF, roles, user accounts) in English (cookie `lang=en`) on pages and as the
API's `detail_en`; without the cookie the same errors are shown in Chinese as before."""

from __future__ import annotations

from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from tests.support import csrf_from, english, login, seed_units, seed_users
from zhifa.db.session import unit_of_work
from zhifa.shared.access import SYSTEM
from zhifa.shared.clock import TZ
from zhifa.shared.errors import ZhifaError
from zhifa.web.app import create_app
from zhifa.web.auth import create_user

CSRF_ZH = "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试"
CSRF_EN = "The form has expired or its origin is unknown (CSRF check failed); reload and retry"


@pytest.fixture
def client(container):
    seed_units(container)
    seed_users(container, [("sup", "supervisor", "410000")])
    with TestClient(create_app(container)) as c:
        yield c


def test_a_refused_form_says_why_in_the_interface_language(client):
    login(client, "sup")
    r = client.post("/logout", data={"csrf_token": "forged"})
    assert r.status_code == 403 and CSRF_ZH in r.text and CSRF_EN not in r.text
    english(client)
    r = client.post("/logout", data={"csrf_token": "forged"})
    assert r.status_code == 403 and CSRF_EN in r.text and CSRF_ZH not in r.text


def test_api_refusals_carry_the_english_text(client):
    login(client, "sup")
    english(client)
    r = client.post("/api/supervision/orders", json={}, headers={"X-CSRF-Token": "forged"})
    assert r.status_code == 403 and r.json() == {"detail": CSRF_ZH, "detail_en": CSRF_EN}
    tok = csrf_from(client.get("/supervision/orders").text)
    r = client.post("/api/cases", json={}, headers={"X-CSRF-Token": tok})  # officers only
    assert r.status_code == 403
    assert r.json() == {"detail": "当前角色无权访问此功能", "detail_en": "Your role may not use this function"}


@pytest.mark.parametrize(("kw", "zh", "en"), [
    ({"password": "short"}, "密码至少", "The password must have at least"),
    ({"role": "wizard"}, "未知角色：wizard", "Unknown role: wizard"),
    ({"unit_code": "999999"}, "单位 999999 不存在", "Unit 999999 not found"),
    ({"username": "sup"}, "用户名 sup 已存在", "Username sup already exists"),
])
def test_refused_user_accounts_say_why_in_both_languages(client, container, kw, zh, en):
    args = {"username": "new", "password": "long-enough-pass", "role": "officer", "unit_code": "410100"} | kw
    with pytest.raises(ZhifaError) as err, unit_of_work(container.db) as s:
        create_user(s, actor=SYSTEM, now=datetime(2022, 1, 1, tzinfo=TZ), **args)
    assert err.value.message.startswith(zh) and err.value.text("en").startswith(en)
