"""The device class of a browser: mobile, tablet, desktop or other.

``other`` holds the screens a survey layout is not made for: TVs and set-top boxes, game
consoles, cars, watches and other wearables, e-readers, music players, cameras, smart displays
and speakers. They are recognised by the product tokens their browsers send (``SMART-TV``,
``PlayStation``, ``Tesla``, ``Kindle/3.0``) before any verdict of a parser, which calls most of
them phones or tablets.

Android phones and tablets that name only their model (``BQ-7083``, ``SM-T820``) are told
apart by Matomo's Device Detector (``device-detector``: a database of brands and models kept
current by Matomo's maintainers), with one convention of Android browsers over it: a browser
that leaves ``Mobile`` out of its string runs on a tablet. Where the database knows nothing,
our own rules and uap-core's verdicts decide. A string that names no phone, tablet or other
device is a desktop, whatever its system (FreeBSD, Haiku and OS/2 are desktops too).

Where the browser sends User-Agent Client Hints (``Sec-CH-UA-Mobile``, ``Sec-CH-UA-Platform``:
Chromium does with every secure request) they decide over the string: browsers freeze the
string ("Android 10; K") but report the hints truthfully.
"""

from __future__ import annotations

import re

__all__ = ["KINDS", "classify"]

KINDS = ("mobile", "tablet", "desktop", "other")

_TV = (
    r"\bTV\b|SmartTV|SMART[-_ ]?TV|Smart-TV|HbbTV|\bDTV\b|GoogleTV|Google ?TV|Android ?TV|AppleTV"
    r"|Apple ?TV|\bAFT[A-Z0-9]|\bAFTS\b|CrKey|Roku|Web0S|webOS\.TV|NetCast|BRAVIA|Viera|VIDAA"
    r"|Opera TV|\bOMI/|BrightSign|Espial|Freebox|MiBOX|MiTV|\bSTB\b|Set-?Top|SetTopBox"
    r"|Tizen[^;)]*TV|\bTVOS\b"
    r"|Sony(?:DTV|CEBrowser)|\bPhilipsTV|NETTV|\bTPM\d|Hisense|SharpAquos|Aquos ?TV|\bFire ?TV"
    r"|Chromecast|Kylo|\bBox\b|\bTV[- ]?Box|\bTVBox|Nexus Player|ADT-\d|SHIELD Android TV"
    r"|[a-z]+[ _]Shell[ _]\w{6}"  # "Starwind Shell PT320AT01": Shell TVs, Device Detector's rule
)
_CONSOLE = (
    r"PlayStation|PLAYSTATION|\bPS[345Vv]ita\b|\bPS[2345]\b|Xbox|Nintendo|\bWii|OUYA|Steam ?Deck"
)
_CAR = r"Tesla/|QtCarBrowser|Android Automotive|\bAAOS\b|CarPlay|\bCar\b|Automotive|SMART_EQ"
_WEARABLE = (
    r"Watch\b|\bWatch\d|\bPico (?:G\d|Neo)|Watch OS|watchOS|Wear ?OS|SM-R\d{3}|\bGear\b|Glass\b"
    r"|\bVR\b|Oculus|Quest"
)
_READER = r"Kindle/\d|\bKobo|\bNook\b|PocketBook|Tolino|\bonyx\b|BOOX|Sony ?Reader|E-?Reader"
_PLAYER = r"\biPod\b|\bZune|Walkman|\bFiiO\b|\bCOWON\b|\bYP-G[SIPB5-7]|Shanling"
# Cameras that run Android (Device Detector's camera list, whose parser the collector skips).
_CAMERA = r"Coolpix|\bEK-G[CN]\d{3}"
_HOME = r"Echo Show|AlexaMediaPlayer|Nest Hub|Fuchsia|Sonos|Smart ?Display|Smart ?Speaker|\bIoT\b"
_OTHER = re.compile(
    "|".join((_TV, _CONSOLE, _CAR, _WEARABLE, _READER, _PLAYER, _CAMERA, _HOME)), re.IGNORECASE
)
# Laptops and desktops that run Android or say "Tablet PC" (a Windows component), by model line.
_DESKTOP = re.compile(
    r"Chromebook|Inspiron|Latitude \d|TravelMate|EliteBook|ThinkPad|IdeaPad|Satellite|Aspire"
    r"|Notebook|NETBOOK|Laptop|MacBook|Remix Mini|Tablet PC \d|Windows NT"
)
_TABLET = re.compile(r"\bTablet\b|\biPad\b|\bTab\b", re.IGNORECASE)
# Tablet model names that say so ("Galaxy Tab", "MediaPad", "Lenovo TB-X606F", "SM-T820").
_TABLET_MODEL = re.compile(
    r"Android [\d.]+;[^)]*?"
    r"(?:\bTab|TAB|Pad\b|PAD\b|MediaPad|\bMID|\bTB\d?-|\bSM-[TPX]\d|\bKF[A-Z]{2,5}\b|iPlay)"
)
# A browser engine: an Android string without one is an app (a podcast player, a download
# manager); the parser calls any Android string without "Mobile" a tablet, but most apps are
# on phones.
_ENGINE = re.compile(r"AppleWebKit|Gecko|Presto|Trident|Chrome/|Opera", re.IGNORECASE)
_PHONE = re.compile(r"\b(?:Mobile|Phone|iPhone|Mobi|MIDP|WAP|Symbian|BlackBerry)\b", re.I)
# Matomo's device types that are ours by another name; every other one (tv, console, car
# browser, wearable, smart display, portable media player, …) is "other".
_MATOMO = {
    "smartphone": "mobile",
    "phablet": "mobile",
    "feature phone": "mobile",
    "tablet": "tablet",
    "desktop": "desktop",
}
# Android browsers say "Mobile" on phones and leave it out on tablets (Chrome's documented
# convention); "(Tablet;" is Firefox's token for a tablet, as "(Mobile;" is for a phone.
_ANDROID_TABLET = re.compile(r"Android [\d.]+;(?!.*\bMobi(?:le)?\b).*(?:Chrome|Version)/\d", re.I)
_FIREFOX_TABLET = re.compile(r"\(Tablet;")


