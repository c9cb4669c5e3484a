"""SQLite storage: tables, engine with pragmas, migrations, backups."""
