"""Elector numbers as tellers write them: `888`, `888/8`, `888.8`, `PO1 888`, `PO1-888/8`."""

import re
from dataclasses import dataclass

NUMBER = re.compile(
    r"^\s*(?:(?P<district>[A-Za-z][A-Za-z0-9]{0,7})\s*[-\s]\s*)?(?P<number>\d{1,6})(?:\s*[/.]\s*(?P<suffix>\d{1,3}))?\s*$"
)


class UnreadableNumber(ValueError):
    """The text is not an elector number in any form tellers write."""


@dataclass(frozen=True)
class ElectorNumber:
    district: str | None  # None: the teller left it out, the station's district applies
    number: int
    suffix: int = 0


def number_parse(text: str) -> ElectorNumber:
    match = NUMBER.match(text or "")
    if not match:
        raise UnreadableNumber(f"{text!r} is not an elector number: type it as 888, 888/8, 888.8, PO1 888 or PO1-888/8")
    district = match["district"]
    return ElectorNumber(
        district=district.upper() if district else None, number=int(match["number"]), suffix=int(match["suffix"] or 0)
    )
