"""One classification of personal data, declared on the model columns: every
column that may leave the office and whose name suggests a person is classified
(so a column added later cannot slip through), and the setting derives from it."""

from __future__ import annotations

import json
import re

from gocong_desktop.core.db.models import AppSetting
from gocong_desktop.core.db.models.personal import FIELDS
from gocong_desktop.core.services import privacy
from gocong_desktop.core.sync.kinds import all_kinds

# Words in a column name that suggest it names or describes a person.
PERSONISH = re.compile(r"name|phone|address|note|representative|speaker|citizen|witness|evaluator|reason|birth|"
                       r"gender|place|actor|amended|chair|secretary|text|snapshot")


def test_every_column_that_travels_and_suggests_a_person_is_classified():
    """References to records (…_id) and dates (…_on) say nothing about a person by themselves."""
    unclassified = [f"{kind.name}.{column.name}" for kind in all_kinds() for column in kind.table.columns
                    if PERSONISH.search(column.name) and not column.name.endswith(("_id", "_on"))
                    and "personal" not in column.info]
    assert unclassified == []


def test_the_columns_the_issue_names_are_personal():
    personal = {(c.table, c.column) for c in privacy.PERSONAL_COLUMNS}
    assert {("household", "head_name"), ("household", "name_sort_key"), ("household", "search_fold"),
            ("household", "address"), ("household", "phone"), ("household", "citizen_id"),
            ("household", "notes"), ("household", "birth_year"), ("meeting", "chair_name"),
            ("meeting", "secretary_name"), ("meeting", "place"), ("meeting_guest", "name"),
            ("attendance", "representative"), ("agenda_opinion", "speaker_name"), ("agenda_opinion", "text"),
            ("pledge", "witness_name"), ("pledge_violation", "note")} <= personal
    assert all(c.label and set(c.fields) <= set(FIELDS) for c in privacy.PERSONAL_COLUMNS)


def test_a_column_of_several_fields_travels_only_when_all_of_them_do():
    assert "search_fold" not in privacy.withheld_for({"names", "hamlets", "phone"}).get("household", set())
    for missing in ("names", "hamlets", "phone"):
        sent = {"names", "hamlets", "phone"} - {missing}
        assert "search_fold" in privacy.withheld_for(sent)["household"]


def test_nothing_sent_withholds_every_personal_column():
    withheld = privacy.withheld_for(set())
    assert {(t, c) for t, cs in withheld.items() for c in cs} == \
        {(c.table, c.column) for c in privacy.PERSONAL_COLUMNS}
    assert privacy.withheld_for(set(FIELDS)) == {}


def test_a_choice_stored_before_new_fields_existed_gives_them_their_default(db):
    with db.session() as s:  # the first form of the setting: the fields ticked then
        s.add(AppSetting(key=privacy.SETTING_KEY, value_json=json.dumps(["names"])))
    with db.session() as s:
        assert privacy.sync_personal_fields(s) == {"names", "birth", "opinions"}
        privacy.set_sync_personal_fields(s, {"names"})
    with db.session() as s:  # stored in the new form: the new fields now known, and not chosen
        assert privacy.sync_personal_fields(s) == {"names"}


def test_travel_lines_say_what_travels_and_what_stays_home():
    travels, home = privacy.travel_lines({"names"})
    assert "Hộ gia đình: họ tên chủ hộ, khóa sắp xếp theo họ tên" in travels
    assert any(line.startswith("Hộ gia đình: khóa tìm kiếm") and "số CCCD" in line for line in home)
    assert any(line.startswith("Điểm danh:") and "lý do vắng" in line for line in home)
