"""Who may do what with rooms and equipment (django-rules, on the shared people predicates)."""

import rules

from people.rules import instructs, manages_a_school, manages_school_of

# The inventory, due list, labels and utilisation of the schools one manages.
rules.add_perm("workshops.manage_inventory", manages_a_school)
rules.add_perm("workshops.manage_equipment", manages_school_of)
rules.add_perm("workshops.view_equipment", manages_school_of | instructs)
