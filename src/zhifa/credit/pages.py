"""Interface texts of the credit page (严重违法失信名单), in Chinese (as before) and English.

The page itself (/credit, templates/credit/list.html) is served by `zhifa.overload.pages`; this module
only registers its texts, at import time (the app imports every slice's `pages` module). The router is
empty on purpose. Criterion labels are message keys `credit.criterion.<code>` built from
`CRITERION_LABELS_ZH`, so the template needs nothing more from the route than it gets today.
"""

from __future__ import annotations

from fastapi import APIRouter

from zhifa.credit.rules import CRITERION_DRIVER, CRITERION_ENTERPRISE, CRITERION_LABELS_ZH, CRITERION_TRUCK
from zhifa.web.i18n import add_messages

router = APIRouter(include_in_schema=False)

CRITERION_LABELS_EN = {
    CRITERION_TRUCK: "Truck: more than 3 illegal overload trips within one year",
    CRITERION_DRIVER: "Driver: more than 3 illegal overload trips within one year",
    CRITERION_ENTERPRISE: "Transport company: trucks with illegal overload trips exceed 10% of its fleet within one year",
}

add_messages(
    zh={
        "credit.title": "信用治超",
        "credit.heading": "严重违法失信超限运输名单",
        "credit.export_csv": "导出CSV",
        "credit.export_json": "导出JSON",
        "credit.status": "状态",
        "credit.all": "全部",
        "credit.st.pending": "待公布",
        "credit.st.published": "已公布",
        "credit.st.exited": "已移出",
        "credit.subject": "主体",
        "credit.all_subjects": "全部主体",
        "credit.kind.truck": "货车",
        "credit.kind.driver": "驾驶人",
        "credit.kind.enterprise": "运输企业",
        "credit.filter": "筛选",
        "credit.name": "名称",
        "credit.criterion": "情形",
        "credit.count": "次数",
        "credit.entered_on": "列入日期",
        "credit.published_on": "公布日期",
        "credit.exit_on": "移出日期",
        "credit.watch_flagged": "已布控",
        "credit.publish": "公布",
        "credit.empty": "暂无",
        "credit.basis": "依据：交通运输部办公厅关于界定严重违法失信超限超载运输行为的通知（2017）、《公路安全保护条例》第六十六条；"
                        "公布之日起满2年移出公开名单，记录留存。",
        **{f"credit.criterion.{code}": zh for code, zh in CRITERION_LABELS_ZH.items()},
    },
    en={
        "credit.title": "Credit-based overload control",
        "credit.heading": "Serious dishonesty list (illegal overload transport)",
        "credit.export_csv": "Export CSV",
        "credit.export_json": "Export JSON",
        "credit.status": "Status",
        "credit.all": "All",
        "credit.st.pending": "To publish",
        "credit.st.published": "Published",
        "credit.st.exited": "Removed",
        "credit.subject": "Subject",
        "credit.all_subjects": "All subjects",
        "credit.kind.truck": "Truck",
        "credit.kind.driver": "Driver",
        "credit.kind.enterprise": "Transport company",
        "credit.filter": "Filter",
        "credit.name": "Name",
        "credit.criterion": "Criterion",
        "credit.count": "Count",
        "credit.entered_on": "Listed on",
        "credit.published_on": "Published on",
        "credit.exit_on": "Removed on",
        "credit.watch_flagged": "Watch-listed",
        "credit.publish": "Publish",
        "credit.empty": "None yet",
        "credit.basis": "Basis: notice of the General Office of the Ministry of Transport defining serious illegal and "
                        "dishonest overload transport (2017); Regulations on Highway Safety Protection "
                        "(《公路安全保护条例》), Art. 66. An entry leaves the public list 2 years after publication; "
                        "the record is kept.",
        **{f"credit.criterion.{code}": en for code, en in CRITERION_LABELS_EN.items()},
    },
)