def _hint(value: str | None) -> str:
    return (value or "").strip().strip('"').strip().lower()


def classify(
    user_agent: str,
    *,
    model: str = "",
    tablet: bool,
    mobile: bool,
    ch_mobile: str | None = None,
    ch_platform: str | None = None,
) -> str:
    """Return the device class of USER_AGENT.

    MODEL is Device Detector's device type ("smartphone", "tablet", "tv", …; "" when its
    database knows nothing), TABLET and MOBILE are uap-core's verdicts; CH_MOBILE
    (``?1``/``?0``) and CH_PLATFORM ("Android", "Windows", …) the Client Hints, if sent.
    """
    other = bool(_OTHER.search(user_agent))
    hinted = _hint(ch_mobile)
    platform = _hint(ch_platform)
    if hinted in ("?1", "1", "true"):
        return "mobile"
    if hinted in ("?0", "0", "false"):
        if platform in ("windows", "macos", "linux", "chrome os", "chromeos", "fuchsia"):
            return "other" if other and platform != "windows" else "desktop"
        if platform in ("android", "ios", "ipados"):
            return "other" if other else "tablet"
    if other:
        return "other"
    if _FIREFOX_TABLET.search(user_agent):
        return "tablet"
    if model:
        kind = _MATOMO.get(model, "other")
        return "tablet" if kind == "mobile" and _ANDROID_TABLET.search(user_agent) else kind
    if _DESKTOP.search(user_agent) and "Touch; ARM" not in user_agent:
        return "desktop"
    if _TABLET_MODEL.search(user_agent):
        return "tablet"
    if tablet:
        return "mobile" if not _ENGINE.search(user_agent) else "tablet"
    if mobile:
        return "mobile"
    if _TABLET.search(user_agent):
        return "tablet"
    if _PHONE.search(user_agent):
        return "mobile"
    return "desktop"
