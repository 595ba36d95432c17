"""The demo shop: a plain static site that embeds the snippet as docs/snippet.md says."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from werkzeug.test import Client

from collector.demo import ShopApp
from cxlisten.demo import SHOP_DIR

DOCUMENTED_TAG = '<script async src="http://127.0.0.1:8000/sdk.js" data-site="cx_demo"></script>'
PAGES = sorted(p for p in SHOP_DIR.rglob("*.html"))


@pytest.fixture
def shop():
    return Client(ShopApp(SHOP_DIR, collector_url="http://127.0.0.1:9123"))


def test_the_shop_has_every_page_of_a_small_shop():
    names = {str(p.relative_to(SHOP_DIR)) for p in PAGES}
    assert {
        "index.html",
        "products/index.html",
        "product/lamp.html",
        "cart.html",
        "checkout.html",
        "checkout/payment.html",
        "checkout/done.html",
        "signup.html",
        "signup/verify.html",
        "welcome.html",
        "help/index.html",
        "help/article/shipping-costs.html",
        "help/contact.html",
        "search.html",
    } <= names


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(SHOP_DIR)))
def test_every_page_embeds_the_documented_tag_once_in_its_head(page: Path):
    html = page.read_text(encoding="utf-8")
    head = html.split("</head>", 1)[0]
    assert head.count(DOCUMENTED_TAG) == 1
    assert html.count("sdk.js") == 1
    assert '<link rel="stylesheet" href="/assets/shop.css">' in head
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in head


@pytest.mark.parametrize(
    ("url", "served"),
    [
        ("/", "index.html"),
        ("/products", "products/index.html"),
        ("/products/", "products/index.html"),
        ("/product/lamp", "product/lamp.html"),
        ("/cart", "cart.html"),
        ("/checkout", "checkout.html"),
        ("/checkout/payment", "checkout/payment.html"),
        ("/checkout/done", "checkout/done.html"),
        ("/signup", "signup.html"),
        ("/signup/verify", "signup/verify.html"),
        ("/welcome", "welcome.html"),
        ("/help", "help/index.html"),
        ("/help/article/returns", "help/article/returns.html"),
        ("/help/contact", "help/contact.html"),
        ("/search?q=lamp", "search.html"),
        ("/cart.html", "cart.html"),
    ],
)
def test_pretty_urls_serve_their_page(shop, url, served):
    response = shop.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    title = re.search(r"<title>(.*?)</title>", (SHOP_DIR / served).read_text()).group(1)
    assert f"<title>{title}</title>" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/nope", 404),
        ("/product/sofa", 404),
        ("/../cxlisten/demo.py", 404),
        ("/%2e%2e/%2e%2e/setup.cfg", 404),
        ("/assets/../../../setup.cfg", 404),
    ],
)
def test_unknown_paths_and_traversal_are_not_found(shop, url, status):
    assert shop.get(url).status_code == status


@pytest.mark.parametrize(
    ("url", "types"),
    [
        ("/assets/shop.css", {"text/css"}),
        ("/assets/shop.js", {"text/javascript", "application/javascript"}),
    ],
)
def test_assets_are_served_with_their_type(shop, url, types):
    with shop.get(url) as response:
        assert response.status_code == 200
        assert response.mimetype in types


def test_only_get_and_head_are_allowed(shop):
    response = shop.post("/checkout")
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD"


def test_served_pages_point_the_snippet_at_the_running_collector(shop):
    html = shop.get("/cart").get_data(as_text=True)
    assert '<script async src="http://127.0.0.1:9123/sdk.js" data-site="cx_demo"></script>' in html
    assert "127.0.0.1:8000" not in html


def test_extra_snippet_attributes_are_added_for_browser_tests():
    app = ShopApp(
        SHOP_DIR, collector_url="http://127.0.0.1:9", snippet_attributes='data-webdriver="allow"'
    )
    html = Client(app).get("/").get_data(as_text=True)
    assert (
        '<script async src="http://127.0.0.1:9/sdk.js" data-site="cx_demo" data-webdriver="allow">'
        in html
    )


def _internal_links() -> dict[str, list[str]]:
    """Return every site-relative link of the shop's pages, with the pages that hold it."""
    links: dict[str, list[str]] = {}
    for page in PAGES:
        for href in re.findall(r'href="(/[^"#?]*)', page.read_text(encoding="utf-8")):
            links.setdefault(href, []).append(str(page.relative_to(SHOP_DIR)))
    return links


LINKS = _internal_links()


@pytest.mark.parametrize("href", sorted(LINKS))
def test_every_internal_link_leads_somewhere(shop, href):
    with shop.get(href) as response:
        assert response.status_code == 200, f"{href} is linked from {LINKS[href]}"


def test_product_links_built_by_the_script_exist():
    script = (SHOP_DIR / "assets" / "shop.js").read_text(encoding="utf-8")
    for slug in re.findall(r"^    (\w+): \{ name:", script, flags=re.M):
        assert (SHOP_DIR / "product" / f"{slug}.html").is_file()
