"""Enforcement documents (执法文书): numbered per unit, year and kind; rendered HTML → PDF (WeasyPrint,
Noto CJK); stored by SHA-256 under `settings.documents_dir`. Evidence cited is re-verified."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhifa.cases.model import PARTY_KIND_ZH, STATUS_LABELS_ZH, CaseStatus, PartyKind
from zhifa.cases.orm import Case, CaseDocument
from zhifa.shared import audit, numbering
from zhifa.shared.access import Actor
from zhifa.shared.clock import TZ
from zhifa.shared.errors import NotFound, ValidationFailed
from zhifa.shared.ids import new_id

TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates" / "cases" / "docs"

# kind → (title, number prefix, template)
KINDS: dict[str, tuple[str, str, str]] = {
    "register": ("立案登记表", "豫交执立", "register.html"),
    "notice": ("违法行为通知书（行政处罚告知书）", "豫交执告", "notice.html"),
    "decision": ("行政处罚决定书", "豫交执罚", "decision.html"),
    "service_receipt": ("送达回证", "豫交执送", "service_receipt.html"),
    "closing_report": ("结案报告", "豫交执结", "closing_report.html"),
}
PARTY_VISIBLE = frozenset({"notice", "decision", "service_receipt"})


def format_number(prefix: str, unit_code: str, year: int, seq: int) -> str:
    """e.g. 豫交执罚〔2022〕410105-0001号: per unit (its code), year and kind."""
    return f"{prefix}〔{year}〕{unit_code}-{seq:04d}号"


def next_number(session: Session, *, unit_code: str, year: int, kind: str) -> str:
    """Take the next number inside the caller's transaction (the platform's one gap-free counter,
    `shared.numbering`): no gaps, no duplicates, and a rolled-back step gives its number back."""
    seq = numbering.next_number(session, kind=f"case_doc:{kind}", unit_code=unit_code, year=year)
    return format_number(KINDS[kind][1], unit_code, year, seq)


def _env() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=select_autoescape(["html"]))
    env.filters["d"] = lambda v: v.strftime("%Y年%m月%d日") if v else ""
    env.filters["dt"] = lambda v: v.astimezone(TZ).strftime("%Y年%m月%d日 %H:%M") if v else ""
    return env


@dataclass
class DocumentStore:
    """Renders and stores documents; `documents_dir` and `evidence_dir` come from settings."""

    documents_dir: Path
    evidence_dir: Path
    unit_names: dict[str, str] | None = None

    @classmethod
    def from_settings(cls, settings: Any) -> DocumentStore:
        return cls(Path(settings.documents_dir), Path(settings.evidence_dir))

    def path_for(self, sha256: str) -> Path:
        return self.documents_dir / sha256[:2] / f"{sha256}.pdf"

    def unit_name(self, session: Session, unit_code: str) -> str:
        try:
            from zhifa.org.orm import Unit

            u = session.get(Unit, unit_code)
            if u is not None:
                return f"{u.name}交通运输综合行政执法机构"
        except Exception:  # noqa: BLE001 - org tables may be absent in a bare schema
            pass
        return f"{unit_code} 交通运输综合行政执法机构"

    def evidence_rows(self, session: Session, case: Case) -> list[dict[str, Any]]:
        from zhifa.cases.service import evidence_of

        rows = []
        for ev in evidence_of(session, case.case_id):
            p = self.evidence_dir / ev.sha256[:2] / ev.sha256
            ok = p.exists() and hashlib.sha256(p.read_bytes()).hexdigest() == ev.sha256
            rows.append({"name": ev.name, "sha256": ev.sha256, "size": ev.size, "verified": ok, "description": ev.description})
        return rows

    def context(self, session: Session, case: Case, kind: str, number: str, now: datetime) -> dict[str, Any]:
        from zhifa.cases.service import catalogue_on, hearing_right_for, statements

        _, items = catalogue_on(session, case.act_on)
        item = items.get(case.catalogue_code)
        return {
            "title": KINDS[kind][0],
            "number": number,
            "case": case,
            "item": item,
            "unit_name": self.unit_name(session, case.unit_code),
            "party_kind_zh": PARTY_KIND_ZH[PartyKind(case.party_kind)],
            "status_zh": STATUS_LABELS_ZH[CaseStatus(case.status)],
            "evidence": self.evidence_rows(session, case),
            "statements": statements(session, case.case_id),
            "hearing_right": hearing_right_for(session, case),
            "issued_on": now.astimezone(TZ).date(),
            "fine": case.fine_yuan if case.fine_yuan is not None else case.proposed_fine_yuan,
            "documents": documents_of(session, case.case_id),
        }

    def render_pdf(self, html: str) -> bytes:
        from weasyprint import HTML

        return HTML(string=html, base_url=str(TEMPLATES)).write_pdf()  # type: ignore[no-any-return]

    def store(self, pdf: bytes) -> str:
        digest = hashlib.sha256(pdf).hexdigest()
        path = self.path_for(digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_bytes(pdf)
        return digest

    def issue(self, session: Session, *, actor: Actor, case: Case, kind: str, now: datetime) -> CaseDocument:
        """Number, render, store and record one document of a case, in the caller's transaction."""
        if kind not in KINDS:
            raise ValidationFailed(f"未知的文书种类 {kind}", en=f"Unknown document kind {kind}")
        year = now.astimezone(TZ).year
        number = next_number(session, unit_code=case.unit_code, year=year, kind=kind)
        html = _env().get_template(KINDS[kind][2]).render(**self.context(session, case, kind, number, now))
        pdf = self.render_pdf(html)
        digest = self.store(pdf)
        doc = CaseDocument(document_id=new_id()[:24], case_id=case.case_id, kind=kind, number=number, sha256=digest,
                           size=len(pdf), created_at=now)
        session.add(doc)
        audit.record(session, actor=actor, action="cases.document", object_type="case", object_id=case.case_id,
                     after={"kind": kind, "number": number, "sha256": digest}, unit_code=case.unit_code, now=now)
        session.flush()
        return doc

    def read(self, doc: CaseDocument) -> bytes:
        path = self.path_for(doc.sha256)
        if not path.exists():
            raise NotFound("文书文件不存在", en="Document file not found")
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != doc.sha256:
            raise ValidationFailed("文书文件校验失败（SHA-256 不一致）", en="The document file failed its integrity check (SHA-256 mismatch)")
        return data

    def case_file(self, session: Session, case: Case, now: datetime) -> bytes:
        """The case file (案卷): a cover with the index (each document, its number and first page), then
        every stored document, each re-verified against its SHA-256."""
        import io

        from pypdf import PdfReader, PdfWriter
        from weasyprint import HTML

        docs = documents_of(session, case.case_id)
        blobs = [self.read(d) for d in docs]
        counts = [len(PdfReader(io.BytesIO(b)).pages) for b in blobs]
        ctx = {**self.context(session, case, "register", "", now), "title": "案卷"}
        cover_pages = 1
        for _ in range(3):  # the cover's own length shifts the page numbers of the index
            starts, page = [], cover_pages + 1
            for n in counts:
                starts.append(page)
                page += n
            index = [{"doc": d, "title": KINDS[d.kind][0], "start": st, "pages": n} for d, st, n in zip(docs, starts, counts, strict=True)]
            html = _env().get_template("case_file_cover.html").render(**ctx, index=index, total_pages=page - 1)
            cover = HTML(string=html, base_url=str(TEMPLATES)).write_pdf()
            n_cover = len(PdfReader(io.BytesIO(cover)).pages)
            if n_cover == cover_pages:
                break
            cover_pages = n_cover
        w = PdfWriter()
        for part in (cover, *blobs):
            for pg in PdfReader(io.BytesIO(part)).pages:
                w.add_page(pg)
        buf = io.BytesIO()
        w.write(buf)
        return buf.getvalue()


def documents_of(session: Session, case_id: str) -> list[CaseDocument]:
    """A case's documents in the order of the procedure."""
    order = list(KINDS)
    docs = session.execute(select(CaseDocument).where(CaseDocument.case_id == case_id)).scalars()
    return sorted(docs, key=lambda d: (d.created_at, order.index(d.kind) if d.kind in order else 99, d.number))
