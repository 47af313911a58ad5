"""Fields the API's serializers share."""

from rest_framework import serializers


class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """A related row by its id. JSON reads a number beyond a double's range (`1e400`) as infinity, which DRF's
    field passed to the database lookup (an OverflowError there, a 500): it is the wrong type, like any other."""

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except OverflowError:
            self.fail("incorrect_type", data_type=type(data).__name__)
