"""Who keeps an organisation's contacts (附件7, the footers of 附件5/6 and the reports)."""
from __future__ import annotations

#: roles whose organisation sends materials on and so keeps its own contact data
CONTACT_KEEPERS = frozenset({"city_bureau", "provincial_unit", "province_office"})


def can_edit_contacts(user, org) -> bool:
    """A city bureau, 省直 unit or the provincial office keeps its own organisation's contacts; nobody else's."""
    return (user is not None and getattr(user, "is_authenticated", True) and user.role.value in CONTACT_KEEPERS
            and org is not None and user.organisation_id == org.id)


def can_maintain_organisations(user) -> bool:
    """Only the admin adds or moves organisations (roles by value, as above: organisations sit below accounts)."""
    return user is not None and user.role.value == "admin"
