"""One agenda item: what was presented, who said what, the vote, the conclusion."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QFormLayout, QHBoxLayout, QLabel, QLineEdit, QScrollArea, QSpinBox,
                               QVBoxLayout, QWidget)

from gocong_desktop.core.rules import VOTES_HINT, votes_problem
from gocong_desktop.core.services.meeting_drafts import MAX_VOTES, AgendaDraft, OpinionDraft
from gocong_desktop.gui.meetings.fields import PersonBox, RowList, RowWidget, multiline
from gocong_desktop.gui.widgets.flow import FlowLayout
from gocong_desktop.gui.widgets.form_errors import ERROR_STYLE

NO_VOTE = "—"  # shown while no vote was taken (stored as None)


class OpinionRow(RowWidget):
    def __init__(self, people: list[tuple[str, str]]) -> None:
        super().__init__()
        self.speaker = PersonBox("Hộ hoặc người phát biểu")
        self.speaker.set_people(people)
        self.speaker.setEditText("")
        self.text = multiline(2, "Ý kiến, ví dụ: Đề nghị lắp thêm đèn chiếu sáng đầu hẻm.")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.speaker, 2, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 5)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        self.speaker.edited.connect(self.edited)
        self.text.textChanged.connect(self.edited)

    def load(self, opinion: OpinionDraft, names: dict[str, str]) -> None:
        self.record_id = opinion.id
        name = names.get(opinion.household_id or "", opinion.speaker_name)
        self.speaker.set_value(name, opinion.household_id)
        self.text.blockSignals(True)
        self.text.setPlainText(opinion.text)
        self.text.blockSignals(False)

    def draft(self) -> OpinionDraft | None:
        name, household_id = self.speaker.value()
        text = self.text.toPlainText()
        if not (name.strip() or text.strip()):
            return None
        return OpinionDraft(text=text, household_id=household_id,
                            speaker_name=None if household_id else name, id=self.record_id)

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        self.speaker.set_read_only(read_only)
        self.text.setReadOnly(read_only)


def _vote_box() -> QSpinBox:
    box = QSpinBox()
    box.setRange(-1, MAX_VOTES)
    box.setSpecialValueText(NO_VOTE)  # -1: no vote
    box.setValue(-1)
    box.setMinimumWidth(box.fontMetrics().horizontalAdvance("10000") + 40)
    return box


class AgendaItemEditor(QScrollArea):
    edited = Signal()
    title_changed = Signal(str)

    def __init__(self, people: list[tuple[str, str]]) -> None:
        super().__init__()
        self.record_id: str | None = None
        self._people = people
        self._present = 0  # households marked present: the votes' ceiling
        self._build()
        self._wire()

    def _build(self) -> None:
        self.title = QLineEdit(placeholderText="Ví dụ: Phòng, chống trộm cắp tài sản")
        self.content = multiline(4, "Nội dung được trình bày, ai trình bày")
        self.opinions = RowList(lambda: OpinionRow(self._people), "Thêm ý kiến")
        self.votes_for, self.votes_against, self.votes_other = _vote_box(), _vote_box(), _vote_box()
        self.conclusion = multiline(3, "Kết luận của nội dung này")
        votes = QWidget()
        flow = FlowLayout(votes, spacing=12)  # each count beside its caption, wrapping on a small screen
        flow.setContentsMargins(0, 0, 0, 0)
        for label, box in (("Tán thành", self.votes_for), ("Không tán thành", self.votes_against),
                           ("Ý kiến khác", self.votes_other)):
            caption = QLabel(label)
            caption.setBuddy(box)  # its Alt+letter
            pair = QWidget()
            row = QHBoxLayout(pair)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(caption)
            row.addWidget(box)
            flow.addWidget(pair)
        self.votes_error = QLabel(styleSheet=ERROR_STYLE, wordWrap=True)
        self.votes_error.hide()
        votes_box = QVBoxLayout()
        votes_box.addWidget(votes)
        votes_box.addWidget(self.votes_error)
        form = QFormLayout()
        form.addRow("Tiêu đề:", self.title)
        form.addRow("Trình bày:", self.content)
        form.addRow("Ý kiến:", self.opinions)
        form.addRow("Biểu quyết:", votes_box)
        form.addRow("Kết luận:", self.conclusion)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(form)
        layout.addStretch(1)
        self.setWidget(body)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # not a Tab stop of its own

    def _wire(self) -> None:
        self.title.textChanged.connect(self.title_changed)
        self.title.textChanged.connect(lambda _t: self.edited.emit())
        self.content.textChanged.connect(self.edited)
        self.conclusion.textChanged.connect(self.edited)
        self.opinions.edited.connect(self.edited)
        for box in (self.votes_for, self.votes_against, self.votes_other):
            box.valueChanged.connect(lambda _v: self._check_votes())
            box.valueChanged.connect(lambda _v: self.edited.emit())

    # ---- data -----------------------------------------------------------
    def load(self, item: AgendaDraft, names: dict[str, str]) -> None:
        self.record_id = item.id
        for widget in (self.title, self.content, self.conclusion, self.votes_for, self.votes_against,
                       self.votes_other):
            widget.blockSignals(True)
        self.title.setText(item.title)
        self.content.setPlainText(item.content or "")
        self.conclusion.setPlainText(item.conclusion or "")
        for box, value in ((self.votes_for, item.votes_for), (self.votes_against, item.votes_against),
                           (self.votes_other, item.votes_other)):
            box.setValue(-1 if value is None else value)
        for widget in (self.title, self.content, self.conclusion, self.votes_for, self.votes_against,
                       self.votes_other):
            widget.blockSignals(False)
        self._check_votes()  # minutes stored before the rule may break it: shown at once, to fix
        for opinion in item.opinions:
            self.opinions.add_row().load(opinion, names)

    def votes(self) -> list[int | None]:
        return [None if b.value() < 0 else b.value() for b in (self.votes_for, self.votes_against,
                                                               self.votes_other)]

    def set_present(self, present: int) -> None:
        self._present = present
        self._check_votes()

    def votes_message(self) -> str:
        """What is wrong with the votes typed (shown under them), or ""."""
        return self.votes_error.text() if not self.votes_error.isHidden() else ""

    def _check_votes(self) -> None:
        """While typing: more votes than households present is shown at once (saving is refused)."""
        why = votes_problem(self.votes(), self._present)
        self.votes_error.setText(f"{why[0].upper()}{why[1:]}. {VOTES_HINT}" if why else "")
        self.votes_error.setVisible(why is not None)

    def draft(self, owners: dict[int, object]) -> AgendaDraft:
        votes = self.votes()
        opinions = []
        for row in self.opinions.rows:
            if (opinion := row.draft()) is not None:
                owners[id(opinion)] = row
                opinions.append(opinion)
        item = AgendaDraft(title=self.title.text(), content=self.content.toPlainText(),
                           conclusion=self.conclusion.toPlainText(), opinions=opinions, id=self.record_id,
                           votes_for=votes[0], votes_against=votes[1], votes_other=votes[2])
        owners[id(item)] = self
        return item

    def is_empty(self) -> bool:
        return (not self.record_id and not self.title.text().strip() and not self.content.toPlainText().strip()
                and not self.conclusion.toPlainText().strip() and not self.opinions.rows)

    def set_read_only(self, read_only: bool) -> None:
        for widget in (self.title, self.content, self.conclusion, self.votes_for, self.votes_against,
                       self.votes_other):
            widget.setReadOnly(read_only)
        self.opinions.set_read_only(read_only)
