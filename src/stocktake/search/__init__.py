"""Search: text analysis shared by the SQLite FTS5 and PostgreSQL backends."""
