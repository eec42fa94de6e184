"""Every listed feature's tables on the one metadata (Alembic's env, exports, tests).

Not a hand-kept list: a feature's tables come with its storage module, which bot/feature_list.py
names once, beside the feature's manifest. Importing this module loads all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import MetaData

import storage.claims  # noqa: F401  (leased claims on due work: infrastructure)
import storage.inbox  # noqa: F401  (the durable inbox: infrastructure, not a feature)
from bot.feature_list import FEATURES, Feature, load_storage, with_core
from storage.schema import metadata


def register(features: Sequence[Feature[Any]] = FEATURES) -> MetaData:
    """The metadata with the tables of CORE and `features` on it (and of any loaded before)."""
    load_storage(with_core(features))
    return metadata


register()
