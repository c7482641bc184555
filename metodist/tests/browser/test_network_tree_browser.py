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
    live_server, page, log_in, screenshot
):
    log_in("methodist")
    expect_logged_in(page, live_server.url)

    page.goto("/network/")
    expand(page, "BSK")
    children = page.locator('li.tree-node[data-code="BSK"] > ul.tree')
    expect(children.locator("a.unit-link", has_text=re.compile(r"^Бескарагайская "))).to_be_visible()
    screenshot(page, "tree")

    search = page.locator("form:has(input[name=q])")
    search.locator("input[name=q]").fill("Мукур")
    search.locator("[type=submit]").click()
    result = page.locator("#tree-results a.unit-link", has_text="Мукурская сельская библиотека")
    expect(result).to_be_visible()
    result.click()

    expect(page.locator("h1")).to_contain_text("Мукурская сельская библиотека")
    screenshot(page, "card")


def test_the_interface_is_russian_by_default_and_switches_to_kazakh(
    live_server, open_page, log_in, screenshot
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
