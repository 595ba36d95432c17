// Whether the core may send anything: a site key, consent not withdrawn, Do Not Track / Global
// Privacy Control (honoured unless data-respect-dnt="false"), and no automation (unless
// data-webdriver="allow", which tests use).
import { attr, base, site } from "./config.js";
import { load } from "./env.js";
import { CONSENT } from "./identity.js";

/** Why nothing may be sent right now, or "" when sending is fine. */
export const blocked = (n = navigator) =>
  !site || !base
    ? "no site/src"
    : load(CONSENT) === 0
      ? "consent withdrawn"
      : attr("respect-dnt") != "false" && (n.doNotTrack == "1" || n.globalPrivacyControl)
        ? "DNT/GPC on"
        : n.webdriver && attr("webdriver") != "allow"
          ? "webdriver"
          : "";
