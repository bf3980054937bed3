from . import scope


def roles(request):
    """What the page layout asks of the viewer's role (core knows no roles: it stands below accounts)."""
    user = request.user
    return {"is_federation": scope.is_federation(user), "is_admin": scope.is_admin(user)}
