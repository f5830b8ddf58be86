"""Personal data at the import boundary: keyed caller hashes and masked free text.

Names and phone numbers of callers never enter a snapshot.  A caller becomes
`caller_key`, an HMAC-SHA256 of the normalised phone number under a secret that lives
outside every snapshot ($DASHBOARD_SECRET, else `<data dir>/secret.key`, generated once
with 0600 permissions): repeat callers stay countable, but the key cannot be turned back
into a number without the secret (a plain hash of an 11-digit number could be reversed by
trying all numbers).  Free text gets mobile numbers, landlines and ID-card numbers masked.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import unicodedata
from pathlib import Path

SECRET_ENV = "DASHBOARD_SECRET"
SECRET_FILE = "secret.key"
KEY_HEX_DIGITS = 16

# ID cards: 18 digits (the last may be X) or the old 15-digit form.
_ID_CARD = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")
# Mobiles: 1[3-9]x xxxx xxxx, optionally +86 and spaces or dashes between the groups.
_MOBILE = re.compile(r"(?<!\d)(?:(?:\+|00)?86[-\s]?)?(1[3-9]\d)[-\s]?(\d{4})[-\s]?(\d{4})(?!\d)")
# Landlines: area code 0xx(x) with a 7-8 digit number, or a bare 8-digit Beijing number.
# Any 8-digit run starting 2-8 is masked, dates like 20240305 included: a lost date in
# free text is the price of never leaking a number.
_LANDLINE = re.compile(r"(?<!\d)(?:(0\d{2,3})[-\s]?)?([2-8]\d{3})[-\s]?(\d{3,4})(?!\d)")
_DIGITS = re.compile(r"\d+")
# Full-width digits and signs as ASCII, leaving the rest of the text (，。) as written.
_FULLWIDTH = str.maketrans("０１２３４５６７８９＋－　", "0123456789+- ")


def load_secret(data_dir: Path) -> bytes:
    """The hashing secret: $DASHBOARD_SECRET, else `<data_dir>/secret.key` (created once, 0600)."""
    env = os.environ.get(SECRET_ENV)
    if env:
        return env.encode("utf-8")
    path = Path(data_dir) / SECRET_FILE
    try:
        # O_EXCL: of two imports starting at once, exactly one creates the key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return path.read_bytes().strip()


def normalize_phone(text: str | None) -> str | None:
    """Digits of a phone number in one spelling: no +86, separators or full-width digits;
    8-digit Beijing numbers get their area code 010.  None when there are no digits."""
    if text is None:
        return None
    digits = "".join(_DIGITS.findall(unicodedata.normalize("NFKC", str(text))))
    if not digits:
        return None
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11 and digits[len(prefix)] == "1":
            digits = digits[len(prefix):]
    if len(digits) == 8:
        digits = "010" + digits
    return digits


def caller_key(phone: str | None, secret: bytes) -> str | None:
    """HMAC-SHA256 of the normalised number, first 16 hex digits; None for no number."""
    norm = normalize_phone(phone)
    if norm is None:
        return None
    return hmac.new(secret, norm.encode("ascii"), hashlib.sha256).hexdigest()[:KEY_HEX_DIGITS]


def mask_name(name: str) -> str:
    """Keep a name's first character only: 王小明 -> 王**."""
    name = name.strip()
    return name[:1] + "*" * (len(name) - 1) if name else name


def mask_text(text: str | None, names: tuple[str, ...] = ()) -> str | None:
    """Free text with ID numbers (******************), mobiles (138****5678), landlines
    (010-****2345) and the given names (王**) masked.  Full-width digits count as digits."""
    if text is None:
        return None
    t = text.translate(_FULLWIDTH)
    t = _ID_CARD.sub(lambda m: "*" * len(m.group(0)), t)
    t = _MOBILE.sub(lambda m: f"{m.group(1)}****{m.group(3)}", t)
    t = _LANDLINE.sub(lambda m: (f"{m.group(1)}-" if m.group(1) else "") + "****" + m.group(3)[-4:], t)
    for name in names:
        # one-character "names" would mask every occurrence of a common character
        if name and len(name.strip()) >= 2:
            t = t.replace(name.strip(), mask_name(name))
    return t
