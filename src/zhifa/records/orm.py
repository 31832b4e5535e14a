"""Tables of the ingest: one row per ingest batch, and the quarantine of rejected rows."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from zhifa.db.base import Base


class IngestBatch(Base):
    """One file ingested (or refused): what was read, stored, skipped as duplicate, quarantined."""

    __tablename__ = "ingest_batch"

    batch_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    table_name: Mapped[str] = mapped_column(String(32), index=True)
    source_file: Mapped[str] = mapped_column(String(512))
    file_format: Mapped[str] = mapped_column(String(16))
    rows_read: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    rows_ingested: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    rows_duplicate: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    rows_quarantined: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    actor: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(index=True)


class Quarantine(Base):
    """A rejected row with its reason and its raw cells (JSON), kept for correction and counting."""

    __tablename__ = "quarantine"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    table_name: Mapped[str] = mapped_column(String(32), index=True)
    source_file: Mapped[str] = mapped_column(String(512))
    row_no: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    record_id: Mapped[str | None] = mapped_column(String(128), index=True)
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)  # the row's cells as a JSON object of text
    raw_sha1: Mapped[str] = mapped_column(String(40), index=True)  # re-ingesting the same row adds nothing
    batch_id: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[datetime]
