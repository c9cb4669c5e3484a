"""What a stored value may be: one set of rules for forms, the CLI, the demo
generator and sync imports.

``checks`` defines the kinds of rule (text, number, choice, date...) and what
breaks them; ``fields`` says, per table and column, which rule applies. The
services clean what people type and then apply these rules
(``services/common.py``); an import applies them to every record of a package
as it arrives (``sync/validate_values.py``), so a record a form would refuse
is refused in a package too. ``votes`` holds the one rule across records: an
item's votes never exceed the households present; ``evaluation`` the rules
tying an evaluation's period, day and hours together.
"""

from gocong_desktop.core.rules.checks import (FIRST_DAY, LAST_DAY, Choice, Day, Entry, Json, Moment, Number, Pattern, Rule, Special, Text,
                     bad_character)
from gocong_desktop.core.rules.evaluation import evaluation_problem, period_problem, times_problem
from gocong_desktop.core.rules.fields import BAND, CRITERION, FIELDS, TEAM_MAX, TEAM_MEMBER, field_rule, first_bad_field, table_rules
from gocong_desktop.core.rules.votes import VOTE_COLUMNS, VOTES_HINT, item_votes_message, votes_problem, votes_total

__all__ = ["BAND", "CRITERION", "FIELDS", "FIRST_DAY", "LAST_DAY", "Choice", "Day", "Entry", "Json", "Moment", "Number", "Pattern", "Rule",
           "Special", "TEAM_MAX", "TEAM_MEMBER", "Text", "VOTES_HINT", "VOTE_COLUMNS", "bad_character", "evaluation_problem", "field_rule", "first_bad_field", "item_votes_message",
           "period_problem", "table_rules", "times_problem", "votes_problem", "votes_total"]
