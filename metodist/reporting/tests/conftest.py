import pytest

from metodist.reporting.testing import library_monthly, online_centre_weekly


@pytest.fixture
def oc_form(net):
    return online_centre_weekly(net.region)


@pytest.fixture
def lib_form(net):
    return library_monthly(net.region)
