"""Developer and administrator tools that are not part of the app's windows or commands
(a local PostgreSQL server to try the upper office on, shared with the tests)."""
