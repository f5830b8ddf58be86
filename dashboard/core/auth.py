"""Who may see what: roles from a small config, pure functions (the Streamlit glue is ui/frame.py).

Roles, each including the one before it:
    viewer  aggregates only (no ticket detail, no exports)
    staff   plus ticket detail, repeat-caller lists and CSV/brief exports
    admin   plus import and rollback (数据管理)

With an OIDC provider configured (`[auth]` in .streamlit/secrets.toml) every page
requires st.login and the role comes from `[roles]` in the same file, e.g.

    [roles]
    admin = ["zhang.san@xicheng.gov.cn"]
    staff = ["@xicheng.gov.cn"]          # a whole domain
    viewer = ["@beijing.gov.cn"]

An exact address beats a domain; an address matching nothing is refused.  Without
`[auth]` the app runs in local mode: bound to 127.0.0.1 and used by whoever sits at
this machine, who is its admin.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import pages

ROLES = ("viewer", "staff", "admin")
ROLE_LABELS = {"viewer": "浏览", "staff": "工作人员", "admin": "管理员"}
LOCAL, OIDC = "local", "oidc"
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")

@dataclass(frozen=True)
class Access:
    """The current user's access: mode (local | oidc), role (None = refused), e-mail."""

    mode: str
    role: str | None
    email: str | None = None
    email_verified: bool = True

    def can(self, need: str) -> bool:
        """True when this user's role is `need` or above."""
        return self.role is not None and ROLES.index(self.role) >= ROLES.index(need)

    def can_open(self, url_path: str) -> bool:
        """True when this user may open the page at `url_path`."""
        page = pages.BY_KEY.get(url_path)
        return self.can(page.role if page else "viewer")


def _norm(s: str) -> str:
    return s.strip().lower()


def role_for(email: str | None, mapping: Mapping[str, Sequence[str]]) -> str | None:
    """The role an e-mail address gets from `mapping` (role -> addresses or @domains).

    An exact address match wins over a domain match; among several matches of the
    same kind the highest role wins.  None when nothing matches (access refused).
    """
    if not email or "@" not in email:
        return None
    email = _norm(email)
    domain = email.rsplit("@", 1)[1]
    exact, by_domain = [], []
    for role in ROLES:
        for entry in mapping.get(role, ()):
            e = _norm(str(entry))
            if e == email:
                exact.append(role)
            elif e.lstrip("@") == domain and "@" not in e.lstrip("@"):
                by_domain.append(role)
    found = exact or by_domain
    return max(found, key=ROLES.index) if found else None


def is_loopback(address: str | None) -> bool:
    """Whether a server bound to `address` is reachable from this machine only (unset = every
    interface, as Streamlit binds then)."""
    return bool(address) and (address.strip().lower() in LOOPBACK or address.strip().startswith("127."))


def access_for(secrets: Mapping, user: Mapping, address: str | None = "127.0.0.1") -> Access:
    """Access from the app's secrets, the logged-in user's claims (st.user) and the address the
    server is bound to.  Local mode (no `[auth]`) is admin on a loopback address only: served to
    a network it is viewer, so no one there imports or rolls back.  An e-mail address maps to a
    role only when the provider says it is verified (`email_verified`): many providers let a user
    type any address."""
    if "auth" not in secrets:
        return Access(LOCAL, "admin" if is_loopback(address) else "viewer")
    if not user.get("is_logged_in"):
        return Access(OIDC, None)
    email = user.get("email")
    verified = user.get("email_verified") is True
    roles = secrets.get("roles", {})
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"secrets [roles]: unknown roles {sorted(unknown)}")
    return Access(OIDC, role_for(email, roles) if verified else None, email, verified)
