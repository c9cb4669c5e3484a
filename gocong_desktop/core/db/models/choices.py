"""The coded values stored in the tables (plain enums, no table class): the
rules and screens that name them do not build the tables that hold them."""

from __future__ import annotations

from enum import StrEnum


class UnitLevel(StrEnum):
    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    HAMLET = "hamlet"


class Gender(StrEnum):
    MALE = "nam"
    FEMALE = "nu"


class MeetingKind(StrEnum):
    REGULAR = "dinh_ky"  # định kỳ
    EXTRA = "dot_xuat"  # đột xuất


class MeetingStatus(StrEnum):
    DRAFT = "draft"
    FINAL = "final"


class AttendanceStatus(StrEnum):
    UNMARKED = "unmarked"  # chưa điểm danh: how a new meeting starts; final minutes have none
    PRESENT = "present"
    ABSENT_EXCUSED = "absent_excused"  # vắng có lý do
    ABSENT_UNEXCUSED = "absent_unexcused"  # vắng không lý do


class PledgeStatus(StrEnum):
    UNSIGNED = "unsigned"  # chưa ký
    SIGNED = "signed"  # đã ký
    REFUSED = "refused"  # từ chối
    MOVED = "moved"  # chuyển đi


class ModelStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    RETIRED = "retired"


class Recommendation(StrEnum):
    MAINTAIN = "duy_tri"  # duy trì
    STRENGTHEN = "cung_co"  # củng cố
    REPLICATE = "nhan_rong"  # nhân rộng
    DROP = "xoa_bo"  # xóa bỏ


class PeriodKind(StrEnum):
    SIX_MONTHS = "6_thang"
    NINE_MONTHS = "9_thang"
    YEAR = "nam"
    CUSTOM = "tuy_chon"


class PropagandaKind(StrEnum):
    RADIO = "phat_thanh"  # phát thanh trên loa đài
    LOUDSPEAKER = "loa_luu_dong"  # loa tuyên truyền lưu động
    RESIDENTS_MEETING = "hop_dan"  # họp dân
    LEAFLETS = "to_roi"  # tờ rơi
    OTHER = "khac"


class OfficeRole(StrEnum):
    COMMUNE = "commune"  # commune office: records the work
    UPPER = "upper"  # upper office: imports and compares communes


class SyncDirection(StrEnum):
    EXPORT = "export"
    IMPORT = "import"
