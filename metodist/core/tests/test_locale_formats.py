import datetime

import pytest
from django.utils import formats, translation


@pytest.mark.parametrize(
    ("language", "expected"),
    [("ru", "20 сентября 2013 г."), ("kk", "20 қыркүйек 2013 ж."), ("en", "Sept. 20, 2013")],
)
def test_dates_follow_the_language(language, expected):
    with translation.override(language):
        assert formats.date_format(datetime.date(2013, 9, 20)) == expected


@pytest.mark.parametrize(
    ("language", "expected"), [("ru", "12\xa0345,5"), ("kk", "12\xa0345,5"), ("en", "12,345.5")]
)
def test_numbers_follow_the_language(language, expected):
    with translation.override(language):
        assert formats.number_format(12345.5, use_l10n=True, force_grouping=True) == expected
