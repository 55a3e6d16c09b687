"""A web worker does not load the large libraries it only needs for rare work.

scipy and numpy (matching), openpyxl (exports), Faker (the demo), WeasyPrint (PDFs),
zxcvbn (choosing a password), qrcode (enrolling an authenticator), holidays (planning a
schedule), icalendar (calendar feeds) and Alembic (migrations) are each imported where
they are used. A worker that starts and serves a coordinator's dashboard holds none of
them (issue 12: a worker's memory stays within 120 MB).

The check runs in fresh interpreters: this test process has long imported everything.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from duo.core.settings import REPO_ROOT

HEAVY = (
    "scipy",
    "numpy",
    "openpyxl",
    "faker",
    "weasyprint",
    "zxcvbn",
    "qrcode",
    "PIL",
    "holidays",
    "icalendar",
    "alembic",  # with Mako and Pygments: a web worker (duo.wsgi) runs no migration
    "mako",
)


_APP = """
from pathlib import Path
from duo.app import create_app
from duo.core.settings import REPO_ROOT, Settings
folder = Path({folder!r})
settings = Settings(
    instance_path=folder,
    secret_key="lazy-imports",
    database_url="sqlite:///" + str(folder / "db.sqlite3"),
    redis_url=None,
    tenants_path=REPO_ROOT / "tenants",
)
overrides = {{"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False}}
overrides["DUO_MIGRATE_COMMANDS"] = False  # as duo.wsgi creates it
app = create_app(overrides, settings)
"""

_SEED = """
import json
from duo.core.db import db
from duo.core.auth.accounts import create_user, enrol_two_factor
from duo.core.tenancy.sync import sync_from_path
with app.app_context():
    db.create_all()
    sync_from_path(settings.tenants_path)
    user = create_user("lazy@example.org", "Lazy Coordinator", "a-long-bench-password-26",
                       branches=["brussels"], locale="en")
    secret, _codes = enrol_two_factor(user)
    db.session.commit()
print(json.dumps(secret))
"""

_SERVE = """
import json, sys
from duo.core.auth.twofactor import current_code
client = app.test_client()
first = client.post("/login", data={{"email": "lazy@example.org",
                                     "password": "a-long-bench-password-26"}})
second = client.post("/login/code", data={{"code": current_code({secret!r})}})
page = client.get("/brussels/")
print(json.dumps({{
    "status": [first.status_code, second.status_code, page.status_code],
    "loaded": sorted(m for m in {heavy!r} if m in sys.modules),
}}))
"""


def _python(code: str) -> str:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> dict:
    folder = str(tmp_path_factory.mktemp("lazy"))
    secret = json.loads(_python(_APP.format(folder=folder) + _SEED))
    app = _APP.format(folder=folder)
    return json.loads(_python(app + _SERVE.format(secret=secret, heavy=HEAVY)))


def test_the_dashboard_is_served(served) -> None:
    assert served["status"] == [302, 302, 200]


@pytest.mark.parametrize("module", HEAVY)
def test_starting_and_serving_the_dashboard_leaves_it_unloaded(served, module) -> None:
    assert module not in served["loaded"]
