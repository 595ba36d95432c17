// The widget's only stylesheet, inside its Shadow DOM. `:host` declarations are !important:
// in the cascade an inner !important beats the page's, so `* { all: unset }` or
// `cxlisten-ui { display: none !important }` cannot move or hide the widget. Nothing here can
// reach the host page. A floating host covers the visual viewport (dom.js sets its box, in a
// second style element, from window.visualViewport: a page wider than the screen or a pinch
// zoom moves the layout viewport away from what the visitor sees) and lets clicks through; its
// stack places the card in a corner, the centre, or, when the visible width is 480px or less
// (data-narrow), as a bottom sheet. In a page's slot (data-placement=slot) the host is static
// and as wide as the slot, and the card is a plain box there.
export const CSS = `
:host{all:initial!important;display:block!important;position:fixed!important;z-index:2147483647!important;
inset:auto!important;left:0!important;top:0!important;width:100vw!important;height:100vh!important;
margin:0!important;padding:0!important;border:0!important;transform:none!important;
opacity:1!important;visibility:visible!important;pointer-events:none!important}
:host([data-placement=slot]){position:static!important;width:100%!important;height:auto!important;pointer-events:auto!important}
.stack{--accent:#2563eb;--on-accent:#fff;--bg:#fff;--fg:#111827;--muted:#4b5563;--line:#d1d5db;--chip:#f3f4f6;--err:#b91c1c;
display:flex;flex-direction:column;gap:12px;height:100%;padding:16px;align-items:flex-end;justify-content:flex-end}
.stack.bottom-left,.stack.top-left{align-items:flex-start}
.stack.top-left,.stack.top-right{justify-content:flex-start}
.stack.center{align-items:center;justify-content:center}
@media (prefers-color-scheme:dark){.stack{--bg:#111827;--fg:#f9fafb;--muted:#d1d5db;--line:#4b5563;--chip:#1f2937;--err:#fca5a5}}
.card{pointer-events:auto;box-sizing:border-box;width:360px;max-width:100%;max-height:100%;flex:none;
overflow:auto;background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:12px;
box-shadow:0 10px 30px rgba(0,0,0,.2);padding:16px;text-align:left;
font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"PingFang SC","PingFang TC",
"Hiragino Sans GB","Microsoft YaHei","Microsoft JhengHei","Noto Sans CJK SC","Noto Sans CJK TC",sans-serif}
@media (prefers-reduced-motion:no-preference){.card{animation:cx-in .2s ease-out}}
@keyframes cx-in{from{opacity:0;transform:translateY(12px)}}
:host([data-narrow]) .stack{padding:0;align-items:stretch!important;gap:0;justify-content:flex-end}
:host([data-narrow]) .stack.top-left,:host([data-narrow]) .stack.top-right{justify-content:flex-start}
:host([data-narrow]) .card{width:auto;max-width:none;max-height:70%;border-radius:14px 14px 0 0;border-width:1px 0 0}
.slot{align-items:stretch!important;height:auto;padding:0}
.slot .card{width:auto;max-width:none;max-height:none;border-radius:12px;border-width:1px;box-shadow:none}
.slot .foot{justify-content:flex-start}
*{box-sizing:border-box}
.head{display:flex;align-items:flex-start;gap:8px}
h2{flex:1;margin:0;font-size:16px;font-weight:600;line-height:1.35}
p{margin:8px 0 0;color:var(--muted)}
button,a.button{font:inherit;font-size:14px;color:var(--fg);cursor:pointer;border-radius:8px;border:1px solid var(--line);
background:var(--chip);padding:8px 14px;min-height:40px;text-decoration:none;display:inline-flex;align-items:center}
.primary{background:var(--accent)!important;color:var(--on-accent)!important;border-color:var(--accent)!important}
button.x{border:0;background:none;padding:0 6px;min-height:32px;min-width:32px;font-size:22px;line-height:1;color:var(--muted)}
:focus-visible,label.pt input:focus-visible+span{outline:2px solid var(--accent);outline-offset:2px}
.bar{height:4px;background:var(--line);border-radius:2px;margin:10px 0 4px;overflow:hidden}
.bar>div{height:100%;background:var(--accent)}
.count{font-size:12px;color:var(--muted);margin-bottom:10px}
fieldset{border:0;margin:0;padding:0;min-width:0}
legend,label.q{display:block;padding:0;margin:0 0 10px;font-weight:500}
.scale{display:flex;gap:4px}
label.pt{flex:1;position:relative;min-width:0}
label.pt input{position:absolute;opacity:0;width:1px;height:1px;margin:0}
label.pt span{display:flex;align-items:center;justify-content:center;min-height:38px;border:1px solid var(--line);
border-radius:6px;background:var(--chip);font-size:14px;cursor:pointer}
label.pt input:checked+span{background:var(--accent);color:var(--on-accent);border-color:var(--accent)}
.stars label.pt span,.stars label.pt input:checked+span{border:0;background:none;font-size:30px;color:var(--line)}
.stars label.pt.on span{color:#f59e0b}
.ends{display:flex;justify-content:space-between;gap:8px;font-size:12px;color:var(--muted);margin-top:6px}
.opt{display:flex;align-items:center;gap:8px;padding:8px 10px;border:1px solid var(--line);border-radius:8px;margin-bottom:6px;cursor:pointer}
.opt:has(input:checked){border-color:var(--accent)}
.opt input{accent-color:var(--accent);margin:0;width:18px;height:18px;flex:none}
input[type=text],textarea{width:100%;font:inherit;color:var(--fg);background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:8px}
textarea{min-height:88px;resize:vertical}
.other{margin:0 0 6px}
.hint{font-size:12px;color:var(--muted);text-align:right;margin-top:4px}
.err{color:var(--err);font-size:13px;margin:8px 0 0}
.err:empty{display:none}
.foot{display:flex;gap:8px;justify-content:flex-end;margin-top:14px}
.foot .back{margin-right:auto}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
