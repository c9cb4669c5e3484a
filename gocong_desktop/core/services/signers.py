"""Who signs the office's documents, and in which form (Nghị định 30/2020, Điều 13
and Phụ lục I, ô 7a): the head signs directly; a deputy signs "KT." (ký thay) the
head; an acting head signs "Q." (quyền); a member signs "TM." (thay mặt) for a
collective body. Office settings hold each form's title line(s) and the person's
name; a print may pick another form or name for itself only (``SignerChoice``).

Nothing configured prints the document's own title with an empty name line, to be
written by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum

from sqlmodel import Session

from gocong_desktop.core.db.settings import read_setting, write_setting
from gocong_desktop.core.errors import ValidationError
from gocong_desktop.core.rules.checks import Text
from gocong_desktop.core.services.common import clean_text
from gocong_desktop.core.settings import keys
from gocong_desktop.core.text import fold


class SignerForm(StrEnum):
    DIRECT = "ký trực tiếp"
    KT = "KT."  # ký thay: a deputy for the head
    Q = "Q."  # quyền: the acting head
    TM = "TM."  # thay mặt: for a collective body


FORM_LABELS = {SignerForm.DIRECT: "Ký trực tiếp (người đứng đầu)", SignerForm.KT: "KT. – cấp phó ký thay",
               SignerForm.Q: "Q. – quyền người đứng đầu", SignerForm.TM: "TM. – thay mặt tập thể"}
_FORM_WORDS = {SignerForm.DIRECT: ("ky truc tiep", "truc tiep", "direct"),
               SignerForm.KT: ("kt", "kt.", "ky thay"), SignerForm.Q: ("q", "q.", "quyen"),
               SignerForm.TM: ("tm", "tm.", "thay mat")}
_FORM_PREFIXES = ("kt.", "q.", "tm.", "tl.", "tuq.")


@dataclass(frozen=True)
class SignerSettings:
    """The office's signers as stored ("" where nothing is set)."""
    form: SignerForm = SignerForm.DIRECT
    head_title: str = ""  # "" : the document's own ("Trưởng Công an xã")
    head_name: str = ""
    deputy_title: str = ""  # "" : "Phó " + the head's title
    deputy_name: str = ""
    acting_name: str = ""
    body: str = ""  # "Ban Chỉ đạo phong trào Toàn dân bảo vệ an ninh Tổ quốc xã"
    body_title: str = ""  # "Trưởng ban"
    body_name: str = ""


@dataclass(frozen=True)
class SignerChoice:
    """One print's signer: None keeps what the settings say; a name of "" leaves the line blank."""
    form: SignerForm | None = None
    name: str | None = None


@dataclass(frozen=True)
class SignatureBlock:
    """What a document prints: "KT. Trưởng Công an xã" / "Phó Trưởng Công an xã" / the name."""
    title: str
    position: str  # the signer's own title under a KT./TM. line; "" for none
    name: str | None  # None: a blank line, signed by hand


# field -> (setting, label, maximum length, is a title)
_FIELDS = {
    "head_title": (keys.SIGNER_HEAD_TITLE, "chức danh người đứng đầu", keys.SIGNER_TITLE_MAX, True),
    "head_name": (keys.SIGNER_HEAD_NAME, "họ tên người đứng đầu", keys.SIGNER_NAME_MAX, False),
    "deputy_title": (keys.SIGNER_DEPUTY_TITLE, "chức danh cấp phó ký thay", keys.SIGNER_TITLE_MAX, True),
    "deputy_name": (keys.SIGNER_DEPUTY_NAME, "họ tên cấp phó ký thay", keys.SIGNER_NAME_MAX, False),
    "acting_name": (keys.SIGNER_ACTING_NAME, "họ tên người giữ quyền (Q.)", keys.SIGNER_NAME_MAX, False),
    "body": (keys.SIGNER_BODY, "tên tập thể (TM.)", keys.SIGNER_TITLE_MAX, True),
    "body_title": (keys.SIGNER_BODY_TITLE, "chức danh trong tập thể (TM.)", keys.SIGNER_TITLE_MAX, True),
    "body_name": (keys.SIGNER_BODY_NAME, "họ tên người ký thay mặt tập thể", keys.SIGNER_NAME_MAX, False),
}
FIELD_LABELS = {name: label for name, (_s, label, _m, _t) in _FIELDS.items()}


def parse_form(value: str | SignerForm | None) -> SignerForm:
    """"KT.", "kt", "ký thay", … as a form; ValidationError in words otherwise."""
    if isinstance(value, SignerForm):
        return value
    word = fold((value or "").strip())
    for form, words in _FORM_WORDS.items():
        if word in words or word == fold(form.value):
            return form
    raise ValidationError(f"Hình thức ký «{value or ''}» không hợp lệ: hãy ghi «ký trực tiếp», «KT.», «Q.» "
                          "hoặc «TM.».", field="signer.form")


