import pytest

from canvass.models import Voter
from canvass.register import generator
from canvass.register.services import register_import


@pytest.mark.parametrize("layout", ["xpress13", "xpress14", "idox", "halarose"])
def test_each_layout_imports_every_elector(council, register, layout):
    report = register_import(file=generator.register_bytes(register, layout=layout), council=council)

    assert report.applied
    assert report.counts["new"] == 300
    assert Voter.objects.count() == 300
    assert report.rejected_total == 0
