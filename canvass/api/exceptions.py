"""Domain errors as named API exceptions, and one JSON shape for every error.

Validation errors keep DRF's shape, `{field: [reason, ...]}`, so a client can point at the field;
other errors answer `{"detail": reason, "code": code}`.
"""

from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.views import exception_handler as drf_exception_handler


class WalkListCutFailed(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "This cut cannot make a walk list."
    default_code = "walk_list_cut_failed"


class ContactOutOfReach(APIException):
    """The contact exists but belongs to someone the caller may not see: answered as not found."""

    status_code = status.HTTP_404_NOT_FOUND
    default_detail = "Not found."
    default_code = "not_found"


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        response.data.setdefault("code", getattr(exc, "default_code", "error"))
        if hasattr(exc, "get_codes") and isinstance(exc.get_codes(), str):
            response.data["code"] = exc.get_codes()
    return response
