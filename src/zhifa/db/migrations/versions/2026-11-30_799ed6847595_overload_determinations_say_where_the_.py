"""overload determinations say where the vehicle kind came from

Revision ID: 799ed6847595
Revises: 06b5ba642619
Create Date: 2026-11-30 04:46:41.490087
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "799ed6847595"
down_revision = "06b5ba642619"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("overload_determinations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kind_source", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("overload_determinations", schema=None) as batch_op:
        batch_op.drop_column("kind_source")
