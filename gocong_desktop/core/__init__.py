"""Everything that works without Qt: text, database, services, documents, sync."""
