"""Validators for walk lists: an unchanged list is answered 304 Not Modified after a check, not a rebuild.

The doorstep page and the API's list detail send an ETag made of `walk_list_version` (what the tree is made
of) and whatever else that answer shows (the user, the page's code). A phone asking again with
If-None-Match gets 304 when nothing changed; its service worker then shows the copy it kept.
"""

import hashlib

from django.utils.http import parse_etags


def etag_for(*parts) -> str:
    return '"' + hashlib.sha256(repr(parts).encode()).hexdigest()[:32] + '"'


def not_modified(request, etag: str) -> bool:
    """Whether the request's If-None-Match names `etag` (weakly: gzip marks a compressed answer's tag W/)."""
    header = request.META.get("HTTP_IF_NONE_MATCH")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)
