import binascii
from base64 import b64decode
from urllib import parse

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination


class InvalidCursor(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "The cursor is not one this API made: follow the next and previous links as given."
    default_code = "invalid_cursor"


class BoundedPageSize:
    """page_size is a whole number from 1 to max_page_size: anything else is a 400 saying so, not ignored."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdecimal() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError({self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1, "maximum": self.max_page_size}
        return parameters


class BigListCursor(BoundedPageSize, CursorPagination):
    """Stable pages over large, growing tables: new rows never shift a page already read.

    A cursor is only ever one this class made; anything else is a 400 saying so, never a 404 or a 500.
    """

    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"
    ordering = "-id"

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            tokens = parse.parse_qs(
                b64decode(encoded.encode("ascii"), validate=True).decode("ascii"), strict_parsing=True
            )
            cursor = super().decode_cursor(request)
        except (UnicodeError, binascii.Error, ValueError, NotFound):
            raise InvalidCursor() from None
        if set(tokens) - {"o", "r", "p"} or any(len(values) != 1 for values in tokens.values()):
            raise InvalidCursor()
        if cursor.position is not None:
            self._check_position(cursor.position)
        return cursor

    def _check_position(self, position: str) -> None:
        """The position is a value of the first ordering field: it must be one that field can hold."""
        ordering = self.ordering[0] if isinstance(self.ordering, (list, tuple)) else self.ordering
        name = ordering.lstrip("-")
        try:
            field = self._model._meta.pk if name == "pk" else self._model._meta.get_field(name)
        except FieldDoesNotExist:  # an ordering across a relation: the database is the judge
            return
        try:
            field.get_prep_value(field.to_python(position))
        except (DjangoValidationError, ValueError, TypeError, OverflowError):
            raise InvalidCursor() from None


class SmallListPages(BoundedPageSize, PageNumberPagination):
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"
