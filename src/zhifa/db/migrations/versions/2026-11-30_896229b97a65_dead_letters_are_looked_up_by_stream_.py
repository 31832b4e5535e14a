"""dead letters are looked up by stream and message

Revision ID: 896229b97a65
Revises: 00c811830bec
Create Date: 2026-11-30 06:02:39.521051
"""
from __future__ import annotations

from alembic import op

revision = "896229b97a65"
down_revision = "00c811830bec"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stream_dead_letters", schema=None) as batch_op:
        batch_op.create_index("ix_stream_dead_letters_stream_message", ["stream", "message_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("stream_dead_letters", schema=None) as batch_op:
        batch_op.drop_index("ix_stream_dead_letters_stream_message")