def clean_field(field: str, value: str | None) -> str:
    """A signer field as stored: NFC on one line, within its length; "" when blank."""
    _setting, label, limit, is_title = _FIELDS[field]
    text = clean_text(value, Text(label, limit), field=f"signer.{field}") or ""
    if is_title and fold(text).startswith(_FORM_PREFIXES):
        raise ValidationError(f"{label[:1].upper()}{label[1:]} «{text}» không ghi «KT.», «Q.», «TM.» ở đầu: "
                              "hình thức ký được chọn riêng.", field=f"signer.{field}")
    return text


def clean_name(value: str | None) -> str:
    """A name typed for one print (the stored names' rule)."""
    return clean_text(value, Text("họ tên người ký", keys.SIGNER_NAME_MAX), field="signer_name") or ""


def signer_settings(session: Session) -> SignerSettings:
    values = {name: read_setting(session, setting) or "" for name, (setting, *_rest) in _FIELDS.items()}
    stored_form = read_setting(session, keys.SIGNER_FORM)
    try:
        form = parse_form(stored_form) if stored_form else SignerForm.DIRECT
    except ValidationError:
        form = SignerForm.DIRECT  # a value no longer understood reads as the default
    return SignerSettings(form=form, **values)


def check_signer_settings(settings: SignerSettings) -> SignerSettings:
    """``settings`` as they are stored (NFC, one line); ValidationError naming the field."""
    values = {name: clean_field(name, getattr(settings, name)) for name in _FIELDS}
    checked = SignerSettings(form=parse_form(settings.form), **values)
    if checked.form is SignerForm.TM and not checked.body:
        raise ValidationError("Hình thức «TM.» cần tên tập thể ký thay mặt (ví dụ «Ban Chỉ đạo …»): hãy ghi "
                              "tên tập thể trước (ô «Tên tập thể (TM.)», hoặc cài đặt signer.body).",
                              field="signer.body")
    return checked


def save_signer_settings(session: Session, settings: SignerSettings) -> SignerSettings:
    """All signer settings at once, checked first (a refusal writes nothing); only
    those that changed are written (and audited). Administrators only (the role guard)."""
    checked, current = check_signer_settings(settings), signer_settings(session)
    if checked.form is not current.form:
        write_setting(session, keys.SIGNER_FORM, checked.form.value)
    for name, (setting, *_rest) in _FIELDS.items():
        if getattr(checked, name) != getattr(current, name):
            write_setting(session, setting, getattr(checked, name) or None)
    return checked


def set_signer_field(session: Session, field: str, value: str) -> None:
    """One signer setting by its field name ("form", "head_name", …), as the CLI sets it."""
    current = signer_settings(session)
    changed = {f.name: getattr(current, f.name) for f in fields(SignerSettings)} | {field: value}
    save_signer_settings(session, SignerSettings(**changed))


def form_name(settings: SignerSettings, form: SignerForm) -> str:
    """The configured name of whoever signs in ``form``."""
    return {SignerForm.DIRECT: settings.head_name, SignerForm.KT: settings.deputy_name,
            SignerForm.Q: settings.acting_name, SignerForm.TM: settings.body_name}[form]


def block_for(settings: SignerSettings, default_title: str, choice: SignerChoice | None = None) -> SignatureBlock:
    """The signature block of a document whose own signer title is ``default_title``."""
    choice = choice or SignerChoice()
    form = parse_form(choice.form if choice.form is not None else settings.form)
    name = clean_name(choice.name) if choice.name is not None else form_name(settings, form)
    head = settings.head_title or default_title
    if form is SignerForm.DIRECT:
        return SignatureBlock(head, "", name or None)
    if form is SignerForm.KT:
        return SignatureBlock(f"KT. {head}", settings.deputy_title or f"Phó {head}", name or None)
    if form is SignerForm.Q:
        return SignatureBlock(f"Q. {head}", "", name or None)
    if not settings.body:
        raise ValidationError("Chưa cài đặt tên tập thể để ký «TM.»: quản trị viên hãy ghi ở Cài đặt › Người ký "
                              "(hoặc chọn hình thức ký khác).", field="signer.body")
    return SignatureBlock(f"TM. {settings.body}", settings.body_title, name or None)


def signature_block(session: Session, default_title: str, choice: SignerChoice | None = None) -> SignatureBlock:
    return block_for(signer_settings(session), default_title, choice)
