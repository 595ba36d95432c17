// Built-in texts in English, Simplified and Traditional Chinese, and the choice of locale:
// the first of data-locale, <html lang> and the browser's languages that the survey offers,
// else the survey's default locale.

export const STRINGS = {
  en: {
    title: "Quick question",
    next: "Next",
    back: "Back",
    skip: "Skip",
    submit: "Submit",
    close: "Close",
    thanks: "Thank you!",
    other: "Other",
    specify: "Please specify",
    required: "Please answer this question.",
    progress: "Question {n} of {total}",
    left: "{n} characters left",
    star: "{n} of {total} stars",
    nps: ["Not at all likely", "Extremely likely"],
    csat: ["Very unsatisfied", "Very satisfied"],
    ces: ["Very difficult", "Very easy"],
    rating: ["Poor", "Excellent"],
  },
  "zh-CN": {
    title: "快速提问",
    next: "下一步",
    back: "返回",
    skip: "跳过",
    submit: "提交",
    close: "关闭",
    thanks: "谢谢！",
    other: "其他",
    specify: "请说明",
    required: "请回答这个问题。",
    progress: "第 {n} 题，共 {total} 题",
    left: "还可输入 {n} 字",
    star: "{n} 星，共 {total} 星",
    nps: ["完全不可能", "非常可能"],
    csat: ["非常不满意", "非常满意"],
    ces: ["非常困难", "非常容易"],
    rating: ["很差", "很好"],
  },
  "zh-TW": {
    title: "快速提問",
    next: "下一步",
    back: "返回",
    skip: "略過",
    submit: "送出",
    close: "關閉",
    thanks: "謝謝！",
    other: "其他",
    specify: "請說明",
    required: "請回答這個問題。",
    progress: "第 {n} 題，共 {total} 題",
    left: "還可輸入 {n} 字",
    star: "{n} 星，共 {total} 星",
    nps: ["完全不可能", "非常可能"],
    csat: ["非常不滿意", "非常滿意"],
    ces: ["非常困難", "非常容易"],
    rating: ["很差", "很好"],
  },
};

/** Map a language tag onto the locales we know: zh-Hant/HK/MO/TW → zh-TW, other zh → zh-CN. */
export function canonical(tag) {
  const t = String(tag || "").toLowerCase();
  if (/^zh\b/.test(t)) return /hant|tw|hk|mo/.test(t) ? "zh-TW" : "zh-CN";
  return t.split(/[-_]/)[0];
}

/** The locale to show ITEM in, given data-locale PREFERRED. */
export function pickLocale(item, preferred) {
  const offered = item.locales?.length ? item.locales : [item.default_locale || "en"];
  const wanted = [preferred, document.documentElement.lang, ...(navigator.languages || [navigator.language])];
  for (const tag of wanted) {
    if (!tag) continue;
    const exact = offered.find((l) => l.toLowerCase() == String(tag).toLowerCase());
    const near = offered.find((l) => canonical(l) == canonical(tag));
    if (exact || near) return exact || near;
  }
  return item.default_locale || offered[0];
}

/** The built-in texts for LOCALE (English when we have none). */
export const strings = (locale) => STRINGS[locale] || STRINGS[canonical(locale)] || STRINGS.en;

/** Text of a per-locale MAP in LOCALE, else in DEFAULT_LOCALE, else in any; "" when none. */
export function text(map, locale, defaultLocale) {
  if (map == null) return "";
  if (typeof map == "string") return map;
  return map[locale] ?? map[defaultLocale] ?? Object.values(map)[0] ?? "";
}

/** Fill {name} placeholders of TEMPLATE from VALUES. */
export const fill = (template, values) => template.replace(/\{(\w+)\}/g, (_, k) => values[k]);
