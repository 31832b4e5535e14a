"""vehicles carry their drive axle and single-tyre axles

Revision ID: 00c811830bec
Revises: 799ed6847595
Create Date: 2026-11-30 04:58:10.814361
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "00c811830bec"
down_revision = "799ed6847595"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("single_drive_axle", sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column("single_tyre_axles", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("vehicles", schema=None) as batch_op:
        batch_op.drop_column("single_tyre_axles")
        batch_op.drop_column("single_drive_axle")
