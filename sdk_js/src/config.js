// Configuration comes only from the data-* attributes of our own <script> tag; the collector's
// URL is the directory the script was loaded from (so it may be mounted under a path).
import { D } from "./env.js";

const script = D.currentScript || D.querySelector("script[data-site]");
export const attr = (name) => script?.getAttribute("data-" + name);
export const site = attr("site");
export const base = script?.src ? new URL(".", script.src).href : ""; // inlined: nowhere to send
