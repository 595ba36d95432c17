// The widget (widget.js): loaded by the core only when a survey or a panel is to be shown.
window.cxlisten._w = { survey() {}, panel() {} };
