"""Spreadsheet reports (openpyxl), drawn from the same read models as the PDFs."""
