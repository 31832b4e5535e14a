"""Interface texts of the training and satisfaction-survey pages (zh is the default and must stay as it was;
en for `lang=en`). Registered by `zhifa.training.pages` with `add_messages(zh=ZH, en=EN)`."""

from __future__ import annotations

from zhifa.training.service import CATEGORIES_ZH, DEFAULT_QUESTIONS, MODES_ZH
from zhifa.web.i18n import pick

CATEGORIES_EN = {"law": "Legal knowledge", "business": "Professional knowledge", "skills": "Enforcement skills",
                 "ethics": "Professional ethics"}
MODES_EN = {"offline": "Classroom", "online": "Online"}
# the standard survey questions are stored with each survey in Chinese; a survey using them shows these in English
QUESTIONS_EN = dict(zip(DEFAULT_QUESTIONS, [
    "Officers are civil, follow the rules and behave well",
    "Enforcement procedures are open, transparent and lawful",
    "Matters are handled efficiently, without passing the buck",
    "Officers are honest and never ask for favours or bribes",
    "Overall opinion of this unit's enforcement work",
], strict=True))


def categories(lang: str) -> dict[str, str]:
    return {k: pick(lang, v, CATEGORIES_EN.get(k, "")) for k, v in CATEGORIES_ZH.items()}


def modes(lang: str) -> dict[str, str]:
    return {k: pick(lang, v, MODES_EN.get(k, "")) for k, v in MODES_ZH.items()}


def question(lang: str, text: str) -> str:
    return pick(lang, text, QUESTIONS_EN.get(text, ""))


ZH = {
    # shared
    "training.unit": "单位", "training.rank": "名次", "training.hours": "学时", "training.start": "开始",
    "training.end": "结束", "training.place": "地点", "training.course": "课程", "training.none": "暂无",
    "training.paren": "（{x}）", "training.bad_answer": "答案格式不正确", "training.score_each": "请对每一项打分",
    # training and hours
    "training.title": "教育培训与学时",
    "training.summary": "{year} 年 · 本人已获 {hours} 学时（要求 {required}）",
    "training.sessions_held": "举办培训班次", "training.trainees": "参训人数", "training.hours_total": "累计学时",
    "training.pass_rate": "在线考试通过率", "training.ranking": "学时达标排名", "training.by_unit": "按单位",
    "training.by_city": "按市汇总", "training.officers": "执法人员", "training.completed": "达标人数",
    "training.rate": "达标率", "training.mean_hours": "人均学时", "training.no_officers": "暂无执法人员",
    "training.sessions": "培训班次", "training.dates": "日期", "training.attendance": "登记完成人员",
    "training.usernames": "用户名，逗号分隔", "training.record": "登记", "training.no_sessions": "本年度暂无培训班次",
    "training.tests": "在线考试", "training.test_info": "（{n} 题，及格 {mark} 分，通过得 {hours} 学时）",
    "training.new_course": "新建课程", "training.name": "名称", "training.category": "类别", "training.mode": "方式",
    "training.create": "新建", "training.schedule": "安排培训班次",
    "training.course_option": "{title}（{hours} 学时）", "training.schedule_submit": "安排",
    # online test
    "training.test.head": "{n} 题 · 及格 {mark} 分", "training.test.passed": "得分 {score} 分，通过",
    "training.test.failed": "得分 {score} 分，未通过", "training.test.credited": "，计入 {hours} 学时",
    "training.test.end": "。", "training.test.submit": "交卷",
    # surveys
    "training.surveys.title": "满意度测评", "training.surveys.year": "{year} 年",
    "training.surveys.results": "按单位结果", "training.surveys.year_col": "年度", "training.surveys.responses": "份数",
    "training.surveys.mean": "平均分（5分制）", "training.surveys.satisfaction": "满意率",
    "training.surveys.no_results": "暂无测评结果",
    "training.surveys.rule": "满意：该份问卷平均分不低于 {min} 分（{version}）。",
    "training.surveys.list": "测评问卷", "training.surveys.link": "公众填写链接", "training.surveys.closed": "（已结束）",
    "training.surveys.start": "发起测评",
    # the public form
    "training.respond.default_title": "{year}年度{unit}执法满意度测评", "training.respond.thanks": "感谢您的评价！",
    "training.respond.very_satisfied": "非常满意", "training.respond.satisfied": "满意",
    "training.respond.neutral": "一般", "training.respond.dissatisfied": "不满意",
    "training.respond.very_dissatisfied": "非常不满意", "training.respond.comment": "意见建议",
    "training.respond.submit": "提交",
}

EN = {
    # shared
    "training.unit": "Unit", "training.rank": "Rank", "training.hours": "Training hours", "training.start": "Start",
    "training.end": "End", "training.place": "Place", "training.course": "Course", "training.none": "None yet",
    "training.paren": " ({x})", "training.bad_answer": "An answer is not in the expected format",
    "training.score_each": "Please rate every item",
    # training and hours
    "training.title": "Training & hours",
    "training.summary": "{year} · my training hours: {hours} (required: {required})",
    "training.sessions_held": "Training sessions held", "training.trainees": "Trainees",
    "training.hours_total": "Total training hours", "training.pass_rate": "Online test pass rate",
    "training.ranking": "Ranking by training hours met", "training.by_unit": "By unit", "training.by_city": "By city",
    "training.officers": "Officers", "training.completed": "Requirement met", "training.rate": "Rate met",
    "training.mean_hours": "Mean hours per officer", "training.no_officers": "No officers",
    "training.sessions": "Training sessions", "training.dates": "Dates", "training.attendance": "Record who completed it",
    "training.usernames": "Usernames, comma-separated", "training.record": "Record",
    "training.no_sessions": "No training sessions this year", "training.tests": "Online tests",
    "training.test_info": " (questions: {n}; pass mark {mark}; {hours} training hours on passing)",
    "training.new_course": "New course", "training.name": "Title", "training.category": "Category",
    "training.mode": "Mode", "training.create": "Create", "training.schedule": "Schedule a training session",
    "training.course_option": "{title} ({hours} hours)", "training.schedule_submit": "Schedule",
    # online test
    "training.test.head": "Questions: {n} · pass mark {mark}", "training.test.passed": "Score {score}: passed",
    "training.test.failed": "Score {score}: not passed", "training.test.credited": ", {hours} training hours credited",
    "training.test.end": ".", "training.test.submit": "Hand in",
    # surveys
    "training.surveys.title": "Satisfaction surveys", "training.surveys.year": "{year}",
    "training.surveys.results": "Results by unit", "training.surveys.year_col": "Year",
    "training.surveys.responses": "Responses", "training.surveys.mean": "Mean score (out of 5)",
    "training.surveys.satisfaction": "Satisfaction rate", "training.surveys.no_results": "No survey results yet",
    "training.surveys.rule": "Satisfied: the response's mean score is at least {min} ({version}).",
    "training.surveys.list": "Surveys", "training.surveys.link": "public link", "training.surveys.closed": " (closed)",
    "training.surveys.start": "Start a survey",
    # the public form
    "training.respond.default_title": "{unit}: enforcement satisfaction survey {year}",
    "training.respond.thanks": "Thank you for your feedback!",
    "training.respond.very_satisfied": "Very satisfied", "training.respond.satisfied": "Satisfied",
    "training.respond.neutral": "Neutral", "training.respond.dissatisfied": "Dissatisfied",
    "training.respond.very_dissatisfied": "Very dissatisfied", "training.respond.comment": "Comments and suggestions",
    "training.respond.submit": "Submit",
}
