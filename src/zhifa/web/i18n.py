"""Interface language: zh-CN by default, English on request (cookie `lang`).

Catalogues are plain dicts keyed by a dotted message key. Each slice adds its own keys with
`add_messages(zh={...}, en={...})` at import time of its pages module. A missing English text falls
back to the Chinese one, a missing key shows the key itself (visible, never a crash).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from starlette.requests import Request

DEFAULT_LANG = "zh"
LANGS = ("zh", "en")
LANG_COOKIE = "lang"

_CATALOGUES: dict[str, dict[str, str]] = {"zh": {}, "en": {}}


def add_messages(zh: Mapping[str, str], en: Mapping[str, str] | None = None) -> None:
    """Register message texts; later registrations of the same key win (tests may override)."""
    _CATALOGUES["zh"].update(zh)
    _CATALOGUES["en"].update(en or {})


def translate(key: str, lang: str = DEFAULT_LANG, **params: Any) -> str:
    text = _CATALOGUES.get(lang, {}).get(key) or _CATALOGUES["zh"].get(key) or key
    if params:
        try:
            return text.format(**params)
        except (KeyError, IndexError, ValueError):
            return text
    return text


def get_lang(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, DEFAULT_LANG)
    return lang if lang in LANGS else DEFAULT_LANG


def translator(lang: str) -> Callable[..., str]:
    def t(key: str, **params: Any) -> str:
        return translate(key, lang, **params)

    return t


def pick(lang: str, zh: str, en: str) -> str:
    """For texts that live in data (nav labels, enum labels) rather than in a catalogue."""
    return en if lang == "en" and en else zh


def labels(table: Mapping[Any, tuple[str, str]], lang: str) -> dict[Any, str]:
    """`{code: label}` in the interface language, from a `{code: (zh, en)}` table."""
    return {code: pick(lang, zh, en) for code, (zh, en) in table.items()}


def labels_from(zh: Mapping[Any, str], en: Mapping[Any, str], lang: str) -> dict[str, str]:
    """`{code: label}` in the interface language from separate Chinese and English maps (codes as text:
    an enum key becomes its value)."""
    return {str(k): pick(lang, v, en.get(k) or en.get(str(k), "")) for k, v in zh.items()}


add_messages(
    zh={
        "app.name": "交通运输综合执法综合管理服务平台",
        "app.short": "综合执法平台",
        "nav.toggle": "菜单",
        "auth.login": "登录",
        "auth.logout": "退出",
        "auth.username": "用户名",
        "auth.password": "密码",
        "auth.submit": "登录",
        "auth.failed": "用户名或密码错误",
        "auth.rate_limited": "登录尝试过于频繁，请稍后再试",
        "auth.inactive": "账号已停用",
        "auth.subtitle": "工作人员登录",
        "auth.hint": "仅限授权工作人员使用，所有操作均记录审计日志。",
        "lang.zh": "中文",
        "lang.en": "English",
        "error.title": "出错了",
        "error.back": "返回首页",
        "error.not_found": "页面不存在",
        "error.csrf": "表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试",
        "error.login_required": "请先登录",
        "role.analyst": "研判员",
        "role.officer": "执法人员",
        "role.legal_reviewer": "法制审核员",
        "role.supervisor": "执法监督",
        "role.toll_operator": "收费站",
        "role.admin": "管理员",
        "role.party": "当事人",
        "role.public": "公众",
        "role.system": "系统",
        "section.command": "指挥中心",
        "section.leads": "线索研判",
        "section.interception": "布控拦截",
        "section.overload": "治超",
        "section.cases": "案件",
        "section.supervision": "督办",
        "section.complaints": "投诉举报",
        "section.roads": "路政",
        "section.reports": "统计报表",
        "section.admin": "系统管理",
        "dash.title": "指挥中心总览",
        "dash.scope": "管辖范围",
        "punct.colon": "：",
        "dash.scope_all": "全省",
        "dash.sites": "站点",
        "dash.leads": "线索",
        "dash.open_leads": "待研判线索",
        "dash.by_city": "按地市统计",
        "dash.city": "地市",
        "dash.total": "合计",
        "dash.map": "站点分布图",
        "dash.chart": "各地市站点与线索",
        "dash.leads_by_rule": "线索按规则",
        "dash.no_leads": "暂无线索",
        "dash.legend": "图例",
        "dash.rule": "规则",
        "dash.count": "数量",
        "site.gantry": "ETC门架",
        "site.toll_station": "收费站",
        "site.wim": "非现场执法点",
        "site.check_station": "超限检测站",
        "site.video": "视频监控点",
        "site.loading_source": "货运源头",
        "site.other": "其他",
    },
    en={
        "app.name": "Integrated Transport Law-Enforcement Platform",
        "app.short": "Enforcement Platform",
        "nav.toggle": "Menu",
        "auth.login": "Sign in",
        "auth.logout": "Sign out",
        "auth.username": "Username",
        "auth.password": "Password",
        "auth.submit": "Sign in",
        "auth.failed": "Wrong username or password",
        "auth.rate_limited": "Too many sign-in attempts, please try again later",
        "auth.inactive": "Account disabled",
        "auth.subtitle": "Staff sign-in",
        "auth.hint": "Authorised staff only. Every action is recorded in the audit log.",
        "lang.zh": "中文",
        "lang.en": "English",
        "error.title": "Something went wrong",
        "error.back": "Back to the start page",
        "error.not_found": "Page not found",
        "error.csrf": "The form has expired or its origin is unknown (CSRF check failed); reload and retry",
        "error.login_required": "Please sign in",
        "role.analyst": "Analyst",
        "role.officer": "Officer",
        "role.legal_reviewer": "Legal reviewer",
        "role.supervisor": "Supervisor",
        "role.toll_operator": "Toll station",
        "role.admin": "Administrator",
        "role.party": "Party",
        "role.public": "Public",
        "role.system": "System",
        "section.command": "Command centre",
        "section.leads": "Leads",
        "section.interception": "Watch-list & interception",
        "section.overload": "Overload control",
        "section.cases": "Cases",
        "section.supervision": "Work orders",
        "section.complaints": "Complaints",
        "section.roads": "Road administration",
        "section.reports": "Reports",
        "section.admin": "Administration",
        "dash.title": "Command centre overview",
        "dash.scope": "Jurisdiction",
        "punct.colon": ": ",
        "dash.scope_all": "Whole province",
        "dash.sites": "Sites",
        "dash.leads": "Leads",
        "dash.open_leads": "Leads to review",
        "dash.by_city": "By city",
        "dash.city": "City",
        "dash.total": "Total",
        "dash.map": "Map of sites",
        "dash.chart": "Sites and leads by city",
        "dash.leads_by_rule": "Leads by rule",
        "dash.no_leads": "No leads yet",
        "dash.legend": "Legend",
        "dash.rule": "Rule",
        "dash.count": "Count",
        "site.gantry": "ETC gantry",
        "site.toll_station": "Toll station",
        "site.wim": "Off-site (WIM) point",
        "site.check_station": "Check station",
        "site.video": "Video point",
        "site.loading_source": "Loading source",
        "site.other": "Other",
    },
)
