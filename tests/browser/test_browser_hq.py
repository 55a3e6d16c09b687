"""HQ in a real browser, in French: the dashboard filtered to Belgium last year, a definition,
the XLSX download (opened with openpyxl) and the annual impact report (its PDF's text)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from duo.consumers.demo.seed import DEMO_PASSWORD, HQ_EMAIL
from support import today

pytestmark = pytest.mark.browser

#: The year of finished activity the dashboard is filtered to, and the demo's seed (a number).
LAST_YEAR = today().year - 1
DEMO_SEED = 2026


@pytest.fixture(scope="module")
def ghent_past(live_server):
    """Ghent's years of finished activity (the demo's past), counted: Belgium has a last year."""
    from duo.consumers.demo.past import seed_past
    from duo.core.auth.models import User
    from duo.core.db import db
    from duo.core.i18n import zones
    from duo.core.tenancy.context import tenant_scope
    from duo.core.tenancy.models import Tenant
    from duo.duos.models import Duo
    from duo.people.models import Person
    from duo.reporting.refresh import refresh_now

    with live_server.app.app_context():
        ghent = db.session.execute(select(Tenant).where(Tenant.slug == "ghent")).scalar_one()
        with tenant_scope(ghent.id):
            before = datetime(LAST_YEAR, 1, 1, tzinfo=UTC)
            if db.session.execute(select(Duo.id).where(Duo.proposed_at < before)).first() is None:
                seed_past(ghent, DEMO_SEED, zones.local_today(ghent.timezone))
        db.session.commit()
        refresh_now(ghent.id)
        # HQ follows the browser's language (another test may have saved one).
        db.session.execute(update(User).where(User.email == HQ_EMAIL).values(locale=None))
        db.session.commit()
        people: set[str] = set()
        with tenant_scope(ghent.id):
            for first, last, email in db.session.execute(
                select(Person.first_name, Person.last_name, Person.email)
            ):
                people |= {f"{first} {last}", email}
        db.session.remove()
    return people


@pytest.mark.parametrize("browser_locale", ["fr-BE"])
def test_hq_dashboard_definition_xlsx_and_annual_report_in_french(
    page, login_as, ghent_past, tmp_path: Path
) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    login_as(page, HQ_EMAIL, DEMO_PASSWORD)
    assert page.url.endswith("/hq/")
    assert page.evaluate("() => document.documentElement.lang") == "fr"

    # Belgium, last year, through the filter form.
    filters = page.get_by_role("search")
    filters.locator("select[name=year]").select_option(
        str(LAST_YEAR)
    )  # "Année" is also in "Sur l’année, par"
    filters.get_by_label("Pays").select_option("be")
    filters.get_by_role("button", name="Afficher").click()
    page.wait_for_url(re.compile(rf"year={LAST_YEAR}.*country=be|country=be.*year={LAST_YEAR}"))
    assert page.get_by_role("heading", name=f"Chiffres clés {LAST_YEAR}").is_visible()
    body = page.locator("main").inner_text()
    assert "Mentees en emploi dans les 12 mois" in body
    assert "Gand" in body
    leaked = sorted(p for p in ghent_past if p in body)
    assert not leaked, f"personal data on the HQ page: {leaked[:5]}"

    # A definition, from the key figures.
    page.get_by_role("link", name="Mentees en emploi dans les 12 mois").first.click()
    page.wait_for_url(re.compile(r"/hq/definitions/outcomes\.job$"))
    definition = page.locator("main").inner_text()
    assert "Dénominateur" in definition and "perdus de vue" in definition
    assert "BE:" in definition
    page.go_back()
    page.wait_for_url(re.compile(r"country=be"))

    # The XLSX of these figures.
    with page.expect_download() as caught:
        page.get_by_role("link", name="Télécharger en XLSX").click()
    path = tmp_path / "hq.xlsx"
    caught.value.save_as(path)
    book = load_workbook(path, read_only=True)
    rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]
    cells = [c for row in rows for c in row]
    assert "Mentees en emploi dans les 12 mois" in cells
    assert "Mentors qui se sentent plus utiles à la société" in cells
    assert not any(isinstance(c, str) and c in ghent_past for c in cells)

    # The annual impact report: a job with visible progress, then the PDF.
    page.get_by_label("Langue du rapport").select_option("fr")
    page.get_by_role("button", name=f"Établir le rapport d'impact annuel {LAST_YEAR}").click()
    page.wait_for_url(re.compile(r"/hq/reports/\d+$"))
    download_link = page.get_by_role("link", name="Télécharger le PDF")
    for _attempt in range(20):
        if download_link.count():
            break
        page.wait_for_timeout(1000)
        page.reload()
    with page.expect_download() as caught:
        download_link.click()
    pdf = Path(caught.value.path()).read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert re.search(rf"Rapport d.impact annuel {LAST_YEAR}", text)
    assert "Gand" in text and "Comment chaque chiffre est compté" in text
    shown_hash = page.locator("main").inner_text().split(":")[-1].strip()[:16]
    assert shown_hash and shown_hash in text.replace("\n", "")
