"""One module per job. Every function takes the caller's ``Session`` first and
returns plain read models (dataclasses), never live ORM rows."""
