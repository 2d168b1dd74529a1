"""The state enums, derived from the workflow file (workflows/nomination.yaml) when the app is imported.

The database stores a state as VARCHAR with a CHECK constraint listing these values, so a new state in
the file also needs an alembic migration that widens the constraint (docs/workflow.md)."""
from __future__ import annotations

from nominate.workflow.machine import derive_enum, read_definition

_DEFINITION = read_definition("nomination")

#: a nomination's state: one member per ``states:`` entry of the file
NominationState = derive_enum("NominationState", _DEFINITION["states"], module=__name__)
#: a 推荐批次's state: one member per ``batch: states:`` entry
BatchState = derive_enum("BatchState", _DEFINITION["batch"]["states"], module=__name__)

NOMINATION_INITIAL = NominationState(_DEFINITION["initial"])
BATCH_INITIAL = BatchState(_DEFINITION["batch"]["initial"])
