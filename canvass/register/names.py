"""A voter's name normalised for matching across registers: defined once, in Python and in SQL, the same key.

`O'NEIL Ann-Marie` is `ONEILANNMARIE`, `Müller` and `MULLER` are one name. The import computes the key while it
parses a row (`name_key`), stages it, and stores it on the voter (`Voter.name_key`), so pairing a register
with the voters already stored is a join on stored columns. `name_key_sql` computes the same key in SQL, for the
migration that filled the column and for rows whose key is not stored.
"""

import unicodedata

# Left out of a name when matching voters across years. TRANSLATE in SQL, not a regular expression.
NAME_NOISE = " \t,.'’-\"()/"
MAX_NAME_KEY = 250  # surname (100) and forenames (150) joined; the key only ever drops characters


def bytewise_sql(expression: str, *, postgres: bool) -> str:
    """The expression compared and sorted byte by byte on PostgreSQL. Match keys are never shown to anyone,
    so the database locale's collation would only make their sorts slower. (SQLite compares bytes anyway.)"""
    return f'({expression}) COLLATE "C"' if postgres else expression


def _accent_folding() -> tuple[str, str]:
    """Accented Latin letters, either case, and the ASCII capital each folds to: `ü` and `Ü` are `U`."""
    accented, plain = [], []
    for code in range(0xC0, 0x250):
        letter = chr(code)
        base = "".join(c for c in unicodedata.normalize("NFKD", letter) if not unicodedata.combining(c)).upper()
        if len(base) == 1 and base.isascii() and base.isalpha() and base != letter:
            accented.append(letter)
            plain.append(base)
    return "".join(accented), "".join(plain)


ACCENTED, ACCENTS_FOLDED = _accent_folding()

# The key in Python: punctuation dropped, accents folded, ASCII letters upper-cased and nothing else (as UPPER
# does byte-wise, COLLATE "C", on PostgreSQL and on SQLite). Plain ASCII names take the bytes' translate, one C
# call; the rest a character table.
_ASCII_UPPER = bytes.maketrans(b"abcdefghijklmnopqrstuvwxyz", b"ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_NOISE = "".join(c for c in NAME_NOISE if c.isascii()).encode()
_FOLDING = str.maketrans(
    ACCENTED + "abcdefghijklmnopqrstuvwxyz", ACCENTS_FOLDED + "ABCDEFGHIJKLMNOPQRSTUVWXYZ", NAME_NOISE
)


def name_key(surname: str, forenames: str) -> str:
    """The key of a name as stored (surname and forenames already cut to their columns' lengths)."""
    joined = surname + forenames
    if joined.isascii():
        return joined.encode().translate(_ASCII_UPPER, _ASCII_NOISE).decode()
    return joined.translate(_FOLDING)


def name_key_sql(surname: str, forenames: str, *, postgres: bool) -> str:
    """`name_key` in SQL, over two columns.

    PostgreSQL's TRANSLATE scans its whole character list for every character, so the long accent list is
    applied only to names that are not plain ASCII (bytes = characters). That test reads the name as stored,
    not the name without its punctuation: PostgreSQL evaluates each mention of an expression again.
    """
    noise = NAME_NOISE.replace("'", "''")
    joined = bytewise_sql(f"COALESCE({surname}, '') || COALESCE({forenames}, '')", postgres=postgres)
    plain = f"TRANSLATE({joined}, '{noise}', '')"
    accents = f"UPPER(TRANSLATE({plain}, '{ACCENTED}', '{ACCENTS_FOLDED}'))"
    if postgres:
        return f"CASE WHEN octet_length({joined}) = length({joined}) THEN UPPER({plain}) ELSE {accents} END"
    return accents
