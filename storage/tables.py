"""Import every table module so the metadata knows all tables (Alembic env, tests)."""

import storage.calendar  # noqa: F401
import storage.members  # noqa: F401
import storage.onboarding  # noqa: F401
import storage.polls  # noqa: F401
import storage.privacy  # noqa: F401
import storage.recognition  # noqa: F401
import storage.report  # noqa: F401
import storage.spotlight  # noqa: F401
