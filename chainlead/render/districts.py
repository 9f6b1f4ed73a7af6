"""The districts of a city database, as ``chainlead district list`` shows them."""

from __future__ import annotations

from chainlead.i18n import N_
from chainlead.render.output import Column

DISTRICT_COLUMNS = (
    Column("code", N_("Code"), no_wrap=True),
    Column("name", N_("District")),
    Column("chains", N_("Chains"), justify="right"),
    Column("uuid", N_("UUID"), no_wrap=True, drop=1),
)
