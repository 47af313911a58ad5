"""The campaign's rules, each written once: who counts as a supporter, a likely supporter, undecided, a split
ticket, a promise; which contact takes a door off every list; who is a council elector.

A rule is a small OR of ANDs over a contact's (or a voter's) columns. From that one definition come its SQL
fragment (`sql`, for the set-based statistics and target-list statements), its ORM filter (`q`) and its
Python predicate (`holds`, for one row or model instance in memory); tests/test_rules.py checks the three
agree on hand-made data. `OURS` stands for our party's id, known only when the rule is used.

Reading rules read a voter's latest contact in which they spoke: the likelihood (1-5) wins when it was given,
the stated local party otherwise.
"""

from dataclasses import dataclass

from django.db.models import Q

from canvass.franchise import LOCAL_ONLY_MARKERS, WESTMINSTER_ONLY_MARKERS

OURS = object()  # our party's id, supplied by the caller


@dataclass(frozen=True)
class Term:
    """`column op value`: op is one of =, <>, >=, <=, in, null (value True/False), lacks (a letter, any case)."""

    column: str
    op: str
    value: object = None

    def _value(self, ours):
        return ours if self.value is OURS else self.value

    def sql(self, alias: str, ours) -> tuple[str, list]:
        column = f"{alias}.{self.column}" if alias else self.column
        value = self._value(ours)
        if self.op == "null":
            return f"{column} IS {'' if value else 'NOT '}NULL", []
        if self.op == "in":
            return f"{column} IN ({', '.join(['%s'] * len(value))})", list(value)
        if self.op == "lacks":
            # Both cases on the bare column (not UPPER()), so PostgreSQL estimates the rows from its statistics.
            letters = sorted({value.upper(), value.lower()})
            return " AND ".join(f"{column} NOT LIKE %s" for _ in letters), [f"%{letter}%" for letter in letters]
        return f"{column} {self.op} %s", [value]

    def q(self, prefix: str, ours) -> Q:
        field = prefix + self.column
        value = self._value(ours)
        if self.op == "null":
            return Q(**{f"{field}__isnull": value})
        if self.op == "in":
            return Q(**{f"{field}__in": list(value)})
        if self.op == "lacks":
            return ~Q(**{f"{field}__icontains": value})
        if self.op == "<>":
            # SQL's `<>` is not true for NULL: neither is this.
            return Q(**{f"{field}__isnull": False}) & ~Q(**{field: value})
        if self.op == ">=":
            return Q(**{f"{field}__gte": value})
        if self.op == "<=":
            return Q(**{f"{field}__lte": value})
        return Q(**{field: value})

    def holds(self, row, ours) -> bool:
        actual = row[self.column] if isinstance(row, dict) else getattr(row, self.column)
        value = self._value(ours)
        if self.op == "null":
            return (actual is None) == bool(value)
        if actual is None:
            return False
        if self.op == "in":
            return actual in value
        if self.op == "lacks":
            return value.upper() not in actual.upper()
        if self.op == "<>":
            return actual != value
        if self.op == ">=":
            return actual >= value
        if self.op == "<=":
            return actual <= value
        return actual == value


@dataclass(frozen=True)
class Rule:
    """Any of `alternatives` holds, each a tuple of terms that all hold."""

    name: str
    alternatives: tuple[tuple[Term, ...], ...]

    def sql(self, alias: str = "l", ours=None) -> tuple[str, list]:
        """The rule as a parenthesised SQL condition on the table aliased `alias`, with its parameters."""
        ors, params = [], []
        for terms in self.alternatives:
            ands = []
            for term in terms:
                text, term_params = term.sql(alias, ours)
                ands.append(text)
                params += term_params
            ors.append(" AND ".join(ands) if len(ands) == 1 else "(" + " AND ".join(ands) + ")")
        return "(" + " OR ".join(ors) + ")", params

    def q(self, prefix: str = "", ours=None) -> Q:
        """The rule as an ORM filter; `prefix` reaches the columns from another model ('latest__')."""
        result = Q(pk__in=[])
        for terms in self.alternatives:
            both = Q()
            for term in terms:
                both &= term.q(prefix, ours)
            result |= both
        return result

    def holds(self, row, ours=None) -> bool:
        """The rule on one row: a dict of columns or a model instance."""
        return any(all(term.holds(row, ours) for term in terms) for terms in self.alternatives)


def _rule(name: str, *alternatives: tuple[Term, ...]) -> Rule:
    return Rule(name, alternatives)


NO_LIKELIHOOD = Term("likelihood", "null", True)

# Readings: a voter's latest contact in which they spoke.
SUPPORTER = _rule("supporter", (Term("likelihood", ">=", 4),), (NO_LIKELIHOOD, Term("local_party_id", "=", OURS)))
LIKELY_SUPPORTER = _rule(
    "likely supporter", (Term("likelihood", "=", 4),), (NO_LIKELIHOOD, Term("local_party_id", "=", OURS))
)
UNDECIDED = _rule(
    "undecided", (Term("likelihood", "=", 3),), (NO_LIKELIHOOD, Term("local_intention", "=", "undecided"))
)
LEANING_AWAY = _rule("leaning away", (Term("likelihood", "=", 2),))
PROMISE = _rule("promise", (Term("likelihood", "=", 5),))
OURS_LOCALLY = _rule("ours locally", (Term("local_party_id", "=", OURS),))
SPLIT_TICKET = _rule("split ticket", (Term("local_party_id", "=", OURS), Term("national_party_id", "<>", OURS)))

# Any contact: a door-knock refusal, or the voter moved away or died, takes them off every list.
OFF_THE_LISTS = _rule(
    "off the lists", (Term("do_not_knock", "=", True),), (Term("outcome", "in", ("moved_away", "deceased")),)
)

# A contact that counts: not replaced by a correction made at the door ("change"). A correction is a new
# record (ContactRecord.supersedes); the record it replaces stays, marked, and is counted no more.
COUNTED_CONTACT = _rule("counted contact", (Term("is_superseded", "=", False),))

# A voter: on the register with no marker that takes away the council vote (an overseas elector).
COUNCIL_ELECTOR = _rule(
    "council elector",
    (
        Term("on_register", "=", True),
        *(Term("markers", "lacks", marker) for marker in sorted(WESTMINSTER_ONLY_MARKERS)),
    ),
)

# A voter: on the register with no marker that limits them to local elections (EU citizens, peers).
PARLIAMENTARY_ELECTOR = _rule(
    "parliamentary elector",
    (
        Term("on_register", "=", True),
        *(Term("markers", "lacks", marker) for marker in sorted(LOCAL_ONLY_MARKERS)),
    ),
)


def elector_at(*, parliamentary: bool, polling_day=None) -> Rule:
    """Who may vote at one election: council electors (a general election: parliamentary electors), less the
    attainers who only come of age after its polling day (`polling_day` None: every attainer counts)."""
    base = PARLIAMENTARY_ELECTOR if parliamentary else COUNCIL_ELECTOR
    if polling_day is None:
        return base
    name = f"{base.name} on {polling_day:%-d %b %Y}"
    return _rule(
        name,
        *(
            (*terms, attained)
            for terms in base.alternatives
            for attained in (Term("attainer_date", "null", True), Term("attainer_date", "<=", polling_day))
        ),
    )
