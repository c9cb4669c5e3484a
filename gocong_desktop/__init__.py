"""gocong_desktop: sổ theo dõi phong trào Toàn dân bảo vệ an ninh Tổ quốc cấp xã."""

__version__ = "0.1.0"
