#!/usr/bin/python3
"""Prints, as a JSON list, the DDL that Optuna's RDBStorage runs on a fresh PostgreSQL database at
schema version 12 / alembic v3.2.0.a: the reference for src/tune/sql/schema-postgres.ts
(test/tune/postgres-schema.test.ts runs it with Debian's python3-optuna 3.1).

SQLAlchemy compiles Optuna's own models for the postgresql dialect (no server needed), in the order
`metadata.create_all` creates them. Optuna 3.1's models are at v3.0.0.d; v3.2.0.a ("Add index to
study_id column in trials table", optuna/storages/_rdb/alembic/versions/v3.2.0.a_.py) is the only
change since, and Optuna 3.2's models.py writes it as `study_id = Column(..., index=True)`, which
SQLAlchemy names ix_trials_study_id: the Index below is exactly that. Last, alembic's own
alembic_version table, as `alembic stamp` creates it.
"""
import json

from alembic.runtime.migration import MigrationContext
from optuna.storages._rdb import models
from sqlalchemy import Index
from sqlalchemy import create_mock_engine

assert models.SCHEMA_VERSION == 12, models.SCHEMA_VERSION

# v3.2.0.a on Optuna 3.1's models: the index Optuna >= 3.2 declares with index=True.
trials = models.TrialModel.__table__
if not any(ix.name == "ix_trials_study_id" for ix in trials.indexes):
    Index("ix_trials_study_id", trials.c.study_id)

statements = []


def record(sql, *args, **kwargs):
    text = " ".join(str(sql.compile(dialect=engine.dialect)).split())
    statements.append(text.replace("( ", "(").replace(" )", ")"))


engine = create_mock_engine("postgresql://", record)
models.BaseModel.metadata.create_all(engine, checkfirst=False)
MigrationContext.configure(dialect_name="postgresql")._version.create(engine, checkfirst=False)
print(json.dumps(statements, indent=1))
