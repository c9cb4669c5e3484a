"""What a stored value may be: one set of rules for forms, the CLI, the demo
generator and sync imports.

``checks`` defines the kinds of rule (text, number, choice, date...) and what
breaks them; ``fields`` says, per table and column, which rule applies. The
services clean what people type and then apply these rules
(``services/common.py``); an import applies them to every record of a package
as it arrives (``sync/validate_values.py``), so a record a form would refuse
is refused in a package too. ``votes`` holds the one rule across records: an
item's votes never exceed the households present.
"""

from gocong_desktop.core.rules.checks import (FIRST_DAY, LAST_DAY, Choice, Day, Json, Moment, Number, Pattern, Rule, Special, Text,
                     bad_character)
from gocong_desktop.core.rules.fields import BAND, CRITERION, FIELDS, field_rule, first_bad_field, table_rules
from gocong_desktop.core.rules.votes import VOTE_COLUMNS, VOTES_HINT, item_votes_message, votes_problem, votes_total

__all__ = ["BAND", "CRITERION", "FIELDS", "FIRST_DAY", "LAST_DAY", "Choice", "Day", "Json", "Moment", "Number", "Pattern", "Rule",
           "Special", "Text", "VOTES_HINT", "VOTE_COLUMNS", "bad_character", "field_rule", "first_bad_field", "item_votes_message",
           "table_rules", "votes_problem", "votes_total"]
