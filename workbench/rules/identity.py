"""ID numbers and phones: normalising, checksum warnings, masking for the screen."""

from __future__ import annotations

import re
from operator import mul

from workbench.errors import Invalid

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ID_TEXT = re.compile(r"[0-9A-Z]{6,20}")
_RESIDENT = re.compile(r"\d{17}[\dX]")
_USCC = re.compile(r"[0-9A-HJ-NPQRTUWXY]{18}")
_FIRST_GENERATION = re.compile(r"\d{15}")


def normalize_id(text: str | int | float) -> str:
    """ID numbers as text: never lose a digit or the final X (Excel may hold them as numbers)."""
    if isinstance(text, float):
        if text != int(text):
            raise Invalid("err.id.decimals")
        text = int(text)
    s = str(text).strip().replace(" ", "").upper()
    if not s:
        return ""
    if not _ID_TEXT.fullmatch(s):
        raise Invalid("err.id.chars")
    return s


def id_checksum_ok(id_number: str) -> bool | None:
    """True/False for resident IDs (18 digits, MOD 11-2) and unified social credit codes; None if unknown."""
    s = id_number.upper()
    if _RESIDENT.fullmatch(s):
        if id_check_digit(s[:17]) == s[17]:
            return True
        if all(c in _USCC_CHARS for c in s):  # a credit code may also be all digits
            return uscc_ok(s)
        return False
    if _USCC.fullmatch(s):
        return uscc_ok(s)
    if _FIRST_GENERATION.fullmatch(s):
        return None  # first-generation ID: no check digit
    return None


def uscc_ok(code: str) -> bool:
    try:
        total = sum(_USCC_CHARS.index(c) * w for c, w in zip(code[:17], _USCC_WEIGHTS, strict=True))
    except ValueError:
        return False
    return _USCC_CHARS[(31 - total % 31) % 31] == code[17]


def id_check_digit(first17: str) -> str:
    """The MOD 11-2 check digit of a resident ID's first 17 digits."""
    if len(first17) != 17:
        raise ValueError("a resident ID's check digit needs its first 17 digits")
    return _ID_CHECK[sum(map(mul, map(int, first17), _ID_WEIGHTS)) % 11]


def normalize_phone(text: str | int | float) -> str:
    """Mobile (13812345678) or landline with area code (0571-88886666); +86 and separators removed."""
    if isinstance(text, float):
        if text != int(text):
            raise Invalid("err.phone.decimals")
        text = int(text)
    s = re.sub(r"[\s()（）]", "", str(text))
    if s.startswith("+86"):
        s = s[3:]
    elif s.startswith("0086"):
        s = s[4:]
    digits = s.replace("-", "")
    if not digits:
        return ""
    if not digits.isdigit():
        raise Invalid("err.phone.chars")
    if len(digits) == 11 and digits.startswith("1"):
        return digits
    if digits.startswith("0") and 10 <= len(digits) <= 12:
        area = 3 if digits[1] in "12" else 4
        return f"{digits[:area]}-{digits[area:]}"
    if 7 <= len(digits) <= 8:
        return digits  # local number without area code
    raise Invalid("err.phone.format")


def mask_phone(phone: str | None) -> str:
    if not phone:
        return ""
    digits = phone.replace("-", "")
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_id(id_number: str | None) -> str:
    if not id_number:
        return ""
    if len(id_number) <= 8:
        return "*" * len(id_number)
    return id_number[:4] + "*" * (len(id_number) - 8) + id_number[-4:]


_PHONE_IN_TEXT = re.compile(r"(?<!\d)(?:1\d{10}|0\d{2,3}-?\d{7,8})(?!\d)")
_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")


def mask_in_text(text: str | None) -> str:
    """Free text (how to reach a decision maker, a note) with any phone or ID number in it masked."""
    if not text:
        return ""
    text = _ID_IN_TEXT.sub(lambda m: mask_id(m.group(0).upper()), text)
    return _PHONE_IN_TEXT.sub(lambda m: mask_phone(m.group(0)), text)
