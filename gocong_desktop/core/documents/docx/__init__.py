"""Word (.docx) copies of the documents offices finish in Word; the PDF stays the signed form."""
