"""Who may do what with rooms and equipment (django-rules, on the shared people predicates)."""

import rules

from people.rules import instructs, manages_school_of

rules.add_perm("workshops.manage_equipment", manages_school_of)
rules.add_perm("workshops.view_equipment", manages_school_of | instructs)
