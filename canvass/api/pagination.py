from rest_framework.pagination import CursorPagination, PageNumberPagination


class BigListCursor(CursorPagination):
    """Stable pages over large, growing tables: new rows never shift a page already read."""

    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"
    ordering = "-id"


class SmallListPages(PageNumberPagination):
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"
