"""Optuna's SQLite schema at alembic v3.2.0.a (schema version 12), as Optuna's own SQLAlchemy models create it.

Debian's python3-optuna is 3.1 (alembic head v3.0.0.d). The one difference of v3.2.0.a
(alembic/versions/v3.2.0.a_.py, "Add index to study_id column in trials table") is that
models.TrialModel.study_id gained index=True, so create_all emits
CREATE INDEX ix_trials_study_id ON trials (study_id) after the trials table. This script adds exactly that
index to 3.1's models, lets Optuna's RDBStorage create a database (its models, then alembic's
alembic_version table), and prints its sqlite_master DDL, one statement per block, in creation order
(the revision row 3.1 stamps is not part of the DDL). With --v3.1 it prints 3.1's own DDL (no index).

Usage: /usr/bin/python3 tools/optuna-sqlite-schema.py > test/tune/fixtures/optuna-sqlite-schema-v3.2.0.a.sql
"""
import os
import sqlite3
import sys
import tempfile

import optuna
import sqlalchemy
from optuna.storages._rdb import models


def main() -> None:
    if "--v3.1" not in sys.argv:
        sqlalchemy.Index("ix_trials_study_id", models.TrialModel.__table__.c.study_id)
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "schema.db")
        storage = optuna.storages.RDBStorage(f"sqlite:///{path}")
        storage.engine.dispose()
        con = sqlite3.connect(path)
        rows = con.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid").fetchall()
        con.close()
    sys.stdout.write("".join(f"{sql};\n\n" for (sql,) in rows))


if __name__ == "__main__":
    main()
