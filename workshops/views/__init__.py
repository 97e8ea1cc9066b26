"""Equipment pages under /staff/equipment/, one module per area: equipment (inventory and item
page), reservations, maintenance (records, schedules, due list), labels, utilisation. For the
coordinators of the item's school (workshops.manage_equipment) or of any school for the lists
(workshops.manage_inventory); everyone else gets 403 (core/access.py)."""
