"""Who confirms a sign-in link: a district admin of a district the person works in, never the
person themselves (a superuser may confirm any other person's link)."""

import rules

from people.roles import roles_of
from people.rules import is_district_admin

from .selectors import districts_of


@rules.predicate
def answers_for_link_owner(user, link):
    if link is None or link.user_id == user.pk:
        return False
    return bool(districts_of(link.user_id) & roles_of(user).district_ids)


rules.add_perm("signin.review_links", is_district_admin)
rules.add_perm("signin.decide_link", is_district_admin & answers_for_link_owner)
