"""Device classes, Client Hints and bot rules on hand-picked strings (the corpus test measures)."""

from __future__ import annotations

import pytest

from cxlisten import bots
from cxlisten.ingest import BrowserRequest
from cxlisten.useragent import describe, describe_request

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
FROZEN_ANDROID = (
    "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/125.0.0.0 Safari/537.36"
)
WINDOWS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/125.0.0.0 Safari/537.36"
)


@pytest.mark.parametrize("blank", ["", " ", "   ", "-", " - ", "\t"])
def test_blank_user_agents_are_all_bots(blank):
    assert bots.is_blank(blank)
    assert describe(blank).is_bot


@pytest.mark.parametrize(
    "ua",
    [
        "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Chrome-Lighthouse",
        "FeedFetcher-Google; (+http://www.google.com/feedfetcher.html)",
        "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GoogleOther) Chrome/120.0.0.0 Safari/537.36",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)",
        "Mozilla/5.0 (compatible; Amazonbot/0.1; +https://developer.amazon.com/support/amazonbot)",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/61.0.3163.100 Safari/537.36 PingdomPageSpeed/1.0 (pingbot/2.0; +http://www.pingdom.com/)",
        "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/50.0.2661.102 Safari/537.36; 360Spider",
        "meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36",
        "curl/8.5.0",
        "python-requests/2.32.3",
        "okhttp/4.12.0",
        "Wget/1.21.4",
    ],
)
def test_crawlers_and_automation_are_bots(ua):
    assert describe(ua).is_bot


@pytest.mark.parametrize(
    "ua",
    [
        IPHONE,
        WINDOWS,
        # A phone model called PHANTOM, a podcast app built on OkHttp: tokens, not substrings.
        "Mozilla/5.0 (Linux; Android 12; TECNO PHANTOM X2 Build/SP1A) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/110.0 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 8.1.0; XBot Junior) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/87.0.4280.101 Mobile Safari/537.36",
        "Mozilla/5.0 (Linux; Android 6.0.1; OPPO R9s Build/MMB29M; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/68.0 Mobile Safari/537.36 SogouMSE,SogouMobileBrowser/5.28.7",
    ],
)
def test_peoples_browsers_are_not_bots(ua):
    assert not describe(ua).is_bot


@pytest.mark.parametrize(
    "ua, kind",
    [
        (IPHONE, "mobile"),
        (WINDOWS, "desktop"),
        (
            "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
            "tablet",
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; SM-X205) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36",
            "tablet",
        ),
        ("Mozilla/5.0 (X11; FreeBSD amd64; rv:122.0) Gecko/20100101 Firefox/122.0", "desktop"),
        (
            "Mozilla/5.0 (X11; Haiku x86_64) AppleWebKit/605.1.15 (KHTML, like Gecko) WebPositive/1.2 Safari/605.1.15",
            "desktop",
        ),
        (
            "Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36",
            "other",
        ),
        (
            "Mozilla/5.0 (Linux; Android 9; AFTMM Build/PS7633) AppleWebKit/537.36 (KHTML, like Gecko) Silk/120.3.1 like Chrome/120.0 Safari/537.36",
            "other",
        ),
        (
            "Mozilla/5.0 (PlayStation; PlayStation 5/2.26) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0 Safari/605.1.15",
            "other",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; Xbox; Xbox One) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edge/44.18363.8131",
            "other",
        ),
        (
            "Mozilla/5.0 (X11; GNU/Linux) AppleWebKit/537.36 (KHTML, like Gecko) Chromium/79.0.3945.130 Chrome/79.0.3945.130 Safari/537.36 Tesla/2020.16.2.1-e99c70fff409",
            "other",
        ),
        (
            "Mozilla/5.0 (Linux; Android 9; TicWatch Pro) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/77.0 Mobile Safari/537.36",
            "other",
        ),
        (
            "Mozilla/5.0 (X11; U; Linux armv7l like Android; en-us) AppleWebKit/531.2+ (KHTML, like Gecko) Version/5.0 Safari/533.2+ Kindle/3.0+",
            "other",
        ),
    ],
)
def test_device_classes(ua, kind):
    assert describe(ua).kind == kind


@pytest.mark.parametrize(
    "mobile, platform, kind",
    [
        ("?1", '"Android"', "mobile"),
        ("?0", '"Android"', "tablet"),
        ("?0", '"Windows"', "desktop"),
        ("?0", '"Chrome OS"', "desktop"),
        ("", "", "tablet"),  # no hints: the frozen string alone says "Android without Mobile"
    ],
)
def test_client_hints_decide_over_the_string(mobile, platform, kind):
    request = BrowserRequest(
        body=b"", user_agent=FROZEN_ANDROID, ch_mobile=mobile, ch_platform=platform
    )
    assert describe_request(request).kind == kind
