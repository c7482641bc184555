"""A methodologist finds her way around the network tree in a real browser."""

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("demo")]


def expand(page: Page, code: str) -> None:
    """Open the node `code`, opening the roots of the tree first when the node sits under one of them."""
    node = page.locator(f'li.tree-node[data-code="{code}"]')
    if node.count() == 0:
        for toggle in page.locator('#tree > li.tree-node > button.tree-toggle[aria-expanded="false"]').all():
            toggle.click()
        expect(node).to_be_visible()
    toggle = node.locator("> button.tree-toggle")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")


def expect_logged_in(page: Page, base_url: str) -> None:
    expect(page).to_have_url(f"{base_url}/")
    # The page rendered for a logged-in user, not an error page at the right address.
    expect(page.locator('form[action="/accounts/logout/"]')).to_be_attached()


def test_the_methodologist_expands_a_district_searches_a_library_and_opens_its_card(
    live_server, page, log_in, screenshot, failed_responses
):
    log_in("methodist")
    expect_logged_in(page, live_server.url)

    page.goto("/network/")
    # In the demo a district holds its villages, and a village its libraries.
    expand(page, "BSK")
    village = page.locator('li.tree-node[data-code="BSK"] > ul.tree > li.tree-node[data-code="BSK-BES"]')
    expect(village.locator("> a.unit-link")).to_have_text("село Бескарагай")
    expand(page, "BSK-BES")
    library = village.locator('> ul.tree > li.tree-node[data-code="BSK-CRB"] > a.unit-link')
    expect(library).to_have_text("Центральная районная библиотека Бескарагайского района")
    screenshot(page, "tree")

    search = page.locator("form:has(input[name=q])")
    search.locator("input[name=q]").fill("Мукур")
    search.locator("[type=submit]").click()
    # The name starts the link; the online centre under it names the library only in its breadcrumbs.
    result = page.locator("#tree-results").get_by_role(
        "link", name=re.compile(r"^Мукурская сельская библиотека")
    )
    expect(result).to_have_class(re.compile(r"\bunit-link\b"))
    expect(result).to_be_visible()
    result.click()

    expect(page.locator("h1")).to_contain_text("Мукурская сельская библиотека")
    screenshot(page, "card")
    assert failed_responses == []


def test_the_interface_is_russian_by_default_and_switches_to_kazakh(
    live_server, open_page, log_in, screenshot, failed_responses
):
    # A browser asking for a language Metodist does not have gets the default, Russian.
    page = open_page(locale="de-DE")
    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")

    page.locator("#language-select").select_option("kk")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.locator("#language-select")).to_have_value("kk")

    # The choice outlives the login.
    log_in("methodist", on=page)
    expect_logged_in(page, live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    screenshot(page, "home-kk")
    assert failed_responses == []
