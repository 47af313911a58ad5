"""The doors of a walk list's doorstep page, built once for each version of the list and kept in the shared
cache: a second volunteer on the list, an organiser looking at it, or a phone signed in again (a new session,
so no 304) costs the list's validator, not a rebuild.

What is kept is what every user who may open the list sees alike: the streets' HTML, the figures, the changes
token, the ids of the voters shown (audited for each user), and the contacts each voter was last spoken to in
since the cut (the records this user may change are then read for them: `changes.correctable_records`).
Nothing kept names the user; the list is in the user's scope before this is asked. The key is the list's
validator (its structure and the contacts at its doors: a new contact, a correction or an undo makes a new
key), the campaign's questions and scripts shown at its doors today, the language, the time zone and the
page's code. `WALK_LIST_BODY_CACHE_SECONDS` sets how long it is kept, as for the API's bodies; 0 (the
embedded default, whose cache is the database) builds every page.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from canvass.models import WalkList, WalkListHousehold
from canvass.surveys.selectors import new_residents_at
from canvass.templatetags.doorstep import contacts_for_the_page, streets_html
from canvass.walklists import changes
from canvass.walklists.conditional import etag_for
from canvass.walklists.selectors import tree_doors, walk_list_progress, walk_list_tree
from canvass.walklists.version import Validator


@dataclass(frozen=True)
class PageDoors:
    streets: SafeString  # the streets and their doors, rendered (`streets_html`)
    progress: dict
    changes_token: str
    voter_ids: list[int]  # in the order shown
    spoken_to: list[int]  # `changes.spoken_to`


def survey_shown(survey: tuple) -> str:
    """The questions, whom each is asked of and the scripts, as the page's validator and its kept doors read them
    (a question added or edited is never answered 304 or from the cache)."""
    questions, asked_of, scripts = survey
    return repr((questions, sorted(asked_of.items()), scripts))


def page_doors(walk_list: WalkList, *, validator: Validator, survey: tuple, page_code: str) -> PageDoors:
    """The page's doors for this version of the list: from the shared cache, or built and kept there."""
    seconds = settings.WALK_LIST_BODY_CACHE_SECONDS
    if not seconds:
        return _built(walk_list, validator, survey)
    key = "walk-list-page:" + etag_for(
        walk_list.pk,
        validator.version,
        survey_shown(survey),
        translation.get_language(),
        timezone.get_current_timezone_name(),
        page_code,
    )
    doors = cache.get(key)
    if doors is None:
        doors = _built(walk_list, validator, survey)
        cache.set(key, doors, seconds)
    return doors


def _built(walk_list: WalkList, validator: Validator, survey: tuple) -> PageDoors:
    rows: dict = {}
    streets = walk_list_tree(walk_list, rows=rows)
    contacts_for_the_page(streets)
    doors = tree_doors(streets)
    _, asked_of, _ = survey
    # The list's doors as a subquery: 300 ids in an IN cost more to compile and parse than the lookup.
    newcomers = new_residents_at(
        household_ids=WalkListHousehold.objects.filter(walk_list=walk_list).values("household_id")
    )
    asked: dict[tuple, str] = {(): ""}  # most voters are asked the same questions: each list written once
    for door in doors:
        # The voters the list was cut for first at their door, in register order among themselves.
        door["voters"].sort(key=lambda voter: not voter["target_reason"])
        door["newcomers"] = newcomers.get(door["id"], [])
        for voter in door["voters"]:
            ids = tuple(asked_of.get(voter["id"], ()))
            questions = asked.get(ids)
            if questions is None:
                questions = asked[ids] = " ".join(map(str, ids))
            voter["questions"] = questions
    return PageDoors(
        streets=streets_html(streets),
        progress=walk_list_progress(streets),
        # The page keeps its own state after this: it asks for what changed since this token (walklists.changes).
        changes_token=changes.make_token(
            changes.structure(walk_list, rows), changes.watermark_of(validator.contacts, streets)
        ),
        voter_ids=[voter["id"] for door in doors for voter in door["voters"]],
        spoken_to=changes.spoken_to(walk_list, doors),
    )
