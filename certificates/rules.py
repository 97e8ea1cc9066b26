"""Who may issue, revoke and download certificates (django-rules, on the shared people
predicates)."""

import rules

from people.rules import (
    is_contact_for_business_of,
    is_participant,
    manages_a_school,
    manages_school_of,
)

# The staff pages (runs to issue for, the school's certificate settings) of any school one manages.
rules.add_perm("certificates.manage_certificates", manages_a_school)
rules.add_perm("certificates.issue_certificate", manages_school_of)
rules.add_perm("certificates.revoke_certificate", manages_school_of)
rules.add_perm(
    "certificates.download_certificate",
    is_participant | is_contact_for_business_of | manages_school_of,
)
