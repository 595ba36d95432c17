"""The one catalogue of interface strings, in English and Simplified Chinese.

Every word the console shows — headings, buttons, and the phrases that put a survey's trigger
and audience into words — is an entry here, keyed by a stable id, with a template per locale
(``str.format`` fields such as ``{seconds}``). A test checks that every entry has every locale
and that every key the templates use exists.
"""

from __future__ import annotations

from collections.abc import Iterable

LOCALES = ("en", "zh-CN")
DEFAULT_LOCALE = "en"
LOCALE_NAMES = {"en": "English", "zh-CN": "简体中文"}

PHRASES: dict[str, dict[str, str]] = {
    # --- shell ---
    "app.name": {"en": "cxlisten console", "zh-CN": "cxlisten 控制台"},
    "nav.surveys": {"en": "Surveys", "zh-CN": "问卷"},
    "nav.new": {"en": "New survey", "zh-CN": "新建问卷"},
    "nav.skip": {"en": "Skip to content", "zh-CN": "跳到正文"},
    "nav.main": {"en": "Main", "zh-CN": "主导航"},
    "site.label": {"en": "Site", "zh-CN": "站点"},
    "site.switch": {"en": "Switch", "zh-CN": "切换"},
    "site.only": {"en": "Site {name}", "zh-CN": "站点 {name}"},
    "lang.label": {"en": "Language", "zh-CN": "语言"},
    "lang.switch": {"en": "Change", "zh-CN": "更改"},
    "signin.title": {"en": "Sign in", "zh-CN": "登录"},
    "signin.key": {"en": "Admin key", "zh-CN": "管理密钥"},
    "signin.help": {
        "en": "Paste an admin key (from `cxlisten keys create`). Only its hash is stored.",
        "zh-CN": "粘贴管理密钥（由 `cxlisten keys create` 生成）。服务器只保存其哈希值。",
    },
    "signin.submit": {"en": "Sign in", "zh-CN": "登录"},
    "signin.wrong": {
        "en": "This is not a current admin key.",
        "zh-CN": "这不是有效的管理密钥。",
    },
    "signin.expired": {
        "en": "Your session ended after {minutes} minutes without activity. Sign in again.",
        "zh-CN": "您已 {minutes} 分钟无操作，会话已结束。请重新登录。",
    },
    "signout.submit": {"en": "Sign out", "zh-CN": "退出"},
    "signout.done": {"en": "You are signed out.", "zh-CN": "您已退出。"},
    "scope.operator": {"en": "operator key: every site", "zh-CN": "运维密钥：所有站点"},
    "scope.site": {"en": "key of this site only", "zh-CN": "仅限本站点的密钥"},
    "error.title": {"en": "Something is not right", "zh-CN": "出了点问题"},
    "error.csrf": {
        "en": "This form is out of date or was not sent from the console (no valid CSRF token). "
        "Reload the page and try again.",
        "zh-CN": "此表单已过期或并非来自控制台（缺少有效的 CSRF 令牌）。请刷新页面后重试。",
    },
    "error.back": {"en": "Back to the surveys", "zh-CN": "返回问卷列表"},
    "error.fields": {"en": "Details", "zh-CN": "详情"},
    # --- surveys list ---
    "surveys.title": {"en": "Surveys", "zh-CN": "问卷"},
    "surveys.none": {
        "en": "No surveys on this site yet.",
        "zh-CN": "此站点还没有问卷。",
    },
    "surveys.archived.show": {"en": "Show archived", "zh-CN": "显示已归档"},
    "surveys.archived.hide": {"en": "Hide archived", "zh-CN": "隐藏已归档"},
    "col.survey": {"en": "Survey", "zh-CN": "问卷"},
    "col.status": {"en": "Status", "zh-CN": "状态"},
    "col.trigger": {"en": "When", "zh-CN": "何时出现"},
    "col.audience": {"en": "To whom", "zh-CN": "面向谁"},
    "col.version": {"en": "Version", "zh-CN": "版本"},
    "col.responses": {"en": "Responses", "zh-CN": "回答"},
    "col.rate": {"en": "Response rate", "zh-CN": "回答率"},
    "col.daily": {"en": "Answers per day, 30 days", "zh-CN": "近 30 天每日回答"},
    "col.actions": {"en": "Actions", "zh-CN": "操作"},
    "col.day": {"en": "Day", "zh-CN": "日期"},
    "col.count": {"en": "Answers", "zh-CN": "回答数"},
    "responses.counts": {
        "en": "{complete} complete, {partial} partial",
        "zh-CN": "完成 {complete}，未完成 {partial}",
    },
    "rate.value": {
        "en": "{percent}% of {shown} shown",
        "zh-CN": "展示 {shown} 次中的 {percent}%",
    },
    "rate.none": {"en": "not shown yet", "zh-CN": "尚未展示"},
    "daily.summary": {
        "en": "{total} answers in 30 days, most on one day: {peak}",
        "zh-CN": "30 天共 {total} 个回答，单日最多 {peak}",
    },
    "status.active": {"en": "Active", "zh-CN": "进行中"},
    "status.paused": {"en": "Paused", "zh-CN": "已暂停"},
    "status.archived": {"en": "Archived", "zh-CN": "已归档"},
    "action.pause": {"en": "Pause", "zh-CN": "暂停"},
    "action.resume": {"en": "Resume", "zh-CN": "恢复"},
    "action.archive": {"en": "Archive", "zh-CN": "归档"},
    "action.duplicate": {"en": "Duplicate", "zh-CN": "复制"},
    "action.edit": {"en": "Edit", "zh-CN": "编辑"},
    "action.results": {"en": "Results", "zh-CN": "结果"},
    "action.download": {"en": "Download JSON", "zh-CN": "下载 JSON"},
    "action.done.paused": {"en": "“{name}” is paused.", "zh-CN": "“{name}”已暂停。"},
    "action.done.active": {"en": "“{name}” is active.", "zh-CN": "“{name}”已恢复。"},
    "action.done.archived": {"en": "“{name}” is archived.", "zh-CN": "“{name}”已归档。"},
    "action.done.duplicate": {
        "en": "Copied to “{name}”, paused until you resume it.",
        "zh-CN": "已复制为“{name}”，在恢复前保持暂停。",
    },
    # --- builder ---
    "builder.title": {"en": "Survey builder", "zh-CN": "问卷编辑器"},
    "builder.start": {"en": "Start from", "zh-CN": "起点"},
    "builder.start.blank": {"en": "A blank survey", "zh-CN": "空白问卷"},
    "builder.start.template": {"en": "Deep-dive template: {kind}", "zh-CN": "深度调研模板：{kind}"},
    "builder.start.plan": {
        "en": "`deepdive plan` for the journey {journey}",
        "zh-CN": "为路径 {journey} 运行 `deepdive plan`",
    },
    "builder.start.go": {"en": "Start", "zh-CN": "开始"},
    "builder.text": {"en": "The survey as JSON", "zh-CN": "问卷 JSON"},
    "builder.text.help": {
        "en": "The same file as in git and as `cxlisten surveys load` reads (see docs/surveys.md).",
        "zh-CN": "与 git 中、`cxlisten surveys load` 读取的文件相同（见 docs/surveys.md）。",
    },
    "builder.upload": {"en": "Or upload a JSON file", "zh-CN": "或上传 JSON 文件"},
    "builder.check": {"en": "Check", "zh-CN": "检查"},
    "builder.save": {"en": "Save draft", "zh-CN": "保存草稿"},
    "builder.publish": {"en": "Publish", "zh-CN": "发布"},
    "builder.preview": {"en": "Preview", "zh-CN": "预览"},
    "builder.saved": {
        "en": "Draft saved. Visitors still see the published version.",
        "zh-CN": "草稿已保存。访客看到的仍是已发布版本。",
    },
    "builder.draft.of": {
        "en": "Editing the draft saved {when} (UTC).",
        "zh-CN": "正在编辑 {when}（UTC）保存的草稿。",
    },
    "builder.valid": {"en": "No errors: ready to publish.", "zh-CN": "没有错误，可以发布。"},
    "builder.errors": {
        "en": "{count} errors: fix each before publishing.",
        "zh-CN": "{count} 处错误：发布前请逐一修正。",
    },
    "builder.field": {"en": "Field", "zh-CN": "字段"},
    "builder.problem": {"en": "Problem", "zh-CN": "问题"},
    "builder.new_version": {
        "en": "“{id}” has answers on version {version}: publishing a change makes version "
        "{next}, and results keep the versions apart.",
        "zh-CN": "“{id}”的第 {version} 版已有回答：发布修改将生成第 {next} 版，"
        "结果按版本分开统计。",
    },
    "builder.same_version": {
        "en": "“{id}” has no answers on version {version} yet: publishing replaces it.",
        "zh-CN": "“{id}”的第 {version} 版还没有回答：发布将直接替换它。",
    },
    "builder.first": {
        "en": "Publishing creates “{id}” at version 1.",
        "zh-CN": "发布将创建“{id}”第 1 版。",
    },
    "builder.published.created": {
        "en": "Published “{id}”, version {version}.",
        "zh-CN": "已发布“{id}”第 {version} 版。",
    },
    "builder.published.updated": {
        "en": "Published “{id}”, now version {version}.",
        "zh-CN": "已发布“{id}”，当前为第 {version} 版。",
    },
    "builder.published.unchanged": {
        "en": "“{id}” is unchanged (version {version}).",
        "zh-CN": "“{id}”没有变化（第 {version} 版）。",
    },
    "builder.words": {"en": "In words", "zh-CN": "用文字描述"},
    "builder.questions": {"en": "Questions", "zh-CN": "问题"},
    "builder.missing": {"en": "missing in {locales}", "zh-CN": "缺少 {locales} 译文"},
    # --- preview ---
    "preview.title": {"en": "Preview of “{id}”", "zh-CN": "预览“{id}”"},
    "preview.width": {"en": "Width", "zh-CN": "宽度"},
    "preview.desktop": {"en": "Desktop", "zh-CN": "桌面"},
    "preview.phone": {"en": "Phone", "zh-CN": "手机"},
    "preview.locale": {"en": "Survey language", "zh-CN": "问卷语言"},
    "preview.show": {"en": "Show", "zh-CN": "显示"},
    "preview.note": {
        "en": "The real widget in a sandboxed frame. Answers here walk the branching and are "
        "never stored.",
        "zh-CN": "沙盒框架中运行的真实组件。在此作答会按分支跳转，但不会保存任何数据。",
    },
    "preview.frame": {"en": "Survey preview", "zh-CN": "问卷预览"},
    "preview.source.draft": {"en": "Showing the saved draft.", "zh-CN": "显示已保存的草稿。"},
    "preview.source.live": {"en": "Showing the published version.", "zh-CN": "显示已发布版本。"},
    # --- results ---
    "results.title": {"en": "Results: {name}", "zh-CN": "结果：{name}"},
    "results.filters": {
        "en": "Filters (they apply to everything below)",
        "zh-CN": "筛选（作用于下方所有内容）",
    },
    "filter.since": {"en": "From", "zh-CN": "开始日期"},
    "filter.until": {"en": "To (inclusive)", "zh-CN": "结束日期（含）"},
    "filter.device": {"en": "Device", "zh-CN": "设备"},
    "filter.locale": {"en": "Language", "zh-CN": "语言"},
    "filter.version": {"en": "Version", "zh-CN": "版本"},
    "filter.completion": {"en": "Completion", "zh-CN": "完成情况"},
    "filter.any": {"en": "Any", "zh-CN": "不限"},
    "filter.all_versions": {"en": "All versions", "zh-CN": "所有版本"},
    "filter.complete": {"en": "Complete", "zh-CN": "已完成"},
    "filter.partial": {"en": "Partial", "zh-CN": "未完成"},
    "filter.invalid": {
        "en": "Some filters are not valid (each says why): the page shows every response "
        "meanwhile.",
        "zh-CN": "部分筛选条件无效（各自注明原因）：页面暂时显示全部回答。",
    },
    "filter.apply": {"en": "Apply", "zh-CN": "应用"},
    "filter.clear": {"en": "Clear filters", "zh-CN": "清除筛选"},
    "filter.answer": {
        "en": "Only responses that answered {question} with “{value}”.",
        "zh-CN": "仅显示 {question} 回答为“{value}”的回答。",
    },
    "filter.remove": {"en": "Remove this filter", "zh-CN": "移除此筛选"},
    "filter.only": {"en": "Filter", "zh-CN": "筛选"},
    "filter.only_this": {"en": "Only “{answer}”", "zh-CN": "只看“{answer}”"},
    "results.counts": {
        "en": "{total} responses in all · {filtered} under these filters · {shown} shown below",
        "zh-CN": "共 {total} 份回答 · 符合筛选 {filtered} 份 · 下方显示 {shown} 份",
    },
    "results.funnel": {"en": "Shown → answered → complete", "zh-CN": "展示 → 作答 → 完成"},
    "results.funnel.no_shown": {
        "en": "Impressions carry no language, completion or answer, so under these filters the "
        "funnel starts at the answered.",
        "zh-CN": "展示记录不含语言、完成情况或答案，因此在这些筛选下漏斗从作答开始。",
    },
    "funnel.shown": {"en": "Shown", "zh-CN": "展示"},
    "funnel.answered": {"en": "Answered", "zh-CN": "作答"},
    "funnel.complete": {"en": "Complete", "zh-CN": "完成"},
    "funnel.partial": {"en": "Partial", "zh-CN": "未完成"},
    "results.count": {"en": "Count", "zh-CN": "数量"},
    "metric.NPS": {"en": "NPS (−100 to 100)", "zh-CN": "NPS（−100 至 100）"},
    "metric.CSAT": {"en": "CSAT (share 4–5)", "zh-CN": "CSAT（4–5 分占比）"},
    "metric.CES": {"en": "CES (mean 1–7)", "zh-CN": "CES（1–7 均值）"},
    "results.step": {"en": "Step", "zh-CN": "环节"},
    "results.of_first": {"en": "Of the first step", "zh-CN": "占第一步"},
    "results.scores": {"en": "Scores with 95% intervals", "zh-CN": "得分及 95% 置信区间"},
    "results.metric": {"en": "Metric", "zh-CN": "指标"},
    "results.value": {"en": "Value", "zh-CN": "数值"},
    "results.interval": {"en": "95% interval", "zh-CN": "95% 区间"},
    "results.trend": {
        "en": "{metric} per day, with its 95% interval",
        "zh-CN": "每日 {metric} 及 95% 区间",
    },
    "results.as_table": {"en": "The numbers as a table", "zh-CN": "以表格查看数据"},
    "results.questions": {"en": "Answers per question", "zh-CN": "各题回答"},
    "results.answers": {"en": "{n} answers", "zh-CN": "{n} 个回答"},
    "results.answer": {"en": "Answer", "zh-CN": "答案"},
    "results.share": {"en": "Share", "zh-CN": "占比"},
    "results.crosstabs": {
        "en": "“{question}” by device, journey step and new or returning visitors",
        "zh-CN": "“{question}”按设备、路径环节及新老访客划分",
    },
    "cross.device": {"en": "Device", "zh-CN": "设备"},
    "cross.step": {"en": "Journey step", "zh-CN": "路径环节"},
    "cross.visitor": {"en": "New or returning", "zh-CN": "新访客或回访"},
    "results.themes": {"en": "Open-text themes", "zh-CN": "开放题主题"},
    "results.theme": {"en": "Theme", "zh-CN": "主题"},
    "results.quotes": {"en": "Quotes", "zh-CN": "原话"},
    "results.other_answers": {"en": "Not in a theme", "zh-CN": "未归入主题"},
    "results.no_text": {"en": "No open answers yet.", "zh-CN": "还没有开放题回答。"},
    "results.reasons": {"en": "Top reasons, for a ticket", "zh-CN": "主要原因（可贴到工单）"},
    "results.copy": {"en": "Copy", "zh-CN": "复制"},
    "results.copied": {"en": "Copied", "zh-CN": "已复制"},
    "results.responses": {"en": "Responses, newest first", "zh-CN": "回答（最新在前）"},
    "results.when": {"en": "Started (UTC)", "zh-CN": "开始时间（UTC）"},
    "results.entry": {"en": "Entry page", "zh-CN": "入口页"},
    "results.last_pages": {"en": "Last pages", "zh-CN": "最近页面"},
    "results.answers_col": {"en": "Answers", "zh-CN": "回答内容"},
    "results.pages": {"en": "Pages of responses", "zh-CN": "回答分页"},
    "results.page": {"en": "Page {page} of {pages}", "zh-CN": "第 {page} 页，共 {pages} 页"},
    "results.newer": {"en": "Newer", "zh-CN": "较新"},
    "results.older": {"en": "Older", "zh-CN": "较早"},
    "results.export": {"en": "Export", "zh-CN": "导出"},
    "results.export.help": {
        "en": "Through a signed export link (valid for a limited time). The export holds the "
        "responses under every filter above: the same ones the page counts.",
        "zh-CN": "通过有时效的签名导出链接。导出的答卷符合上方所有筛选条件，与本页统计的完全一致。",
    },
    "results.export.table": {"en": "Table", "zh-CN": "数据表"},
    "results.export.excel": {"en": "CSV for Excel", "zh-CN": "Excel 用 CSV"},
    # --- share links ---
    "share.title": {"en": "Read-only share link", "zh-CN": "只读分享链接"},
    "share.help": {
        "en": "Anyone with the link sees the chosen questions' results under the filters above, "
        "until it expires or you revoke it. Free-text answers are left out unless chosen.",
        "zh-CN": "持有链接的任何人都能看到所选问题在上述筛选下的结果，直到链接过期或被撤销。"
        "除非勾选，开放题回答不会包含在内。",
    },
    "share.questions": {"en": "Questions it shows", "zh-CN": "显示的问题"},
    "share.free_text": {"en": "free text", "zh-CN": "开放题"},
    "share.valid": {"en": "Valid for", "zh-CN": "有效期"},
    "share.hours": {"en": "{hours} hours", "zh-CN": "{hours} 小时"},
    "share.days": {"en": "{days} days", "zh-CN": "{days} 天"},
    "share.create": {"en": "Create link", "zh-CN": "创建链接"},
    "share.made": {"en": "Made (UTC)", "zh-CN": "创建时间（UTC）"},
    "share.until": {"en": "Valid until (UTC)", "zh-CN": "有效至（UTC）"},
    "share.live": {"en": "Live", "zh-CN": "有效"},
    "share.revoked": {"en": "Revoked", "zh-CN": "已撤销"},
    "share.expired": {"en": "Expired", "zh-CN": "已过期"},
    "share.revoke": {"en": "Revoke", "zh-CN": "撤销"},
    "share.created": {
        "en": "Link created, valid until {until} (UTC).",
        "zh-CN": "链接已创建，有效至 {until}（UTC）。",
    },
    "share.link": {"en": "The link", "zh-CN": "链接"},
    "share.once": {
        "en": "Copy it now: it is shown once (only its hash is kept).",
        "zh-CN": "请现在复制：链接只显示一次（服务器只保存其哈希值）。",
    },
    "share.back": {"en": "Back to the results", "zh-CN": "返回结果"},
    "share.readonly": {
        "en": "A read-only view, shared until {until} (UTC).",
        "zh-CN": "只读视图，分享有效至 {until}（UTC）。",
    },
    "share.counts": {"en": "{filtered} responses", "zh-CN": "{filtered} 份回答"},
    # --- triggers in words ---
    "trigger.pageview": {"en": "on viewing {pages}", "zh-CN": "浏览{pages}时"},
    "trigger.dwell": {
        "en": "after {seconds} s on {pages}",
        "zh-CN": "在{pages}停留 {seconds} 秒后",
    },
    "trigger.exit_intent": {"en": "when leaving {pages}", "zh-CN": "即将离开{pages}时"},
    "trigger.event": {
        "en": "on the event “{event}” on {pages}",
        "zh-CN": "在{pages}发生事件“{event}”时",
    },
    "trigger.journey": {
        "en": "after the journey {steps} on {pages}",
        "zh-CN": "在{pages}走完路径 {steps} 后",
    },
    "pages.any": {"en": "any page", "zh-CN": "任意页面"},
    "pages.list": {"en": "{patterns}", "zh-CN": " {patterns} "},
    "list.or": {"en": " or ", "zh-CN": " 或 "},
    "list.and": {"en": ", ", "zh-CN": "，"},
    # --- audience in words ---
    "audience.everyone": {"en": "every visitor", "zh-CN": "所有访客"},
    "audience.sample": {"en": "{percent}% of visitors", "zh-CN": "{percent}% 的访客"},
    "audience.devices": {"en": "on {devices}", "zh-CN": "使用{devices}"},
    "audience.new": {"en": "new visitors only", "zh-CN": "仅新访客"},
    "audience.returning": {"en": "returning visitors only", "zh-CN": "仅回访访客"},
    "audience.has": {"en": "who told us {names}", "zh-CN": "已告知 {names}"},
    "audience.lacks": {"en": "who have not told us {names}", "zh-CN": "尚未告知 {names}"},
    "audience.equals": {"en": "whose {name} is “{value}”", "zh-CN": "{name} 为“{value}”"},
    "audience.phase": {
        "en": "while the journey {journey} is in its {phase} phase",
        "zh-CN": "当路径 {journey} 处于{phase}阶段时",
    },
    "audience.quota": {
        "en": "until {quota} complete responses",
        "zh-CN": "直到收满 {quota} 份完整回答",
    },
    "device.desktop": {"en": "desktop", "zh-CN": "桌面端"},
    "device.mobile": {"en": "phone", "zh-CN": "手机"},
    "device.tablet": {"en": "tablet", "zh-CN": "平板"},
    "phase.track": {"en": "track & diagnose", "zh-CN": "追踪与诊断"},
    "phase.deepdive": {"en": "deep-dive", "zh-CN": "深度调研"},
    # --- repetition in words ---
    "repeat.once": {"en": "asked once per visitor", "zh-CN": "每位访客只问一次"},
    "repeat.until_answered": {
        "en": "asked until answered",
        "zh-CN": "在回答前会再次询问",
    },
    "repeat.times": {"en": "asked up to {times} times", "zh-CN": "最多询问 {times} 次"},
    "repeat.recontact": {
        "en": ", again after {days} days",
        "zh-CN": "，{days} 天后可再次询问",
    },
    # --- console1: the form builder ---
    "filter.channel": {"en": "Channel", "zh-CN": "渠道"},
    "channel.web": {"en": "web intercept", "zh-CN": "网页弹出"},
    "channel.link": {"en": "hosted link", "zh-CN": "托管链接"},
    "channel.qr": {"en": "QR code", "zh-CN": "二维码"},
    "channel.email": {"en": "e-mail", "zh-CN": "电子邮件"},
    "builder.form.json": {"en": "Advanced: edit as JSON", "zh-CN": "高级：以 JSON 编辑"},
    "builder.form.back": {"en": "Edit as a form", "zh-CN": "以表单编辑"},
    "builder.form.survey": {"en": "The survey", "zh-CN": "问卷"},
    "builder.form.id": {"en": "Survey id", "zh-CN": "问卷 ID"},
    "builder.form.id.help": {
        "en": "Lower-case letters, digits, - and _; it names the survey in files and links.",
        "zh-CN": "小写字母、数字、- 和 _；用于文件和链接中标识问卷。",
    },
    "builder.form.name": {"en": "Name", "zh-CN": "名称"},
    "builder.form.phase": {"en": "Phase", "zh-CN": "阶段"},
    "builder.form.phase.track": {
        "en": "Track & diagnose (1–2 questions)",
        "zh-CN": "跟踪与诊断（1–2 题）",
    },
    "builder.form.phase.deepdive": {
        "en": "Journey deep-dive (2–5 questions)",
        "zh-CN": "旅程深度调研（2–5 题）",
    },
    "builder.form.status": {"en": "Status", "zh-CN": "状态"},
    "builder.form.status.keep": {
        "en": "As it is (a new survey: active)",
        "zh-CN": "保持不变（新问卷：进行中）",
    },
    "builder.form.priority": {
        "en": "Priority (0–1000, higher first)",
        "zh-CN": "优先级（0–1000，越高越先）",
    },
    "builder.form.journey": {"en": "Journey", "zh-CN": "旅程"},
    "builder.form.default_locale": {"en": "Default language", "zh-CN": "默认语言"},
    "builder.form.locales": {"en": "Languages", "zh-CN": "语言"},
    "builder.form.locales.help": {
        "en": "Comma-separated, such as en, zh-CN, zh-TW.",
        "zh-CN": "以逗号分隔，例如 en, zh-CN, zh-TW。",
    },
    "builder.form.missing": {"en": "missing", "zh-CN": "缺少译文"},
    "builder.form.texts": {
        "en": "Texts around the questions (title, thanks …)",
        "zh-CN": "问题之外的文字（标题、致谢等）",
    },
    "builder.form.text.title": {"en": "Title", "zh-CN": "标题"},
    "builder.form.text.intro": {"en": "Introduction", "zh-CN": "引言"},
    "builder.form.text.thanks": {"en": "Thank-you message", "zh-CN": "致谢语"},
    "builder.form.text.next": {"en": "“Next” button", "zh-CN": "“下一步”按钮"},
    "builder.form.text.submit": {"en": "“Submit” button", "zh-CN": "“提交”按钮"},
    "builder.form.text.dismiss": {"en": "“Close” button", "zh-CN": "“关闭”按钮"},
    "builder.form.text.other": {"en": "“Other” choice", "zh-CN": "“其他”选项"},
    "builder.form.question": {"en": "Question {n}", "zh-CN": "第 {n} 题"},
    "builder.form.qid": {"en": "Question id", "zh-CN": "题目 ID"},
    "builder.form.type": {"en": "Type", "zh-CN": "题型"},
    "builder.form.qtype.nps": {"en": "NPS (0–10)", "zh-CN": "NPS（0–10）"},
    "builder.form.qtype.csat": {"en": "CSAT (1–5)", "zh-CN": "满意度 CSAT（1–5）"},
    "builder.form.qtype.ces": {"en": "CES (1–7)", "zh-CN": "费力度 CES（1–7）"},
    "builder.form.qtype.rating": {"en": "Rating", "zh-CN": "评分"},
    "builder.form.qtype.single": {"en": "Single choice", "zh-CN": "单选"},
    "builder.form.qtype.multi": {"en": "Multiple choice", "zh-CN": "多选"},
    "builder.form.qtype.text": {"en": "Open text", "zh-CN": "开放文本"},
    "builder.form.saves_as": {"en": "Saves as profile attribute", "zh-CN": "保存为画像属性"},
    "builder.form.saves_as.help": {
        "en": "Optional: lower-case letters, digits and _.",
        "zh-CN": "可选：小写字母、数字和 _。",
    },
    "builder.form.required": {"en": "Answer required", "zh-CN": "必答"},
    "builder.form.qtext": {"en": "Question text", "zh-CN": "题目文字"},
    "builder.form.options": {"en": "Options", "zh-CN": "选项"},
    "builder.form.option": {"en": "option {n}", "zh-CN": "选项 {n}"},
    "builder.form.code": {"en": "Code", "zh-CN": "代码"},
    "builder.form.label": {"en": "Label", "zh-CN": "标签"},
    "builder.form.add_option": {"en": "Add an option", "zh-CN": "添加选项"},
    "builder.form.other": {"en": "Offer “Other” with a text box", "zh-CN": "提供带文本框的“其他”"},
    "builder.form.scale": {"en": "Top of the scale (3–10)", "zh-CN": "量表上限（3–10）"},
    "builder.form.max_length": {"en": "Longest answer (characters)", "zh-CN": "最长回答（字符）"},
    "builder.form.branching": {"en": "Branching", "zh-CN": "跳转"},
    "builder.form.branch": {"en": "rule {n}", "zh-CN": "规则 {n}"},
    "builder.form.when": {"en": "When the answer", "zh-CN": "当回答"},
    "builder.form.when.equals": {"en": "is", "zh-CN": "等于"},
    "builder.form.when.in": {"en": "is one of", "zh-CN": "属于"},
    "builder.form.when.range": {"en": "is between", "zh-CN": "介于"},
    "builder.form.answer": {"en": "Answer", "zh-CN": "回答"},
    "builder.form.answer.help": {
        "en": "An option code or a score; for “one of”, comma-separated.",
        "zh-CN": "选项代码或分数；“属于”时以逗号分隔。",
    },
    "builder.form.min": {"en": "From", "zh-CN": "从"},
    "builder.form.max": {"en": "To", "zh-CN": "到"},
    "builder.form.goto": {"en": "Go to", "zh-CN": "跳到"},
    "builder.form.goto.end": {"en": "the end", "zh-CN": "结束"},
    "builder.form.add_branch": {"en": "Add a branching rule", "zh-CN": "添加跳转规则"},
    "builder.form.up": {"en": "Move up", "zh-CN": "上移"},
    "builder.form.down": {"en": "Move down", "zh-CN": "下移"},
    "builder.form.remove": {"en": "Remove", "zh-CN": "删除"},
    "builder.form.add_question": {"en": "Add a question", "zh-CN": "添加问题"},
    "builder.form.trigger": {"en": "When it shows", "zh-CN": "何时显示"},
    "builder.form.trigger.type": {"en": "Trigger", "zh-CN": "触发条件"},
    "builder.form.on.pageview": {"en": "On viewing a page", "zh-CN": "浏览页面时"},
    "builder.form.on.dwell": {"en": "After time on a page", "zh-CN": "在页面停留一段时间后"},
    "builder.form.on.exit_intent": {"en": "On exit intent", "zh-CN": "准备离开时"},
    "builder.form.on.event": {"en": "On a custom event", "zh-CN": "自定义事件发生时"},
    "builder.form.on.journey": {"en": "On a journey pattern", "zh-CN": "符合旅程模式时"},
    "builder.form.trigger.seconds": {"en": "Seconds on the page", "zh-CN": "页面停留秒数"},
    "builder.form.trigger.event": {"en": "Event name", "zh-CN": "事件名称"},
    "builder.form.trigger.urls": {"en": "Pages", "zh-CN": "页面"},
    "builder.form.trigger.steps": {"en": "Journey steps", "zh-CN": "旅程步骤"},
    "builder.form.lines.help": {
        "en": "One path pattern per line, such as /help/*; none: every page.",
        "zh-CN": "每行一个路径模式，例如 /help/*；留空表示所有页面。",
    },
    "builder.form.audience": {"en": "Who sees it", "zh-CN": "谁会看到"},
    "builder.form.sample": {"en": "Sample (% of visitors)", "zh-CN": "抽样（访客百分比）"},
    "builder.form.visitors": {"en": "Visitors", "zh-CN": "访客"},
    "builder.form.visitors.all": {"en": "New and returning", "zh-CN": "新访客和回访者"},
    "builder.form.visitors.new": {"en": "New only", "zh-CN": "仅新访客"},
    "builder.form.visitors.returning": {"en": "Returning only", "zh-CN": "仅回访者"},
    "builder.form.devices": {
        "en": "Devices (none ticked: every device)",
        "zh-CN": "设备（不勾选表示所有设备）",
    },
    "builder.form.has": {"en": "Has profile attributes", "zh-CN": "具有画像属性"},
    "builder.form.lacks": {"en": "Lacks profile attributes", "zh-CN": "缺少画像属性"},
    "builder.form.equals": {"en": "Profile attribute equals", "zh-CN": "画像属性等于"},
    "builder.form.equals.help": {"en": "One name=value per line.", "zh-CN": "每行一个 名称=值。"},
    "builder.form.schedule": {"en": "Schedule", "zh-CN": "时间安排"},
    "builder.form.start": {"en": "From", "zh-CN": "开始"},
    "builder.form.end": {"en": "Until", "zh-CN": "结束"},
    "builder.form.utc": {"en": "UTC; empty: no limit.", "zh-CN": "UTC 时间；留空表示不限。"},
    "builder.form.quota": {
        "en": "Stop after this many complete responses",
        "zh-CN": "完成答卷达到此数量后停止",
    },
    "builder.form.repetition": {"en": "How often", "zh-CN": "频率"},
    "builder.form.mode": {"en": "Ask", "zh-CN": "询问"},
    "builder.form.mode.once": {"en": "Once per visitor", "zh-CN": "每位访客一次"},
    "builder.form.mode.until_answered": {"en": "Until answered", "zh-CN": "直到回答"},
    "builder.form.mode.times": {"en": "A number of times", "zh-CN": "指定次数"},
    "builder.form.times": {"en": "Times", "zh-CN": "次数"},
    "builder.form.recontact": {"en": "Days before asking again", "zh-CN": "再次询问前的天数"},
}


def pick_locale(wanted: str | None, accepted: Iterable[str] = ()) -> str:
    """Return WANTED if it is a catalogue locale, else the first of ACCEPTED we have (``zh*``
    reads as zh-CN), else English."""
    if wanted in LOCALES:
        return wanted
    for tag in accepted:
        tag = tag.strip()
        if tag in LOCALES:
            return tag
        if tag.lower().startswith("zh"):
            return "zh-CN"
        if tag.lower().startswith("en"):
            return "en"
    return DEFAULT_LOCALE


def phrase(locale: str, key: str, **fields: object) -> str:
    """Return entry KEY in LOCALE (English if that locale lacks it), its fields filled in."""
    entry = PHRASES[key]
    template = entry.get(locale) or entry[DEFAULT_LOCALE]
    return template.format(**fields) if fields else template


__all__ = ["DEFAULT_LOCALE", "LOCALES", "LOCALE_NAMES", "PHRASES", "phrase", "pick_locale"]
