"""Vietnamese names, places and phrases the demo data is drawn from.

Weights follow the usual shares in the South (Nguyễn about 38 %, Huỳnh more
common than Hoàng); Đ/đ appears in family, middle and given names on purpose,
so that search folding (đ→d) and sorting get exercised.
"""

from __future__ import annotations

FAMILY_NAMES: dict[str, float] = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 6, "Huỳnh": 5, "Phan": 4.5, "Võ": 4.5,
    "Đặng": 2, "Bùi": 2, "Đỗ": 1.5, "Hồ": 1.5, "Ngô": 1.3, "Trương": 1.2, "Dương": 1,
    "Hoàng": 1, "Lý": 0.8, "Đinh": 0.5, "Đào": 0.5, "Lâm": 0.5, "Châu": 0.5,
    "Mai": 0.5, "Lương": 0.4, "Cao": 0.4, "Tô": 0.3, "Thái": 0.3,
}

# Văn only for men and Thị only for women, so gender follows from the name.
MALE_MIDDLE: dict[str, float] = {
    "Văn": 45, "Hữu": 8, "Minh": 8, "Thanh": 6, "Tấn": 5, "Quốc": 5, "Công": 5,
    "Đức": 4, "Thành": 4, "Hoàng": 3, "Phước": 3, "Chí": 3, "Ngọc": 2, "Trọng": 2,
    "Đình": 2,
}
FEMALE_MIDDLE: dict[str, float] = {
    "Thị": 60, "Ngọc": 8, "Thanh": 6, "Kim": 6, "Mỹ": 5, "Thu": 4, "Hồng": 4,
    "Bích": 3, "Diệu": 2, "Tuyết": 2,
}
# Second middle name after "Thị" ("Nguyễn Thị Ngọc Hân").
FEMALE_SECOND_MIDDLE = ["Ngọc", "Kim", "Mỹ", "Thanh", "Bích", "Thu", "Hồng"]

MALE_GIVEN = """An Ba Bảy Bình Chiến Chín Cường Danh Dũng Duy Đạt Đăng Điền Định Đông Đức
Giang Hải Hào Hiếu Hòa Hùng Huy Khang Khánh Kiệt Lâm Lộc Lợi Long Luân Minh Mười Nam
Nghĩa Nhân Phát Phong Phúc Phước Quang Quý Sang Sơn Tài Tám Tâm Tân Thắng Thành Thiện
Thọ Thuận Tiến Tín Toàn Trí Trung Tuấn Tùng Út Việt Vinh Vũ""".split()
FEMALE_GIVEN = """Anh Bích Châu Cúc Diễm Dung Duyên Đào Điệp Đoan Gấm Giàu Hà Hạnh Hằng Hân
Hiền Hoa Hồng Huệ Hương Lan Liên Linh Loan Lụa Mai My Nga Ngân Nguyệt Nhung Oanh
Phượng Quyên Sương Thảo Thắm Thu Thủy Thúy Trang Trinh Tuyết Út Uyên Vân Xuân Yến""".split()

# The first three are the real hamlets of xã Bình Tân named in DOMAIN.md §5.
HAMLETS = [
    "Lợi An", "Thuận Trị", "Xóm Thủ", "Bình Thành", "Bình Phú", "Tân Phú", "Thạnh Hòa",
    "Bình Hòa Long", "Bình Đông", "Tân Thạnh", "Long Hòa", "Hòa Phú", "Phú Quới",
    "Thạnh Lợi", "Bình Ninh", "Tân Hòa", "Đông Phú", "Lợi Thuận", "Phước Thạnh",
    "Gò Tre", "Bình Hòa Đông", "Thạnh Phú", "Long Thạnh", "Tân Long",
]

ROADS = [
    "Nguyễn Trãi", "Trương Định", "Lê Lợi", "Trần Hưng Đạo", "Hùng Vương", "Võ Duy Linh",
    "Nguyễn Văn Côn", "Đồng Khởi", "Lý Thường Kiệt", "Phan Bội Châu", "Nguyễn Huệ",
    "Hai Bà Trưng", "Đinh Bộ Lĩnh", "Đoàn Thị Nghiệp", "Thủ Khoa Huân", "Lê Thị Hồng Gấm",
]
PROVINCIAL_ROADS = ["Đường tỉnh 877", "Đường tỉnh 872", "Đường huyện 13"]

ABSENCE_REASONS = [
    "Đi làm ăn xa", "Ốm", "Đi làm ca đêm", "Bận việc gia đình", "Đi thăm người thân",
    "Tuổi cao, sức yếu", "Đi đám tang",
]

GUEST_ROLES = [  # (role, organisation) of commune officials invited to meetings
    ("Cán bộ", "Công an xã"), ("Công an viên", "Công an xã"),
    ("Cán bộ", "Ủy ban MTTQ xã"), ("Phó Bí thư", "Đoàn Thanh niên xã"),
]

CLOSING_CONCLUSIONS = [
    "Tổ thống nhất tiếp tục duy trì sinh hoạt định kỳ hằng quý; các hộ nâng cao tinh thần "
    "cảnh giác, kịp thời báo tin cho Công an xã khi phát hiện vụ việc, đối tượng khả nghi.",
    "Các hộ thống nhất thực hiện đầy đủ nội dung đã bàn; tổ trưởng tổng hợp ý kiến, kiến "
    "nghị báo cáo Ban nhân dân ấp và Công an xã.",
    "Cuộc họp thống nhất các nội dung trên; tổ trưởng phân công thành viên theo dõi, đôn "
    "đốc thực hiện và báo cáo kết quả tại buổi sinh hoạt sau.",
]

SUGGESTIONS = [
    "lắp thêm đèn chiếu sáng tại đoạn đường vắng cuối ấp",
    "tăng cường tuần tra vào ban đêm trong mùa thu hoạch",
    "Công an xã thông báo số điện thoại trực ban để người dân kịp thời báo tin",
    "tổ chức dọn dẹp vệ sinh, phát quang bụi rậm hằng tháng",
    "xử lý nghiêm các trường hợp thanh thiếu niên tụ tập, đua xe vào ban đêm",
    "vận động các hộ góp kinh phí lắp camera tại ngã ba",
    "kiểm tra các hộ cho thuê nhà trọ trong việc thông báo lưu trú",
    "nhắc nhở các hộ nuôi chó thả rông gây mất an toàn giao thông",
]

VIOLATIONS = [  # (pledge item broken, note)
    (2, "Bị xử phạt vi phạm hành chính về hành vi đánh bạc."),
    (6, "Điều khiển xe mô tô sau khi uống rượu, bia; đã bị xử phạt."),
    (8, "Để xảy ra mâu thuẫn, bạo lực gia đình; tổ hòa giải đã hòa giải thành."),
    (3, "Con em tham gia tụ tập đua xe trái phép; đã được nhắc nhở, giáo dục."),
    (5, "Không thông báo lưu trú cho người đến ở; đã được nhắc nhở."),
    (7, "Đốt rơm rạ gây cháy lan sang vườn nhà bên, không thiệt hại về người."),
]

REFUSAL_REASONS = [
    "Chủ hộ cho rằng không cần thiết, chưa đồng ý ký.",
    "Chủ hộ đi làm ăn xa, người ở nhà không ký thay.",
    "Đang có mâu thuẫn với hàng xóm, chưa hợp tác.",
]
