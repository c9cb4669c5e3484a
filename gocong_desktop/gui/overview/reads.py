"""The start page's two reads, startable before the page exists.

The window starts them as soon as it knows the start page is the one to show
(``read_ahead``), so the database works while the window is built; the page
``take``s them on its first refresh (gui/queries.py). The services they call are
imported on the reader thread, on first use: this module stays light, and the
window's own imports go on meanwhile.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any, Callable

if TYPE_CHECKING:
    from gocong_desktop.gui.context import AppContext

TABLE, TO_DO = "overview.table", "overview.to_do"
# What the two reads import on first use (most of the models among them): imported
# ahead while a person signs in (``page_imports.WHILE_SIGNING_IN``).
SERVICES = ("gocong_desktop.core.services.overview", "gocong_desktop.core.services.start_page",
            "gocong_desktop.core.sync.ledger")
CHARTS = "gocong_desktop.core.documents.screen_charts"  # what its charts import (chart_view.read_charts)


def read_table(session) -> tuple:
    """(rows per hamlet, the commune's total): ``overview.overview``."""
    from gocong_desktop.core.services.overview import overview

    return overview(session)


def read_to_do(session) -> tuple:
    from gocong_desktop.core.services.start_page import to_do
    from gocong_desktop.core.sync.ledger import last_sent

    return to_do(session, today=date.today(), sent=last_sent(session))


def read_ahead(ctx: AppContext) -> None:
    """Start both reads for the page to take (``QueryRunner.take`` with ``TABLE``, ``TO_DO``)."""
    for name, read in ((TABLE, read_table), (TO_DO, read_to_do)):
        ctx.tasks.reads.run_ahead(name, _in_session(ctx, read))


def _in_session(ctx: AppContext, read: Callable[[Any], Any]) -> Callable[[], Any]:
    def job() -> Any:
        with ctx.db.session() as session:
            return read(session)

    return job
