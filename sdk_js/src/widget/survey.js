// A survey, one question at a time: progress, Back, Skip (optional questions), Next / Submit,
// Close (recorded as dismissed) and a thank-you. After each answered question the answers so
// far go to POST /v1/responses under one client response id (the collector upserts), and once
// more with complete: true at the end; a next best action in that reply opens the panel.
import { safe, uuid } from "../env.js";
import { h, id, remove, root, whenSeen } from "./dom.js";
import { fill, pickLocale, strings, text } from "./i18n.js";
import { postResponse } from "./net.js";
import { branch, render } from "./questions.js";

let open = null; // the survey on screen, if any

export function survey(core, s, options) {
  if (open) return core.log_("survey", s.id, "not shown: survey", open, "is open");
  const questions = s.questions || [];
  if (!questions.length) return core.log_("survey", s.id, "has no questions");
  open = s.id;
  const locale = pickLocale(s, options.locale);
  const ctx = { locale, fallback: s.default_locale, s: strings(locale) };
  const tx = (map, fallback) => text(map, locale, s.default_locale) || fallback;
  const response = uuid();
  const answers = {}; // question id → {value, other?}
  const path = []; // indexes of the questions shown, for Back
  let index = 0;
  let current = null;
  let finished = false;

  const event = (action, question) =>
    core.emit_("survey", { survey: s.id, action, version: s.version ?? null, question: question ?? null }, action != "shown");
  const send = (complete) =>
    postResponse({
      survey: s.id,
      version: s.version,
      response,
      answers: path.concat(complete ? [] : [index]).flatMap((i) => {
        const q = questions[i];
        return answers[q.id] ? [{ question: q.id, ...answers[q.id] }] : [];
      }),
      complete,
      url: location.href.slice(0, 2048),
      locale,
    }, core).then((reply) => reply?.action && options.present(reply.action));

  const title = id("title");
  const live = h("div", { class: "sr", "aria-live": "polite" });
  const body = h("div");
  const card = h(
    "section",
    { class: "card survey", role: "dialog", "aria-modal": "false", "aria-labelledby": title, lang: locale, onkeydown: (e) => e.key == "Escape" && close() },
    h("div", { class: "head" }, h("h2", { id: title }, tx(s.texts?.title, ctx.s.title)), h("button", { type: "button", class: "x", "aria-label": ctx.s.close, onclick: close }, "×")),
    body,
    live,
  );

  function close() {
    if (!finished) event("dismissed", questions[index]?.id);
    finished = true;
    open = null;
    remove(card);
  }

  function show(i, focus) {
    index = i;
    const q = questions[i];
    current = render(q, ctx, answers[q.id]);
    const total = questions.length;
    const n = path.length + 1;
    const last = i == total - 1;
    const error = h("p", { class: "err", role: "alert" });
    const required = q.required !== false;
    const progress = fill(ctx.s.progress, { n: Math.min(n, total), total });
    body.replaceChildren(
      h(
        "form",
        {
          novalidate: true,
          onsubmit: (e) => (e.preventDefault(), next(error)),
          // Enter on an option means Next in every browser (only some submit a form from a radio).
          onkeydown: (e) => e.key == "Enter" && /radio|checkbox/.test(e.target.type) && (e.preventDefault(), next(error)),
        },
        h("div", { class: "bar", role: "progressbar", "aria-valuemin": 1, "aria-valuemax": total, "aria-valuenow": Math.min(n, total), "aria-label": progress },
          h("div", { style: `width:${(100 * Math.min(n, total)) / total}%` })),
        h("div", { class: "count", "aria-hidden": "true" }, `${Math.min(n, total)} / ${total}`),
        current.el,
        error,
        h(
          "div",
          { class: "foot" },
          path.length ? h("button", { type: "button", class: "back", onclick: back }, ctx.s.back) : null,
          required ? null : h("button", { type: "button", onclick: skip }, ctx.s.skip),
          h("button", { type: "submit", class: "primary" }, last ? ctx.s.submit : ctx.s.next),
        ),
      ),
    );
    live.textContent = progress;
    if (focus) current.focus();
  }

  function go(target) {
    path.push(index);
    const to = target == "end" ? -1 : target != null ? questions.findIndex((q) => q.id == target) : index + 1;
    if (to < 0 || to >= questions.length || to <= index) return finish();
    show(to, true);
  }

  function next(error) {
    const q = questions[index];
    const answer = current.get();
    if (!answer && q.required !== false) {
      error.textContent = ctx.s.required;
      return current.focus();
    }
    if (!answer) return skip();
    answers[q.id] = answer;
    event("answered", q.id);
    const target = branch(q, answer);
    if (target == "end" || index == questions.length - 1) {
      path.push(index);
      return finish();
    }
    send(false);
    go(target);
  }

  function skip() {
    delete answers[questions[index].id];
    go(null);
  }

  function back() {
    show(path.pop(), true);
  }

  function finish() {
    finished = true;
    open = null;
    send(true);
    const done = h("button", { type: "button", class: "primary", onclick: () => remove(card) }, ctx.s.close);
    body.replaceChildren(h("p", { role: "status" }, tx(s.texts?.thanks, ctx.s.thanks)), h("div", { class: "foot" }, done));
    done.focus();
    setTimeout(safe(() => remove(card)), 6000);
  }

  root("bottom-right", options.accent).append(card);
  whenSeen(card, () => event("shown"), (why) => core.log_("survey", s.id, why));
  live.textContent = tx(s.texts?.title, ctx.s.title);
  show(0, options.focus);
}
