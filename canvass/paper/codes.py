"""The short codes of a paper return, read left to right, separated by spaces:

    outcome [local national [likelihood]] [flags...]

- outcome: S spoke, N not in, R refused, M moved away, D deceased, I inaccessible;
- after S only, the local then the national intention: a party's code (LAB, CON…) or U undecided, W won't say,
  X won't vote, A against us; "-" for not asked; then a likelihood digit 1-5 if given;
- flags, after any outcome: PV wants a postal vote, PO takes a poster, VOL wants to volunteer, CW casework,
  DNK do not knock again.

`codes_parse` turns a line into contact fields, or says which code is wrong and why.
"""

from canvass.models import Intention, Outcome

OUTCOMES = {
    "S": Outcome.SPOKE,
    "N": Outcome.NOT_IN,
    "R": Outcome.REFUSED,
    "M": Outcome.MOVED_AWAY,
    "D": Outcome.DECEASED,
    "I": Outcome.INACCESSIBLE,
}
INTENTIONS = {"U": Intention.UNDECIDED, "W": Intention.WONT_SAY, "X": Intention.WONT_VOTE, "A": Intention.AGAINST}
FLAGS = {
    "PV": "wants_postal_vote",
    "PO": "will_take_poster",
    "VOL": "wants_to_volunteer",
    "CW": "casework",
    "DNK": "do_not_knock",
}
SKIP = "-"


class CodeError(ValueError):
    """A code that cannot be read; the message names it and says what was expected."""


def _intention(token: str, scope: str, parties: dict[str, int]) -> dict:
    if token == SKIP:
        return {}
    if token in INTENTIONS:
        return {f"{scope}_intention": INTENTIONS[token]}
    if token in parties:
        return {f"{scope}_intention": Intention.PARTY, f"{scope}_party": parties[token]}
    raise CodeError(
        f"“{token}” is not a {scope} intention: use a party code ({', '.join(sorted(parties))}), "
        f"U, W, X, A or - for not asked."
    )


def codes_parse(line: str, *, parties: dict[str, int]) -> dict:
    """Contact fields from a code line; `parties` maps party codes (upper case) to their ids."""
    tokens = line.upper().split()
    if not tokens:
        raise CodeError("Type the outcome first: S, N, R, M, D or I.")
    outcome, *rest = tokens
    if outcome not in OUTCOMES:
        raise CodeError(
            f"“{outcome}” is not an outcome: use S spoke, N not in, R refused, M moved, D deceased, I inaccessible."
        )
    fields: dict = {"outcome": OUTCOMES[outcome]}
    if outcome == "S":
        for scope in ("local", "national"):
            if rest and rest[0] not in FLAGS and not rest[0].isdigit():
                fields.update(_intention(rest.pop(0), scope, parties))
        if rest and rest[0].isdigit():
            digit = rest.pop(0)
            if digit not in {"1", "2", "3", "4", "5"}:
                raise CodeError(f"“{digit}” is not a likelihood: use 1 (against) to 5 (a promise).")
            fields["likelihood"] = int(digit)
    for token in rest:
        if token.isdigit():
            raise CodeError(f"“{token}”: a likelihood goes only with S (spoke), after the intentions.")
        if token not in FLAGS:
            allowed = "intentions, a likelihood and " if outcome == "S" else ""
            raise CodeError(f"“{token}” is not a flag: after {outcome} come {allowed}flags PV, PO, VOL, CW or DNK.")
        fields[FLAGS[token]] = True
    return fields
