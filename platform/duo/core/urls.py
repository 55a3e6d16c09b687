"""A link every row of a list has, built once per page.

``url_for`` costs about ten microseconds (the URL map, the branch filled in, quoting); a
list of fifty rows with a link or two each paid it a hundred times. The rows' links differ
only by an id, so the URL is built once with a stand-in id and the row's id put in its
place.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from flask import url_for

#: Stands for the row's id while the URL is built; no real row has it.
_STAND_IN = uuid.UUID(int=0)


def row_link(endpoint: str, id_argument: str, **values: Any) -> Callable[[uuid.UUID], str]:
    """``link(row_id)`` giving what ``url_for(endpoint, id_argument=row_id, **values)`` would.

    For endpoints whose id is a UUID (the ``uuid`` converter writes it as ``str()`` does).
    """
    template = url_for(endpoint, **{id_argument: _STAND_IN}, **values)
    stand_in = str(_STAND_IN)
    return lambda row_id: template.replace(stand_in, str(row_id))
