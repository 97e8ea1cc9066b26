"""Who may do what with rooms and equipment (django-rules, on the shared people predicates)."""

import rules

from people.rules import (
    instructs_at_school_of,
    is_instructor,
    manages_a_school,
    manages_school_of,
)

# The inventory, due list, labels and utilisation of the schools one manages.
rules.add_perm("workshops.manage_inventory", manages_a_school)
rules.add_perm("workshops.manage_equipment", manages_school_of)
# The item page a QR label opens: the school's coordinators and instructors; instructors may
# report a defect there but not change the inventory.
rules.add_perm("workshops.view_equipment", manages_school_of | instructs_at_school_of)
rules.add_perm("workshops.report_defect", manages_school_of | instructs_at_school_of)
# Safety briefings are given by instructors as well as coordinators.
rules.add_perm("workshops.record_briefing", manages_a_school | is_instructor)
