"""Agenda topics of group meetings: title, what was presented, conclusion.

Placeholders: {hamlet}, {period} ("quý I năm 2024"), {year}, {thefts}, {fights},
{solved}. Topics with ``vote`` were put to a show of hands.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    key: str
    title: str
    content: str
    conclusion: str
    vote: bool = False


SITUATION = Topic(
    "antt", "Thông báo tình hình an ninh, trật tự trên địa bàn",
    "Tổ trưởng thông báo tình hình an ninh, trật tự ấp {hamlet} {period}: xảy ra {thefts} vụ "
    "trộm cắp tài sản, {fights} vụ đánh nhau gây mất trật tự; Công an xã đã giải quyết "
    "{solved} vụ. Tình hình chung ổn định, không phát sinh điểm phức tạp.",
    "Các hộ nắm tình hình, nâng cao cảnh giác, kịp thời báo tin cho Công an xã khi phát "
    "hiện đối tượng, phương tiện khả nghi.")

PLEDGE = Topic(
    "cam_ket", "Đăng ký, ký cam kết giữ gìn an ninh, trật tự năm {year}",
    "Phổ biến nội dung bản cam kết năm {year} và tiêu chuẩn “An toàn về an "
    "ninh, trật tự” theo Thông tư 124/2021/TT-BCA; vận động 100% hộ trong tổ đăng ký, ký "
    "cam kết trong quý I.",
    "Các hộ thống nhất ký cam kết; tổ trưởng gặp trực tiếp các hộ vắng để vận động ký.",
    vote=True)

REVIEW = Topic(
    "binh_xet", "Bình xét hộ gia đình đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm {year}",
    "Tổ trưởng đọc danh sách các hộ thực hiện tốt bản cam kết và các hộ còn vi phạm trong "
    "năm {year}; các hộ góp ý, bình xét công khai.",
    "Thống nhất danh sách đề nghị Ban nhân dân ấp {hamlet} công nhận.", vote=True)

OTHERS = [
    Topic("trom_cap", "Phòng, chống trộm cắp tài sản",
          "Hướng dẫn các hộ khóa cổng, cất giữ xe máy và tài sản có giá trị; không để gia "
          "súc, gia cầm ngoài đồng qua đêm; ghi lại biển số phương tiện lạ vào ấp.",
          "Mỗi hộ tự quản lý tài sản; thành viên tổ tham gia tuần tra theo phân công."),
    Topic("ma_tuy", "Phòng, chống ma túy và tệ nạn xã hội",
          "Phổ biến tác hại của ma túy, dấu hiệu nhận biết người sử dụng trái phép chất ma "
          "túy; quản lý, giáo dục con em không tụ tập, không tham gia cờ bạc, số đề.",
          "Các hộ quản lý chặt chẽ con em; báo tin cho Công an xã khi phát hiện tụ điểm."),
    Topic("pccc", "Phòng cháy, chữa cháy trong khu dân cư",
          "Hướng dẫn sử dụng điện an toàn, không đốt rơm rạ gần nhà, trang bị bình chữa "
          "cháy; phổ biến số điện thoại 114.",
          "Các hộ kiểm tra hệ thống điện trong nhà, giữ khoảng cách an toàn khi đốt đồng."),
    Topic("atgt", "Bảo đảm trật tự, an toàn giao thông",
          "Vận động người dân đội mũ bảo hiểm, không điều khiển phương tiện sau khi uống "
          "rượu, bia, không cho trẻ em chưa đủ tuổi điều khiển xe máy.",
          "Các hộ nhắc nhở người thân chấp hành; thanh niên tham gia tuyến đường tự quản."),
    Topic("moi_truong", "Vệ sinh môi trường, phát quang bụi rậm",
          "Tổ chức ra quân phát quang bụi rậm dọc đường liên ấp {hamlet}, thu gom rác đúng "
          "nơi quy định, không xả rác xuống kênh, mương.",
          "Thống nhất ra quân vệ sinh vào sáng chủ nhật cuối tháng.", vote=True),
    Topic("cu_tru", "Quản lý cư trú, thông báo lưu trú",
          "Nhắc các hộ có người đến ở, người làm thuê phải thông báo lưu trú với Công an xã "
          "theo Luật Cư trú; hướng dẫn thông báo qua ứng dụng VNeID.",
          "Các hộ thực hiện đúng quy định về cư trú."),
    Topic("lua_dao", "Phòng, chống lừa đảo qua điện thoại, mạng xã hội",
          "Cảnh báo các thủ đoạn giả danh công an, ngân hàng, nhân viên điện lực để lừa "
          "đảo; không cung cấp mã OTP, không chuyển tiền cho người lạ.",
          "Các hộ phổ biến cho người thân, nhất là người cao tuổi."),
    Topic("bao_luc", "Phòng, chống bạo lực gia đình",
          "Phổ biến Luật Phòng, chống bạo lực gia đình năm 2022; vai trò của tổ hòa giải "
          "trong việc giải quyết mâu thuẫn gia đình, hàng xóm.",
          "Các hộ xây dựng gia đình hòa thuận; báo tổ trưởng khi có mâu thuẫn."),
    Topic("quy_uoc", "Xây dựng quy ước tự quản về an ninh, trật tự của tổ",
          "Thảo luận dự thảo quy ước tự quản: giờ giấc sinh hoạt, giữ trật tự sau 22 giờ, "
          "trách nhiệm báo tin, tham gia tuần tra.",
          "Thống nhất thông qua quy ước, niêm yết tại nhà tổ trưởng.", vote=True),
]

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}  # "quý I năm 2024"
