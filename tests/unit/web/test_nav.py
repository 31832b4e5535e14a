import pytest

from zhifa.shared.access import Actor, Role
from zhifa.web.nav import nav_for, register_nav


def actor(role: Role) -> Actor:
    return Actor(username="u", role=role, unit_code="410100", unit_codes=frozenset({"410100"}))


def test_entries_are_shown_by_role_and_admin_sees_all():
    register_nav("cases", "法制审核", "Legal review", "/test-nav/review", roles=["legal_reviewer"])
    def hrefs(a):
        return [e["href"] for s in nav_for(a, "zh") for e in s.entries]
    assert "/test-nav/review" in hrefs(actor(Role.LEGAL_REVIEWER))
    assert "/test-nav/review" in hrefs(actor(Role.ADMIN))
    assert "/test-nav/review" not in hrefs(actor(Role.OFFICER))
    assert nav_for(None, "zh") == []


def test_sections_keep_their_order_and_labels_follow_the_language():
    register_nav("reports", "年报", "Yearly report", "/test-nav/yearly")
    sections = nav_for(actor(Role.ANALYST), "en", current_path="/test-nav/yearly")
    keys = [s.key for s in sections]
    assert keys.index("command") < keys.index("reports")
    rep = next(s for s in sections if s.key == "reports")
    assert rep.label == "Reports"
    entry = next(e for e in rep.entries if e["href"] == "/test-nav/yearly")
    assert entry["label"] == "Yearly report" and entry["active"]


def test_unknown_section_is_refused():
    with pytest.raises(ValueError):
        register_nav("nowhere", "x", "x", "/x")


def test_a_toll_operator_sees_only_entries_that_name_the_role():
    from zhifa.shared.access import Actor, Role
    from zhifa.web.nav import NavEntry

    op = Actor("toll", Role.TOLL_OPERATOR, "410108", frozenset({"410108"}), site_id="TS1")
    officer = Actor("o", Role.OFFICER, "410100", frozenset({"410100"}))
    general = NavEntry("reports", "统计报表", "Reports", "/reports/year")
    station = NavEntry("interception", "本站拦截任务", "Station tasks", "/intercept/station",
                       roles=frozenset({"toll_operator", "officer"}))
    assert not general.visible_to(op) and general.visible_to(officer)
    assert station.visible_to(op) and station.visible_to(officer)
