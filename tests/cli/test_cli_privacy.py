"""Citizen ID numbers leave the app masked: CLI lists (JSON and table), pledge PDFs,
the audit log; the sync privacy setting keeps ID numbers and violation notes home."""

from __future__ import annotations

import io
import json
from tests import app_sqlite as sqlite3
from datetime import date

import pytest
from pypdf import PdfReader

from gocong_desktop import cli
from gocong_desktop.core.documents.pdf.pledge_forms import write_pledge_forms_pdf
from gocong_desktop.core.services import households, pledge_print, pledges, privacy
from gocong_desktop.core.text import mask_citizen_id
from gocong_desktop.core.errors import ValidationError

CID = "082090123456"


@pytest.fixture
def with_cid(seeded):
    hid = seeded.households["Lê Thị Hoa"]
    with seeded.db.session() as s:
        data = households.household_input(s, hid)
        data.citizen_id = CID
        households.update_household(s, hid, data)
    return seeded


def _cli(capsys, *args) -> str:
    assert cli.main([str(a) for a in args]) == 0
    return capsys.readouterr().out


def test_cli_lists_show_masked_citizen_id(with_cid, capsys):
    path = with_cid.db.path
    with_cid.db.close()
    out = _cli(capsys, "list", "households", "--db", path, "--json")
    hoa = next(r for r in json.loads(out) if r["head_name"] == "Lê Thị Hoa")
    assert hoa["citizen_id_masked"] == mask_citizen_id(CID) and CID[-3:] in hoa["citizen_id_masked"]
    assert CID not in out and "citizen_id\"" not in out
    assert CID not in _cli(capsys, "list", "households", "--db", path)


def test_pdf_forms_and_audit_log_never_hold_the_full_number(with_cid):
    with with_cid.db.session() as s:
        pledges.open_campaign(s, 2025, opened_on=date(2025, 1, 5))
    with with_cid.db.session() as s:
        forms = pledge_print.pledge_forms(s, 2025, household_id=with_cid.households["Lê Thị Hoa"])
    buffer = io.BytesIO()
    write_pledge_forms_pdf(forms, buffer)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(buffer.getvalue())).pages)
    assert "Lê Thị Hoa" in text and CID not in text.replace(" ", "")
    with_cid.db.close()
    con = sqlite3.connect(with_cid.db.path)
    logged = [r[0] for r in con.execute("SELECT changes_json FROM audit_log WHERE changes_json IS NOT NULL")]
    con.close()
    assert any("citizen_id" in c for c in logged) and not any(CID in c for c in logged)


def test_sync_personal_fields_default_and_choice(db):
    with db.session() as s:
        assert privacy.sync_personal_fields(s) == {"names", "hamlets", "birth", "opinions"}
        assert privacy.withheld_columns(s) == {
            "household": {"citizen_id", "phone", "search_fold", "notes"}, "pledge_violation": {"note"},
            "attendance": {"reason"}, "pledge": {"reason"}, "meeting_amendment": {"previous_snapshot"}}
        privacy.set_sync_personal_fields(s, {"names", "citizen_id"})
    with db.session() as s:
        assert privacy.sync_personal_fields(s) == {"names", "citizen_id"}
        assert privacy.withheld_columns(s)["household"] == {"address", "search_fold", "birth_year", "gender",
                                                            "phone", "notes"}
        with pytest.raises(ValidationError):
            privacy.set_sync_personal_fields(s, {"photo"})
