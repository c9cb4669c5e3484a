"""``core.db.models`` names every table class and loads its module on first use."""

from __future__ import annotations

import inspect

from sqlmodel import SQLModel

from gocong_desktop.core.db import models


def test_the_facade_names_everything_its_modules_define() -> None:
    """A class added to a model module and not named in ``_MODULES`` would be
    missing from ``from gocong_desktop.core.db.models import X``."""
    models.load_all()
    for module_name in models._MODULES:
        module = models._module(module_name)
        defined = {name for name, value in vars(module).items()
                   if inspect.isclass(value) and value.__module__ == module.__name__}
        assert defined <= set(models.__all__), module_name


def test_every_table_is_registered_by_load_all() -> None:
    models.load_all()
    tables = {cls.__tablename__ for name in models.__all__
              if inspect.isclass(cls := getattr(models, name)) and getattr(cls, "__table__", None) is not None}
    assert tables == set(SQLModel.metadata.tables)


def test_the_table_names_known_without_loading_are_every_table() -> None:
    """``TABLE_NAMES`` checks a page's tables without building the classes: a table
    added or renamed must be named there too."""
    models.load_all()
    assert models.TABLE_NAMES == set(SQLModel.metadata.tables)
