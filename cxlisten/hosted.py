"""What a hosted survey page (``/s/<survey-id>``) shows: the survey, or a readable refusal.

Only active surveys are hosted. A personal link (``?t=``, ``cxlisten.survey_links``) gets a fresh
visitor linked to its customer, handed to the page's snippet, so the answers land on that
customer's profile; once the customer answered a survey asked once (or until answered), the page
thanks them instead. Anonymous pages keep the browser's own visitor, unless it came from a
personal link on this browser (a counter tablet must not answer as the last customer).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cxlisten import customers
from cxlisten.channels import check_source
from cxlisten.identity import VisitorTokens, new_visitor_id
from cxlisten.storage import customers as customer_store
from cxlisten.storage import responses as response_store
from cxlisten.storage import sites as site_store
from cxlisten.storage import surveys as survey_store
from cxlisten.storage.db import Database
from cxlisten.survey_links import LinkRefused, PersonalLinks

__all__ = ["HostedPage", "busy_page", "hosted_page"]

# Refusals, in English and Chinese (the page's locale picks): (title, text).
MESSAGES = {
    "not_found": {
        "en": ("Survey not available", "This survey does not exist or is closed."),
        "zh-CN": ("问卷不可用", "该问卷不存在或已关闭。"),
    },
    "bad_source": {
        "en": ("Link not valid", "This link's src is not a channel name."),
        "zh-CN": ("链接无效", "此链接的 src 不是有效的渠道名称。"),
    },
    "invalid": {
        "en": ("Link not valid", "This link is not valid. Ask for a new one."),
        "zh-CN": ("链接无效", "此链接无效，请索取新的链接。"),
    },
    "expired": {
        "en": ("Link expired", "This link has expired. Ask for a new one."),
        "zh-CN": ("链接已过期", "此链接已过期，请索取新的链接。"),
    },
    "answered": {
        "en": ("Thank you", "You have already answered this survey."),
        "zh-CN": ("谢谢", "您已经回答过这份问卷。"),
    },
    "choose_site": {
        "en": ("Link not valid", "This link does not say which site it is for."),
        "zh-CN": ("链接无效", "此链接未指明所属站点。"),
    },
    "busy": {
        "en": ("Please try again", "Too many requests just now. Please try again in a moment."),
        "zh-CN": ("请稍后再试", "当前请求过多，请稍后再试。"),
    },
}
_STATUS = {
    "not_found": 404,
    "bad_source": 400,
    "invalid": 403,
    "expired": 410,
    "answered": 200,
    "choose_site": 400,
    "busy": 503,
}


@dataclass
class HostedPage:
    status: int
    locale: str
    ok: bool = False
    title: str = ""
    text: str = ""
    site_key: str = ""
    survey: str = ""
    source: str | None = None
    visitor_token: str | None = None  # a personal link's visitor, for the page's snippet
    personal: bool = False
    locales: list[str] = field(default_factory=list)


def _locale(wanted: str | None, offered: list[str], default: str) -> str:
    if wanted and wanted in offered:
        return wanted
    if wanted and wanted.split("-")[0] == "zh" and "zh-CN" in offered:
        return "zh-CN"
    return default


def _refused(reason: str, lang: str | None) -> HostedPage:
    locale = "zh-CN" if (lang or "").lower().startswith("zh") else "en"
    title, text = MESSAGES[reason][locale]
    return HostedPage(_STATUS[reason], locale, title=title, text=text)


def busy_page(lang: str | None, status: int) -> HostedPage:
    """Return the readable refusal of a page that cannot be served now (a 429 or a 503)."""
    page = _refused("busy", lang)
    page.status = status
    return page


def hosted_page(
    db: Database, secret: str, tokens: VisitorTokens, slug: str, args: dict, *, now=None
) -> HostedPage:
    """Decide what ``GET /s/SLUG?ARGS`` shows."""
    lang = args.get("lang")
    key = args.get("site")
    if key:
        site = site_store.site_by_key(db, key)
    else:
        all_sites = site_store.list_sites(db)
        if len(all_sites) > 1:
            return _refused("choose_site", lang)
        site = all_sites[0] if all_sites else None
    survey = survey_store.get_survey(db, site.id, slug) if site else None
    if survey is None or survey.kind != "survey" or survey.status != "active":
        return _refused("not_found", lang)
    source = args.get("src")
    if source is not None and check_source(source) is None:
        return _refused("bad_source", lang)
    definition = survey.definition
    offered = definition.get("locales") or [definition["default_locale"]]
    locale = _locale(lang, offered, definition["default_locale"])
    title = definition.get("texts", {}).get("title", {})
    page = HostedPage(
        200,
        locale,
        ok=True,
        title=title.get(locale) or title.get(definition["default_locale"]) or survey.name,
        site_key=site.key,
        survey=survey.slug,
        source=check_source(source),
        locales=offered,
    )
    token = args.get("t")
    if token is None:
        return page
    try:
        personal = PersonalLinks(secret).read(token, site, survey.slug, now=now)
    except LinkRefused as exc:
        return _refused(exc.reason, lang)
    if definition["repetition"]["mode"] in ("once", "until_answered") and _answered(
        db, site, survey.id, personal.customer
    ):
        return _refused("answered", locale)
    visitor_id = new_visitor_id()
    customers.link_visitor(db, site, visitor_id, personal.customer, via="link")
    page.visitor_token = tokens.issue(site.id, visitor_id)
    page.personal = True
    return page


def _answered(db: Database, site, survey_id: int, customer: str) -> bool:
    ids = tuple(v["visitor"] for v in customer_store.visitors_of(db, site.id, customer))
    return bool(ids) and survey_id in response_store.visitor_response_stats(db, ids)
