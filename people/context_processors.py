from .roles import roles_of


def roles(request):
    """Navigation by role: the base layout shows each user the areas they may enter."""
    return {"roles": roles_of(getattr(request, "user", None))}
