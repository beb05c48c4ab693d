"""${message}

Revision ID: ${up_revision}
Revises: ${down_revision | comma,n}
Create Date: ${create_date}

Rules for cache migrations (see modconsole/cache/db.py):
* Never import modconsole.cache.schema here: a revision is frozen at the schema it was written for.
* The outbox must survive every upgrade: copy rows, never drop them. Use op.batch_alter_table
  (table rebuild) for SQLite changes ALTER TABLE cannot do, e.g. widening a CHECK list.
* A change to what mirror rows mean must bump sync_cursors.schema_version (forces a re-pull).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
${imports if imports else ""}

revision: str = ${repr(up_revision)}
down_revision: str | None = ${repr(down_revision)}
branch_labels: str | Sequence[str] | None = ${repr(branch_labels)}
depends_on: str | Sequence[str] | None = ${repr(depends_on)}


def upgrade() -> None:
    ${upgrades if upgrades else "pass"}


def downgrade() -> None:
    ${downgrades if downgrades else "pass"}
