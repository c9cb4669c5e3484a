"""One registry of typed settings (``keys.py``), each declared once with its key,
type, default, validation and scope:

- OFFICE settings live in the database's ``app_setting`` table and travel with the
  data; read and written only through ``core.db.settings.read_setting`` /
  ``write_setting`` (the role guard and the audit log see every change);
- MACHINE settings live in this PC's machine file (``machine.py``): the backup
  folders of each office file (``backup_places.py``).

Below ``core/storage`` in the layers: backups and the backup before a migration
read the backup folders. Qt-free; the GUI's own remembered folders are in
``gui/widgets/last_folders.py`` (QSettings).
"""
