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
    # scroll3: scroll-depth triggers
    "trigger.scroll": {
        "en": "after scrolling {percent}% of {pages}",
        "zh-CN": "在{pages}滚动到 {percent}% 后",
    },
    # trig3: the other triggers in words (cxlisten.surveys.words)
    "trigger.dwell_after": {
        "en": "after {seconds} s on {pages} after visiting {after}",
        "zh-CN": "访问过{after}后，在{pages}停留 {seconds} 秒后",
    },
    "trigger.visit": {
        "en": "on visit {visit} or later to {pages} in the session",
        "zh-CN": "在同一会话中第 {visit} 次（或之后）访问{pages}时",
    },
    "trigger.visit_days": {
        "en": "on visit {visit} or later to {pages} in the last {days} days",
        "zh-CN": "在最近 {days} 天内第 {visit} 次（或之后）访问{pages}时",
    },
    "trigger.frustration.rage": {
        "en": "after a rage click on {pages}",
        "zh-CN": "在{pages}狂点后",
    },
    "trigger.frustration.dead": {
        "en": "after a dead click on {pages}",
        "zh-CN": "在{pages}出现无效点击后",
    },
    "trigger.frustration.abandoned": {
        "en": "on {pages} after a form field was left unsent in the session",
        "zh-CN": "本次会话中有表单字段填写后未提交，再浏览{pages}时",
    },
    "trigger.slow_page": {
        "en": "when {metric} on {pages} is over {over}",
        "zh-CN": "当{pages}的 {metric} 超过 {over} 时",
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
    # --- console2: the three phases (home, track, deep-dive, activate, visitors, operations) ---
    "nav.home": {"en": "Home", "zh-CN": "首页"},
    "computed.at": {
        "en": "Figures computed at {at} (UTC); they are reused for {seconds} s.",
        "zh-CN": "数据计算于 {at}（UTC），{seconds} 秒内重复使用。",
    },
    "nav.track": {"en": "Track & diagnose", "zh-CN": "追踪与诊断"},
    "nav.activate": {"en": "Activate", "zh-CN": "激活"},
    "nav.visitors": {"en": "Visitors", "zh-CN": "访客"},
    "nav.operations": {"en": "Operations", "zh-CN": "运维"},
    "phase.activate": {"en": "activate & transform", "zh-CN": "激活与转化"},
    "status.enabled": {"en": "On", "zh-CN": "已启用"},
    "status.disabled": {"en": "Off", "zh-CN": "已停用"},
    "status.complete": {"en": "complete", "zh-CN": "已完成"},
    "status.partial": {"en": "partial", "zh-CN": "未完成"},
    "kind.survey": {"en": "Survey", "zh-CN": "问卷"},
    "kind.intervention": {"en": "Intervention", "zh-CN": "干预"},
    "kind.rule": {"en": "Rule", "zh-CN": "规则"},
    "confirm.needed": {
        "en": "Tick the box to confirm first.",
        "zh-CN": "请先勾选确认框。",
    },
    "col.arm": {"en": "Group", "zh-CN": "分组"},
    "col.attempt": {"en": "Attempt", "zh-CN": "第几次"},
    "col.attempts": {"en": "Attempts", "zh-CN": "尝试次数"},
    "col.attribute": {"en": "Attribute", "zh-CN": "属性"},
    "col.completion": {"en": "Completion", "zh-CN": "完成率"},
    "col.created": {"en": "Created", "zh-CN": "创建时间"},
    "col.dropoff": {"en": "Drop-off", "zh-CN": "流失率"},
    "col.dwell": {"en": "Median dwell vs norm", "zh-CN": "停留中位数与常态对比"},
    "col.endpoint": {"en": "Endpoint", "zh-CN": "接口"},
    "col.event": {"en": "Event", "zh-CN": "事件"},
    "col.events": {"en": "Events", "zh-CN": "事件"},
    "col.field": {"en": "Field", "zh-CN": "字段"},
    "col.goal_rate": {"en": "Goal rate (95% CI)", "zh-CN": "目标达成率（95% 置信区间）"},
    "col.journey": {"en": "Journey", "zh-CN": "路径"},
    "col.kind": {"en": "Kind", "zh-CN": "类型"},
    "col.last_error": {"en": "Last error", "zh-CN": "最近错误"},
    "col.last_used": {"en": "Last used", "zh-CN": "最近使用"},
    "col.level": {"en": "Level", "zh-CN": "层级"},
    "col.lift": {"en": "Lift vs holdout", "zh-CN": "相对对照组的提升"},
    "col.long_dwell": {"en": "Long dwell", "zh-CN": "长时间停留"},
    "col.measured": {"en": "Measured", "zh-CN": "测得值"},
    "col.name": {"en": "Name", "zh-CN": "名称"},
    "col.next_try": {"en": "Next try (UTC)", "zh-CN": "下次尝试（UTC）"},
    "col.page": {"en": "Page", "zh-CN": "页面"},
    "col.payload": {"en": "Payload (start)", "zh-CN": "请求内容（开头）"},
    "col.priority": {"en": "Priority", "zh-CN": "优先级"},
    "col.problem": {"en": "Problem", "zh-CN": "问题"},
    "col.provenance": {"en": "Where it came from", "zh-CN": "来源"},
    "col.reached": {"en": "Sessions reaching it", "zh-CN": "到达的会话"},
    "col.reason": {"en": "Reason", "zh-CN": "原因"},
    "col.rule": {"en": "Rule", "zh-CN": "规则"},
    "col.scope": {"en": "Scope", "zh-CN": "范围"},
    "col.sessions": {"en": "Sessions", "zh-CN": "会话"},
    "col.share": {"en": "Share", "zh-CN": "占比"},
    "col.signal": {"en": "Signal", "zh-CN": "信号"},
    "col.step": {"en": "Step", "zh-CN": "步骤"},
    "col.steps": {"en": "Steps", "zh-CN": "步骤"},
    "col.then": {"en": "Then", "zh-CN": "则"},
    "col.time": {"en": "Time (UTC)", "zh-CN": "时间（UTC）"},
    "col.updated": {"en": "Updated", "zh-CN": "更新时间"},
    "col.verdict": {"en": "Verdict", "zh-CN": "结论"},
    "col.visitor": {"en": "Visitor", "zh-CN": "访客"},
    "col.visitors": {"en": "Visitors", "zh-CN": "访客数"},
    "col.webhook": {"en": "Webhook", "zh-CN": "Webhook"},
    "col.weight": {"en": "Weight", "zh-CN": "权重"},
    "col.what": {"en": "What", "zh-CN": "内容"},
    "col.when": {"en": "When", "zh-CN": "条件"},
    "window.label": {"en": "Window", "zh-CN": "时间范围"},
    "window.today": {"en": "Today", "zh-CN": "今天"},
    "window.7d": {"en": "Last 7 days", "zh-CN": "最近 7 天"},
    "window.30d": {"en": "Last 30 days", "zh-CN": "最近 30 天"},
    "window.custom": {"en": "Custom (from – to)", "zh-CN": "自定义（起止日期）"},
    "window.from": {"en": "From", "zh-CN": "开始日期"},
    "window.to": {"en": "To", "zh-CN": "结束日期"},
    "window.apply": {"en": "Show", "zh-CN": "显示"},
    "window.custom_help": {
        "en": "Dates count with “Custom”.",
        "zh-CN": "选择“自定义”时使用日期。",
    },
    "window.shown": {
        "en": "Shown: {start} to {end} (UTC).",
        "zh-CN": "显示：{start} 至 {end}（UTC）。",
    },
    "home.title": {"en": "Home", "zh-CN": "首页"},
    "home.figures": {"en": "At a glance", "zh-CN": "概览"},
    "home.visitors": {"en": "Visitors", "zh-CN": "访客"},
    "home.sessions": {"en": "Sessions", "zh-CN": "会话"},
    "home.shown": {"en": "Surveys shown", "zh-CN": "问卷展示次数"},
    "home.answered": {"en": "Surveys answered", "zh-CN": "问卷回答次数"},
    "home.problems": {"en": "Most problematic journeys", "zh-CN": "问题最严重的路径"},
    "home.problems.none": {
        "en": "No journey scores as a problem in this window.",
        "zh-CN": "此时间范围内没有被判定为有问题的路径。",
    },
    "home.problem.line": {
        "en": "problem score {score}, failing at {step} ({sessions} sessions)",
        "zh-CN": "问题分 {score}，卡在 {step}（{sessions} 个会话）",
    },
    "home.trends": {"en": "NPS, CSAT and CES per day", "zh-CN": "每日 NPS、CSAT 和 CES"},
    "home.trends.none": {
        "en": "No score answers in this window.",
        "zh-CN": "此时间范围内没有评分回答。",
    },
    "home.as_table": {"en": "The numbers as a table", "zh-CN": "以表格查看数据"},
    "home.interval": {"en": "95% interval", "zh-CN": "95% 置信区间"},
    "home.live.title": {"en": "Events arriving now", "zh-CN": "实时到达的事件"},
    "home.live.help": {
        "en": "The newest events of the site, refreshed every {seconds} s.",
        "zh-CN": "本站点最新的事件，每 {seconds} 秒刷新一次。",
    },
    "home.live.none": {"en": "No events yet.", "zh-CN": "还没有事件。"},
    "track.title": {"en": "Track & diagnose", "zh-CN": "追踪与诊断"},
    "track.summary": {
        "en": "{sessions} sessions read ({bots} bot sessions left out). The site's median page "
        "dwell is {norm} s; over {long} s counts as long.",
        "zh-CN": "共读取 {sessions} 个会话（已排除 {bots} 个机器人会话）。本站页面停留中位数为 "
        "{norm} 秒，超过 {long} 秒视为长时间停留。",
    },
    "track.common": {"en": "Most common journeys", "zh-CN": "最常见的路径"},
    "track.none": {"en": "No sessions in this window.", "zh-CN": "此时间范围内没有会话。"},
    "track.problems": {"en": "Most problematic journeys", "zh-CN": "问题最严重的路径"},
    "track.problems.none": {
        "en": "No journey scores as a problem in this window.",
        "zh-CN": "此时间范围内没有被判定为有问题的路径。",
    },
    "track.score_help": {
        "en": "The problem score (0–100) weighs five signals; a journey scoring {threshold} or "
        "more is a problem.",
        "zh-CN": "问题分（0–100）由五个信号加权得出；达到 {threshold} 分即视为有问题。",
    },
    "track.score": {"en": "problem score {score}", "zh-CN": "问题分 {score}"},
    "track.breakdown": {"en": "The score by signal", "zh-CN": "各信号的得分"},
    "track.evidence": {
        "en": "Evidence (as `cxlisten track` prints it)",
        "zh-CN": "依据（与 `cxlisten track` 输出一致）",
    },
    "signal.drop": {"en": "Drop-off at the worst step", "zh-CN": "最差步骤的流失"},
    "signal.dwell": {"en": "Dwell over the step's norm", "zh-CN": "停留超过常态"},
    "signal.help": {"en": "Help-seeking", "zh-CN": "寻求帮助"},
    "signal.loops": {"en": "Loops (back and forth)", "zh-CN": "来回往返"},
    "signal.pulse": {"en": "Low pulse scores", "zh-CN": "脉搏问卷低分"},
    # scroll3: the problem score's behaviour signals in the console's breakdown
    "signal.frustration": {
        "en": "Frustration (rage, dead clicks, abandoned fields)",
        "zh-CN": "挫败信号（狂点、无效点击、放弃填写）",
    },
    "signal.slow": {"en": "Slow pages", "zh-CN": "页面过慢"},
    "signal.shallow": {"en": "Shallow scroll at the worst step", "zh-CN": "最差步骤的浅滚动"},
    "signal.unmeasured": {
        "en": "not measured (too few answers)",
        "zh-CN": "未测量（回答太少）",
    },
    "track.journeys": {"en": "Named journeys", "zh-CN": "已命名的路径"},
    "track.journey.line": {
        "en": "{sessions} sessions entered, {completion}% reached {goal}; problem score {score}.",
        "zh-CN": "{sessions} 个会话进入，{completion}% 到达 {goal}；问题分 {score}。",
    },
    "track.failing": {"en": "Failing step: {step}", "zh-CN": "失败步骤：{step}"},
    "track.failing.tag": {"en": "failing step", "zh-CN": "失败步骤"},
    "track.funnel": {"en": "Funnel of {journey}", "zh-CN": "{journey} 的漏斗"},
    "track.dwell_vs_norm": {
        "en": "{dwell} s (norm {norm} s)",
        "zh-CN": "{dwell} 秒（常态 {norm} 秒）",
    },
    "track.phase": {"en": "Phase", "zh-CN": "阶段"},
    "track.phase.label": {"en": "Phase of {journey}", "zh-CN": "{journey} 的阶段"},
    "track.phase.submit": {"en": "Move", "zh-CN": "切换"},
    "track.phase.now": {"en": "now", "zh-CN": "当前"},
    "track.phase.done": {
        "en": "{journey} is now in its {phase} phase.",
        "zh-CN": "{journey} 已进入{phase}阶段。",
    },
    "track.phase.turns_on.track": {
        "en": "Turns on the journey's pulse surveys.",
        "zh-CN": "启用该路径的脉搏问卷。",
    },
    "track.phase.turns_on.deepdive": {
        "en": "Turns on its deep-dive surveys and interventions (“Need more help?”).",
        "zh-CN": "启用其深度调研问卷和干预（“需要更多帮助吗？”）。",
    },
    "track.phase.turns_on.activate": {
        "en": "Turns on the rules tied to the journey (next best actions).",
        "zh-CN": "启用与该路径关联的规则（下一步最佳行动）。",
    },
    "track.phase.nothing": {
        "en": "Nothing tied to this phase yet.",
        "zh-CN": "此阶段尚无关联内容。",
    },
    "track.plan": {"en": "Plan a deep-dive", "zh-CN": "规划深度调研"},
    "track.plan.done": {
        "en": "Drafted the micro-survey “{survey}” (not published) and the paused intervention "
        "“{intervention}”.",
        "zh-CN": "已起草微型问卷“{survey}”（未发布）和已暂停的干预“{intervention}”。",
    },
    "track.deepdive_link": {"en": "Deep-dive results", "zh-CN": "深度调研结果"},
    "deepdive.title": {"en": "Deep-dive: {journey}", "zh-CN": "深度调研：{journey}"},
    "deepdive.back": {"en": "Back to track & diagnose", "zh-CN": "返回追踪与诊断"},
    "deepdive.phase": {
        "en": "The journey is in its {phase} phase.",
        "zh-CN": "该路径处于{phase}阶段。",
    },
    "deepdive.none": {
        "en": "No survey is tied to this journey yet: use “Plan a deep-dive”.",
        "zh-CN": "还没有与该路径关联的问卷：请使用“规划深度调研”。",
    },
    "deepdive.counts": {
        "en": "Shown {shown}, answered {answered}, complete {complete}",
        "zh-CN": "展示 {shown}，回答 {answered}，完成 {complete}",
    },
    "deepdive.results": {"en": "All results", "zh-CN": "全部结果"},
    "deepdive.reasons": {"en": "Top reasons, for a ticket", "zh-CN": "主要原因（可贴到工单）"},
    "deepdive.copy": {"en": "Copy", "zh-CN": "复制"},
    "activate.title": {"en": "Activate & transform", "zh-CN": "激活与转化"},
    "activate.help": {
        "en": "Rules in the order they are tried: the first with something to show wins the "
        "panel; a rule tied to a journey acts only while it is in its activate phase.",
        "zh-CN": "规则按尝试顺序排列：第一个有内容可展示的规则占用面板；"
        "与路径关联的规则仅在该路径处于激活阶段时生效。",
    },
    "activate.none": {"en": "No rules yet.", "zh-CN": "还没有规则。"},
    "level.reactive": {"en": "Reactive", "zh-CN": "响应式"},
    "level.choice": {"en": "Customer choice", "zh-CN": "客户自选"},
    "level.proactive": {"en": "Proactive", "zh-CN": "主动式"},
    "level.reactive.help": {
        "en": "responds to what the visitor reported",
        "zh-CN": "回应访客反馈的内容",
    },
    "level.choice.help": {
        "en": "offers the path the visitor picked",
        "zh-CN": "提供访客选择的路径",
    },
    "level.proactive.help": {
        "en": "picks what worked best for similar visitors",
        "zh-CN": "选择对相似访客最有效的方案",
    },
    "rule.new": {"en": "New rule", "zh-CN": "新建规则"},
    "rule.edit": {"en": "Edit rule {name}", "zh-CN": "编辑规则 {name}"},
    "rule.title": {"en": "Rule {name}", "zh-CN": "规则 {name}"},
    "rule.back": {"en": "Back to the rules", "zh-CN": "返回规则列表"},
    "rule.format_help": {
        "en": "The rule as JSON, the format of `cxlisten activate load` (docs/phases.md); "
        "checked exactly as the API checks it.",
        "zh-CN": "以 JSON 表示的规则，与 `cxlisten activate load` 的格式相同（docs/phases.md）；"
        "校验方式与 API 完全一致。",
    },
    "rule.json": {"en": "The rule as JSON", "zh-CN": "规则 JSON"},
    "rule.save": {"en": "Save rule", "zh-CN": "保存规则"},
    "rule.cancel": {"en": "Cancel", "zh-CN": "取消"},
    "rule.errors": {"en": "Nothing was saved:", "zh-CN": "未保存："},
    "rule.saved": {"en": "Rule saved.", "zh-CN": "规则已保存。"},
    "rule.deleted": {"en": "Rule {name} deleted.", "zh-CN": "规则 {name} 已删除。"},
    "rule.delete": {"en": "Delete rule", "zh-CN": "删除规则"},
    "rule.delete.confirm": {"en": "Yes, delete {name}", "zh-CN": "确定删除 {name}"},
    "rule.holdout": {"en": "{percent}% holdout", "zh-CN": "对照组 {percent}%"},
    "rule.holdout.label": {"en": "Holdout", "zh-CN": "对照组"},
    "rule.journey": {
        "en": "{journey} (acts only in its activate phase)",
        "zh-CN": "{journey}（仅在其激活阶段生效）",
    },
    "lift.title": {"en": "Lift", "zh-CN": "提升效果"},
    "lift.help": {
        "en": "How often visitors reached {goal} within 7 days of the decision: those shown the "
        "action against the holdout that saw nothing.",
        "zh-CN": "决策后 7 天内到达 {goal} 的比例：看到该行动的访客对比未看到任何内容的对照组。",
    },
    "lift.no_goal": {
        "en": "This rule has no journey, so no goal to measure lift against.",
        "zh-CN": "该规则没有关联路径，因此没有可衡量提升的目标。",
    },
    "lift.holdout": {"en": "Holdout (saw nothing)", "zh-CN": "对照组（未展示）"},
    "lift.shown": {"en": "Shown an action", "zh-CN": "看到行动"},
    "lift.table": {"en": "Goal rate per group", "zh-CN": "各组的目标达成率"},
    "lift.rate": {
        "en": "{value}% (95% CI {low}–{high}%)",
        "zh-CN": "{value}%（95% 置信区间 {low}–{high}%）",
    },
    "lift.points": {
        "en": "{value} pp (95% CI {low} to {high})",
        "zh-CN": "{value} 个百分点（95% 置信区间 {low} 至 {high}）",
    },
    "verdict.helps": {"en": "helps", "zh-CN": "有帮助"},
    "verdict.hurts": {"en": "hurts", "zh-CN": "有负面影响"},
    "verdict.no_evidence": {"en": "does not help (yet)", "zh-CN": "暂无帮助的证据"},
    "verdict.not_enough_data": {"en": "not enough data yet", "zh-CN": "数据尚不足"},
    "verdict.line.helps": {
        "en": "Verdict: it helps — the interval of the lift is above zero.",
        "zh-CN": "结论：有帮助——提升的置信区间高于零。",
    },
    "verdict.line.hurts": {
        "en": "Verdict: it hurts — the interval of the lift is below zero.",
        "zh-CN": "结论：有负面影响——提升的置信区间低于零。",
    },
    "verdict.line.no_evidence": {
        "en": "Verdict: no evidence that it helps — the interval of the lift includes zero.",
        "zh-CN": "结论：没有证据表明有帮助——提升的置信区间包含零。",
    },
    "verdict.line.not_enough_data": {
        "en": "Verdict: not enough data yet — one of the groups is empty.",
        "zh-CN": "结论：数据尚不足——其中一组没有访客。",
    },
    "verdict.needed": {
        "en": "About {n} more visitors per group would settle it if the rates hold.",
        "zh-CN": "若比率保持不变，每组约再需 {n} 位访客即可得出结论。",
    },
    "why.title": {"en": "Which rule would a visitor get?", "zh-CN": "访客会触发哪条规则？"},
    "why.visitor": {"en": "Visitor (id or token)", "zh-CN": "访客（ID 或令牌）"},
    "why.url": {"en": "Page (path or URL)", "zh-CN": "页面（路径或网址）"},
    "why.submit": {"en": "Explain", "zh-CN": "说明原因"},
    "why.result": {"en": "The decision", "zh-CN": "决策结果"},
    "why.gets": {
        "en": "They would get “{title}” from the rule {rule}.",
        "zh-CN": "该访客会看到规则 {rule} 的“{title}”。",
    },
    "why.nothing": {"en": "They would be shown nothing.", "zh-CN": "该访客不会看到任何内容。"},
    "why.holds": {"en": "holds", "zh-CN": "满足"},
    "why.fails": {"en": "does not hold", "zh-CN": "不满足"},
    "why.shown": {"en": "would show", "zh-CN": "会展示"},
    "why.not_shown": {"en": "would not show", "zh-CN": "不会展示"},
    "why.verdict.shown": {"en": "wins: its action is shown", "zh-CN": "胜出：展示其行动"},
    "why.verdict.holdout": {
        "en": "matches, but this visitor is in its holdout (shown nothing)",
        "zh-CN": "条件满足，但该访客属于对照组（不展示）",
    },
    "why.verdict.suppressed": {
        "en": "matches, but a higher rule took the panel (its other effects apply)",
        "zh-CN": "条件满足，但更高优先级的规则占用了面板（其他效果仍生效）",
    },
    "why.verdict.effects": {
        "en": "matches: only its effects apply (nothing to show)",
        "zh-CN": "条件满足：仅执行其效果（无可展示内容）",
    },
    "why.verdict.no_match": {"en": "a condition does not hold", "zh-CN": "有条件不满足"},
    "why.verdict.phase": {
        "en": "off: its journey is not in its activate phase",
        "zh-CN": "未生效：其路径不在激活阶段",
    },
    "why.verdict.disabled": {"en": "off: the rule is disabled", "zh-CN": "未生效：规则已停用"},
    "rw.always": {"en": "always", "zh-CN": "始终"},
    "rw.and": {"en": " and ", "zh-CN": "，并且"},
    "rw.equals": {"en": "is “{value}”", "zh-CN": "为“{value}”"},
    "rw.in": {"en": "is {values}", "zh-CN": "为 {values}"},
    "rw.absent": {"en": "is not known", "zh-CN": "未知"},
    "rw.exists": {"en": "is known", "zh-CN": "已知"},
    "rw.min": {"en": "at least {value}", "zh-CN": "至少 {value}"},
    "rw.max": {"en": "at most {value}", "zh-CN": "至多 {value}"},
    "rw.attribute": {"en": "their {name} {test}", "zh-CN": "其 {name} {test}"},
    "rw.answer": {
        "en": "their answer to {survey}/{question} {test}",
        "zh-CN": "其对 {survey}/{question} 的回答{test}",
    },
    "rw.score": {
        "en": "their latest {kind} score is {test}",
        "zh-CN": "其最近的 {kind} 分数{test}",
    },
    "rw.journey": {
        "en": "this session {state} the journey {journey}",
        "zh-CN": "本次会话{state}路径 {journey}",
    },
    "rw.step": {"en": " (furthest step {step})", "zh-CN": "（最远步骤 {step}）"},
    "rw.state.entered": {"en": "entered", "zh-CN": "进入了"},
    "rw.state.in_progress": {"en": "is part-way through", "zh-CN": "正在进行"},
    "rw.state.completed": {"en": "completed", "zh-CN": "完成了"},
    "rw.state.not_entered": {"en": "did not enter", "zh-CN": "未进入"},
    "rw.page": {"en": "on {pages}", "zh-CN": "在 {pages}"},
    "rw.kind.content": {"en": "content", "zh-CN": "内容"},
    "rw.kind.channel": {"en": "a channel", "zh-CN": "服务渠道"},
    "rw.show": {"en": "show {kind} “{title}”", "zh-CN": "展示{kind}“{title}”"},
    "rw.link": {"en": " linking to {url}", "zh-CN": "，链接到 {url}"},
    "rw.from_answer": {
        "en": "offer the path picked in {survey}/{question}: {paths}",
        "zh-CN": "根据 {survey}/{question} 的选择提供路径：{paths}",
    },
    "rw.choose": {
        "en": "choose what worked best for similar visitors: {options}",
        "zh-CN": "选择对相似访客最有效的：{options}",
    },
    "rw.set": {
        "en": "set {name} = “{value}” in the profile",
        "zh-CN": "在档案中设置 {name} =“{value}”",
    },
    "rw.webhook": {"en": "send the webhook event {event}", "zh-CN": "发送 Webhook 事件 {event}"},
    "visitors.title": {"en": "Visitors", "zh-CN": "访客"},
    "visitors.find": {"en": "Visitor id or token", "zh-CN": "访客 ID 或令牌"},
    "visitors.find.help": {
        "en": "An id as in the exports, or a visitor token (starts with {prefix}).",
        "zh-CN": "导出数据中的 ID，或访客令牌（以 {prefix} 开头）。",
    },
    "visitors.open": {"en": "Open", "zh-CN": "打开"},
    "visitors.unknown": {"en": "No such visitor on this site.", "zh-CN": "此站点没有该访客。"},
    "visitors.attribute": {"en": "Attribute name", "zh-CN": "属性名"},
    "visitors.value": {"en": "Value", "zh-CN": "值"},
    "visitors.search": {"en": "Find who told us", "zh-CN": "查找告知过的访客"},
    "visitors.none": {"en": "Nobody has this attribute.", "zh-CN": "没有访客具有该属性。"},
    "visitors.erased": {
        "en": "Visitor {visitor} erased ({rows} rows).",
        "zh-CN": "访客 {visitor} 已删除（{rows} 行）。",
    },
    "visitor.title": {"en": "Visitor {visitor}", "zh-CN": "访客 {visitor}"},
    "visitor.back": {"en": "Find another visitor", "zh-CN": "查找其他访客"},
    "visitor.summary": {
        "en": "{sessions} sessions, {events} events; first seen {first}, last seen {last} (UTC).",
        "zh-CN": "{sessions} 个会话，{events} 个事件；首次访问 {first}，最近访问 {last}（UTC）。",
    },
    "visitor.profile": {"en": "What they told us", "zh-CN": "访客告知的信息"},
    "visitor.profile.none": {"en": "Nothing yet.", "zh-CN": "暂无。"},
    "visitor.from_answer": {
        "en": "answer to {survey} v{version}, question {question}, {at}",
        "zh-CN": "来自 {survey} v{version} 的问题 {question}，{at}",
    },
    "visitor.from_rule": {
        "en": "set by the rule {rule}, {at}",
        "zh-CN": "由规则 {rule} 设置，{at}",
    },
    "visitor.sessions": {"en": "Sessions", "zh-CN": "会话"},
    "visitor.sessions.none": {"en": "No sessions.", "zh-CN": "没有会话。"},
    "visitor.session.counts": {
        "en": "surveys shown {shown}, answered {answered}, dismissed {dismissed}",
        "zh-CN": "问卷展示 {shown}，回答 {answered}，关闭 {dismissed}",
    },
    "visitor.dwell": {"en": "{seconds} s", "zh-CN": "{seconds} 秒"},
    "visitor.seen": {"en": "Surveys and interventions seen", "zh-CN": "看到的问卷和干预"},
    "visitor.seen.none": {"en": "None yet.", "zh-CN": "暂无。"},
    "visitor.responses": {"en": "Responses", "zh-CN": "回答"},
    "visitor.why": {"en": "Why (not) on a page", "zh-CN": "在某页面为何（不）展示"},
    "visitor.erase": {"en": "Erase this visitor", "zh-CN": "删除该访客"},
    "visitor.erase.help": {
        "en": "Deletes their events, sessions, responses, answers and attributes. "
        "It cannot be undone.",
        "zh-CN": "删除其事件、会话、回答、答案和属性。此操作无法撤销。",
    },
    "visitor.erase.confirm": {
        "en": "Yes, erase everything about {visitor}",
        "zh-CN": "确定删除 {visitor} 的全部数据",
    },
    "visitor.erase.submit": {"en": "Erase", "zh-CN": "删除"},
    "ops.title": {"en": "Operations", "zh-CN": "运维"},
    "ops.webhooks": {"en": "Webhooks", "zh-CN": "Webhook"},
    "ops.webhooks.none": {
        "en": "No webhook endpoints (add one with `cxlisten webhooks add`).",
        "zh-CN": "没有 Webhook 端点（使用 `cxlisten webhooks add` 添加）。",
    },
    "ops.all_events": {"en": "every event", "zh-CN": "所有事件"},
    "ops.messages": {"en": "Messages", "zh-CN": "消息"},
    "ops.messages.none": {"en": "No messages.", "zh-CN": "没有消息。"},
    "ops.status.pending": {"en": "pending", "zh-CN": "待发送"},
    "ops.status.delivered": {"en": "delivered", "zh-CN": "已送达"},
    "ops.retry": {"en": "Retry now", "zh-CN": "立即重试"},
    "ops.retried": {
        "en": "Message {message} is being retried.",
        "zh-CN": "消息 {message} 正在重试。",
    },
    "ops.log": {"en": "Delivery log", "zh-CN": "投递日志"},
    "ops.log.none": {"en": "No delivery attempts yet.", "zh-CN": "还没有投递记录。"},
    "ops.refused": {"en": "Refused payloads", "zh-CN": "被拒绝的请求"},
    "ops.refused.none": {"en": "Nothing refused.", "zh-CN": "没有被拒绝的请求。"},
    "ops.site": {"en": "Site settings", "zh-CN": "站点设置"},
    "ops.origins": {"en": "Allowed origins, one per line", "zh-CN": "允许的来源，每行一个"},
    "ops.origins.help": {
        "en": "Such as https://shop.example: pages there may send events.",
        "zh-CN": "例如 https://shop.example：这些来源的页面可以发送事件。",
    },
    "ops.origins.needed": {"en": "at least one origin", "zh-CN": "至少一个来源"},
    "ops.contact_sessions": {"en": "Surveys per session", "zh-CN": "每个会话的问卷数"},
    "ops.contact_days": {"en": "Days between surveys", "zh-CN": "两次问卷的间隔天数"},
    "ops.contact.help": {
        "en": "The contact budget; empty: the deployment's setting.",
        "zh-CN": "打扰预算；留空则使用部署的设置。",
    },
    "ops.number": {
        "en": "a whole number from {low} to {high}",
        "zh-CN": "{low} 到 {high} 之间的整数",
    },
    "ops.dnt": {
        "en": "Honour Do Not Track and Global Privacy Control",
        "zh-CN": "遵守“请勿追踪”和全球隐私控制",
    },
    "ops.site.save": {"en": "Save settings", "zh-CN": "保存设置"},
    "ops.site.saved": {"en": "Site settings saved.", "zh-CN": "站点设置已保存。"},
    "ops.keys": {"en": "Admin keys", "zh-CN": "管理密钥"},
    "ops.key.new": {"en": "New admin key", "zh-CN": "新建管理密钥"},
    "ops.key.create": {"en": "Create key", "zh-CN": "创建密钥"},
    "ops.key.created": {"en": "Key created ({scope}).", "zh-CN": "密钥已创建（{scope}）。"},
    "ops.key.the_key": {"en": "The key", "zh-CN": "密钥"},
    "ops.key.yours": {"en": "this session's key", "zh-CN": "当前会话使用的密钥"},
    "ops.key.scope.site": {"en": "key of the site {site}", "zh-CN": "站点 {site} 的密钥"},
    "ops.key.revoke": {"en": "Revoke", "zh-CN": "撤销"},
    "ops.key.revoke.confirm": {"en": "Yes, revoke {name}", "zh-CN": "确定撤销 {name}"},
    "ops.key.revoked": {"en": "Key {id} revoked.", "zh-CN": "密钥 {id} 已撤销。"},
    # --- customers and channels (branch customers2) ---
    "nav.customers": {"en": "Customers", "zh-CN": "客户"},
    "customers.title": {"en": "Customers", "zh-CN": "客户"},
    "customers.help": {
        "en": "People your site's backend vouched for with a signed identify call, or reached "
        "with a personal survey link: one customer, many devices.",
        "zh-CN": "由网站后端通过签名的 identify 调用确认的用户，或通过个人问卷链接联系到的用户："
        "一位客户，多台设备。",
    },
    "customers.search": {"en": "Customer id starts with", "zh-CN": "客户编号开头为"},
    "customers.find": {"en": "Find", "zh-CN": "查找"},
    "customers.none": {"en": "No customers found.", "zh-CN": "没有找到客户。"},
    "customers.devices": {
        "en": "{linked} linked of {devices}",
        "zh-CN": "{devices} 台中 {linked} 台仍关联",
    },
    "col.customer": {"en": "Customer", "zh-CN": "客户"},
    "col.devices": {"en": "Devices", "zh-CN": "设备"},
    "col.last_linked": {"en": "Last linked", "zh-CN": "最近关联"},
    "col.channel": {"en": "Channel", "zh-CN": "渠道"},
    "col.complete": {"en": "Complete", "zh-CN": "已完成"},
    "col.csat": {"en": "CSAT (share satisfied)", "zh-CN": "CSAT（满意占比）"},
    "col.device_visitor": {"en": "Device (visitor)", "zh-CN": "设备（访客）"},
    "col.via": {"en": "Linked by", "zh-CN": "关联方式"},
    "col.linked": {"en": "Linked", "zh-CN": "关联时间"},
    "col.unlinked": {"en": "Unlinked", "zh-CN": "解除关联"},
    "col.value": {"en": "Value", "zh-CN": "值"},
    "col.source": {"en": "From survey / question", "zh-CN": "来源问卷 / 问题"},
    "col.records": {"en": "Records", "zh-CN": "记录数"},
    "col.open": {"en": "Open", "zh-CN": "未结"},
    "col.amount": {"en": "Amount", "zh-CN": "金额"},
    "col.first": {"en": "First", "zh-CN": "最早"},
    "col.last": {"en": "Last", "zh-CN": "最近"},
    "via.identify": {"en": "signed in (identify)", "zh-CN": "登录（identify）"},
    "via.link": {"en": "personal survey link", "zh-CN": "个人问卷链接"},
    "customer.title": {"en": "Customer {customer}", "zh-CN": "客户 {customer}"},
    "customer.open": {"en": "The customer", "zh-CN": "查看客户"},
    "customer.devices": {"en": "Linked devices", "zh-CN": "关联的设备"},
    "customer.still_linked": {"en": "still linked", "zh-CN": "仍关联"},
    "customer.profile": {
        "en": "Profile: what they told (newest answer wins)",
        "zh-CN": "画像：客户告诉我们的（以最新回答为准）",
    },
    "customer.no_attributes": {"en": "Nothing told yet.", "zh-CN": "尚无信息。"},
    "customer.history": {
        "en": "Every answer, from every device ({n})",
        "zh-CN": "所有设备上的全部回答（{n}）",
    },
    "customer.responses": {"en": "Responses", "zh-CN": "回答"},
    "customer.no_responses": {"en": "No responses yet.", "zh-CN": "尚无回答。"},
    "customer.operational": {"en": "Operational records", "zh-CN": "业务记录"},
    "customer.no_operational": {
        "en": "No operational records (`cxlisten import`).",
        "zh-CN": "没有业务记录（`cxlisten import`）。",
    },
    "customer.link": {"en": "A personal survey link", "zh-CN": "个人问卷链接"},
    "channels.title": {"en": "Channels: {name}", "zh-CN": "渠道：{name}"},
    "channels.open": {"en": "Channels and links", "zh-CN": "渠道与链接"},
    "channels.results": {"en": "Results", "zh-CN": "结果"},
    "channels.split": {"en": "Results by channel", "zh-CN": "按渠道的结果"},
    "channels.help": {
        "en": "Web intercept: the survey on your site. Hosted link, QR code, e-mail: its own page "
        "(/s/…), tagged with the link's source. Scores with their 95% interval.",
        "zh-CN": "网页拦截：网站上的问卷。托管链接、二维码、邮件：问卷的独立页面（/s/…），"
        "按链接来源标记。分数附 95% 置信区间。",
    },
    "channels.none": {"en": "No responses yet.", "zh-CN": "尚无回答。"},
    "link.title": {"en": "Survey links and QR codes", "zh-CN": "问卷链接与二维码"},
    "link.form": {"en": "Make a link and its QR code", "zh-CN": "生成链接及其二维码"},
    "link.another": {"en": "Make another link", "zh-CN": "再生成一个链接"},
    "link.source": {"en": "Source (channel)", "zh-CN": "来源（渠道）"},
    "link.source.help": {
        "en": "qr, email, link, or any name of letters, digits and _ . - (at most 32).",
        "zh-CN": "qr、email、link，或由字母、数字和 _ . - 组成的名称（最多 32 个字符）。",
    },
    "link.customer": {"en": "Customer id (optional)", "zh-CN": "客户编号（可选）"},
    "link.customer.help": {
        "en": "A personal link: the answers land on this customer's profile.",
        "zh-CN": "个人链接：回答会记入该客户的画像。",
    },
    "link.expires": {"en": "A personal link expires after", "zh-CN": "个人链接有效期"},
    "link.expires.help": {
        "en": "A number and m, h, d or w: 30m, 12h, 14d, 2w.",
        "zh-CN": "数字加 m、h、d 或 w：30m、12h、14d、2w。",
    },
    "link.make": {"en": "Make the link", "zh-CN": "生成链接"},
    "link.invalid": {
        "en": "The link could not be made: see the fields below.",
        "zh-CN": "无法生成链接：请查看下方字段。",
    },
    "link.made": {"en": "The link", "zh-CN": "链接"},
    "link.made.personal": {
        "en": "A personal link for {customer} (valid {expires})",
        "zh-CN": "{customer} 的个人链接（有效期 {expires}）",
    },
    "link.address": {"en": "Address", "zh-CN": "地址"},
    "link.open": {"en": "Open the survey page", "zh-CN": "打开问卷页面"},
    "link.qr.alt": {"en": "QR code of {link}", "zh-CN": "{link} 的二维码"},
    "link.qr.caption": {
        "en": "Print it on a receipt, a parcel or a shelf: it opens the link.",
        "zh-CN": "印在小票、包裹或货架上：扫码即打开链接。",
    },
    "link.download.svg": {"en": "Download the QR code (SVG)", "zh-CN": "下载二维码（SVG）"},
    "link.download.png": {"en": "Download the QR code (PNG)", "zh-CN": "下载二维码（PNG）"},
    "link.no_surveys": {
        "en": "No active survey: only an active survey has a hosted page.",
        "zh-CN": "没有进行中的问卷：只有进行中的问卷才有托管页面。",
    },
    "link.inactive": {
        "en": "This survey is not active: its hosted page refuses answers, so it has no link.",
        "zh-CN": "此问卷未在进行中：其托管页面不接受回答，因此没有链接。",
    },
    "customer.erase": {"en": "Erase this customer", "zh-CN": "删除此客户"},
    "customer.erase.help": {
        "en": "Deletes what every linked device sent and answered, the links and the "
        "operational records. It cannot be undone.",
        "zh-CN": "删除所有关联设备发送和回答的数据、关联关系和业务记录。此操作无法撤销。",
    },
    "customer.erase.confirm": {
        "en": "Type the customer id to confirm",
        "zh-CN": "输入客户编号以确认",
    },
    "customer.erase.submit": {"en": "Erase everything", "zh-CN": "全部删除"},
    "customer.erased": {
        "en": "Customer {customer} was erased.",
        "zh-CN": "客户 {customer} 已删除。",
    },
    # --- end of customers2's block ---
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
    # trig3: the fields of the visit, frustration, slow-page and scroll triggers, dwell's "after"
    "builder.form.on.visit": {"en": "On the Nth visit to a page", "zh-CN": "第 N 次访问页面时"},
    "builder.form.on.frustration": {"en": "On a frustration signal", "zh-CN": "出现挫败信号时"},
    "builder.form.on.slow_page": {"en": "On a slow page", "zh-CN": "页面过慢时"},
    "builder.form.on.scroll": {"en": "After scrolling a page", "zh-CN": "滚动页面后"},
    "builder.form.trigger.percent": {"en": "Scrolled this deep (%)", "zh-CN": "滚动深度（%）"},
    "builder.form.trigger.visit": {"en": "From visit number", "zh-CN": "从第几次访问起"},
    "builder.form.trigger.days": {"en": "Counted over days", "zh-CN": "统计天数"},
    "builder.form.trigger.days.help": {
        "en": "Empty: visits in this session only; N: over the sessions of the last N days.",
        "zh-CN": "留空：仅统计本次会话的访问；填 N：统计最近 N 天内的会话。",
    },
    "builder.form.trigger.signal": {"en": "Signal", "zh-CN": "信号"},
    "builder.form.signal.rage": {"en": "Rage click", "zh-CN": "狂点"},
    "builder.form.signal.dead": {"en": "Dead click", "zh-CN": "无效点击"},
    "builder.form.signal.abandoned": {
        "en": "Form field left unsent (earlier in the session)",
        "zh-CN": "表单字段填写后未提交（本次会话中较早时）",
    },
    "builder.form.trigger.metric": {"en": "Speed metric", "zh-CN": "速度指标"},
    "builder.form.trigger.over": {
        "en": "Over (ms; for CLS the score)",
        "zh-CN": "超过（毫秒；CLS 为分数）",
    },
    "builder.form.trigger.after": {"en": "Only after visiting", "zh-CN": "仅在访问过以下页面后"},
    "builder.form.trigger.after.help": {
        "en": "Optional: one path pattern per line, * as wildcard; empty: after any page.",
        "zh-CN": "可选：每行一个路径模式，* 为通配符；留空：任意页面之后均可。",
    },
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
    # --- sig3: interventions' holdout lift on the activate page ---
    "activate.interventions": {
        "en": "Interventions with a holdout",
        "zh-CN": "设有对照组的干预",
    },
    "activate.interventions.help": {
        "en": "Eligible visitors held back from each intervention, against those shown it: how "
        "often each group reached the goal afterwards (95% intervals).",
        "zh-CN": "每个干预中被保留（未展示）的合格访客与看到干预的访客相比：之后各组达成目标的比例"
        "（95% 区间）。",
    },
    "col.intervention": {"en": "Intervention", "zh-CN": "干预"},
    "col.goal": {"en": "Goal", "zh-CN": "目标"},
    # --- c15: the builder's scale end labels and description ---
    "builder.form.description": {"en": "Description", "zh-CN": "说明"},
    "builder.form.description.help": {
        "en": "For your team: what the survey is for. Visitors never see it.",
        "zh-CN": "写给团队：这份问卷的用途。访客看不到。",
    },
    "builder.form.labels.min": {
        "en": "Label of the scale's low end (e.g. Not likely)",
        "zh-CN": "量表低端标签（如：不太可能）",
    },
    "builder.form.labels.max": {
        "en": "Label of the scale's high end (e.g. Very likely)",
        "zh-CN": "量表高端标签（如：非常可能）",
    },
    # --- end of c15's block ---
    # --- c16: evidence lines of the problem score (cxlisten.diagnose) and "why not" reasons
    # (cxlisten.surveys.targeting), typed as cxlisten.results.Message: the English is what the
    # CLI prints, word for word.
    "evidence.drop": {
        "en": "{share} of the {sessions} sessions that reached {step} left before the next step",
        "zh-CN": "到达 {step} 的 {sessions} 个会话中，{share} 在下一步之前离开",
    },
    "evidence.drop_others": {
        "en": "{share} of the {sessions} sessions that reached {step} left before the next step "
        "(other steps lose {others} on average)",
        "zh-CN": "到达 {step} 的 {sessions} 个会话中，{share} 在下一步之前离开"
        "（其他步骤平均流失 {others}）",
    },
    "evidence.dwell": {
        "en": "{share} of visits to {step} dwelt over {long} ({factor}× the site's median page "
        "dwell of {norm}); median here {median}",
        "zh-CN": "{step} 的访问中有 {share} 停留超过 {long}（网站页面停留中位数 {norm} 的 "
        "{factor} 倍）；此处中位数为 {median}",
    },
    "evidence.dwell_floor": {
        "en": "{share} of visits to {step} dwelt over {long} (the site's median page dwell is "
        "{norm}); median here {median}",
        "zh-CN": "{step} 的访问中有 {share} 停留超过 {long}（网站页面停留中位数为 {norm}）；"
        "此处中位数为 {median}",
    },
    "evidence.help": {
        "en": "{share} of sessions sought help inside the journey "
        "(help pages or 'Need more help?')",
        "zh-CN": "{share} 的会话在旅程中寻求帮助（帮助页面或“需要更多帮助吗？”）",
    },
    "evidence.loops": {
        "en": "{share} of sessions went back and forth between its steps",
        "zh-CN": "{share} 的会话在旅程的步骤之间来回往返",
    },
    "evidence.rage": {
        "en": "{share} of sessions rage-clicked the {element} on {step}",
        "zh-CN": "{share} 的会话在 {step} 上连续猛点{element}",
    },
    "evidence.dead": {
        "en": "{share} of sessions clicked the {element} on {step} and nothing happened "
        "(dead click)",
        "zh-CN": "{share} 的会话点击了 {step} 上的{element}，但没有任何反应（无效点击）",
    },
    "evidence.abandoned": {
        "en": "{share} of sessions typed in the {element} on {step} and left without submitting",
        "zh-CN": "{share} 的会话在 {step} 的{element}中输入后未提交就离开了",
    },
    "evidence.element.named": {"en": "*{text}* {noun}", "zh-CN": "“{text}”{noun}"},
    "evidence.element.target": {"en": "{noun} {target}", "zh-CN": "{noun} {target}"},
    "evidence.noun.link": {"en": "link", "zh-CN": "链接"},
    "evidence.noun.button": {"en": "button", "zh-CN": "按钮"},
    "evidence.noun.field": {"en": "field", "zh-CN": "输入框"},
    "evidence.noun.element": {"en": "element", "zh-CN": "元素"},
    "evidence.slow": {
        "en": "p75 {metric} on {step} is {value}, poor (over {threshold}); {share} of its "
        "{visits} measured visits were poor",
        "zh-CN": "{step} 的 p75 {metric} 为 {value}，属于“差”（超过 {threshold}）；"
        "其 {visits} 次有测量的访问中 {share} 为“差”",
    },
    "evidence.pulse": {
        "en": "{share} of {answers} pulse answers in these sessions were low",
        "zh-CN": "这些会话的 {answers} 个脉搏回答中，{share} 为低分",
    },
    "evidence.goal": {
        "en": "{share} of {sessions} sessions reached {goal}",
        "zh-CN": "{sessions} 个会话中有 {share} 到达了 {goal}",
    },
    # trig3 (scroll3's shallow signal): the evidence line of shallow scroll (cxlisten.scrolldepth)
    "evidence.shallow": {
        "en": "{share} of visits to {step} never scrolled past {depth} of the page "
        "({site} of the site's page views)",
        "zh-CN": "{step} 的访问中有 {share} 从未滚动超过页面的 {depth}（全站页面浏览为 {site}）",
    },
    "why.reason": {"en": "{rule}: {detail}", "zh-CN": "{rule}：{detail}"},
    "why.all_matched": {"en": "shown: every rule matched", "zh-CN": "显示：所有规则都满足"},
    "why.rule.status": {"en": "status", "zh-CN": "状态"},
    "why.rule.dates": {"en": "dates", "zh-CN": "日期"},
    "why.rule.page": {"en": "page", "zh-CN": "页面"},
    "why.rule.bot": {"en": "bot", "zh-CN": "机器人"},
    "why.rule.device": {"en": "device", "zh-CN": "设备"},
    "why.rule.sample": {"en": "sample", "zh-CN": "抽样"},
    "why.rule.journey": {"en": "journey", "zh-CN": "旅程"},
    "why.rule.quota": {"en": "quota", "zh-CN": "配额"},
    "why.rule.journey_steps": {"en": "journey steps", "zh-CN": "旅程步骤"},
    "why.rule.visits": {"en": "visits", "zh-CN": "访问次数"},
    "why.rule.after_steps": {"en": "after steps", "zh-CN": "前置步骤"},
    "why.rule.visitors": {"en": "visitors", "zh-CN": "访客"},
    "why.rule.attributes": {"en": "attributes", "zh-CN": "属性"},
    "why.rule.repetition": {"en": "repetition", "zh-CN": "重复"},
    "why.rule.contact_budget": {"en": "contact budget", "zh-CN": "打扰预算"},
    "why.rule.abandoned_field": {"en": "abandoned field", "zh-CN": "放弃的表单字段"},
    "why.rule.holdout": {"en": "holdout", "zh-CN": "对照组"},
    "why.abandoned.none": {
        "en": "no form field abandoned in this session",
        "zh-CN": "本次会话没有放弃填写的表单字段",
    },
    "why.abandoned.a_field": {"en": "a field", "zh-CN": "一个字段"},
    "why.abandoned.seen": {
        "en": "this session abandoned {field} on {page}",
        "zh-CN": "本次会话在 {page} 放弃填写了 {field}",
    },
    "why.holdout.in": {
        "en": "in the {share}% holdout: eligible, not shown",
        "zh-CN": "在 {share}% 对照组中：符合条件，不显示",
    },
    "why.holdout.out": {"en": "not in the {share}% holdout", "zh-CN": "不在 {share}% 对照组中"},
    "why.status": {"en": "{status}", "zh-CN": "状态为 {status}"},
    "why.hosted": {
        "en": "{path} is the hosted page of {hosted}",
        "zh-CN": "{path} 是 {hosted} 的托管页面",
    },
    "why.dates.starts": {"en": "starts {start}", "zh-CN": "{start} 开始"},
    "why.dates.ended": {"en": "ended {end}", "zh-CN": "已于 {end} 结束"},
    "why.dates.within": {"en": "within its dates", "zh-CN": "在其日期范围内"},
    "why.dates.none": {"en": "no start or end date", "zh-CN": "没有开始或结束日期"},
    "why.page.matches": {"en": "{path} matches {urls}", "zh-CN": "{path} 匹配 {urls}"},
    "why.page.differs": {"en": "{path} does not match {urls}", "zh-CN": "{path} 不匹配 {urls}"},
    "why.every_page": {"en": "every page", "zh-CN": "所有页面"},
    "why.any_page": {"en": "any page", "zh-CN": "任意页面"},
    "why.bot.yes": {
        "en": "automated client: never surveyed",
        "zh-CN": "自动化客户端：从不调查",
    },
    "why.bot.session": {
        "en": "a visit flagged automated (no input over its pages, or a bot's request in it): "
        "never surveyed",
        "zh-CN": "被标记为自动化的访问（多个页面均无输入，或其中有机器人的请求）：从不调查",
    },
    "why.bot.no": {"en": "a person's browser", "zh-CN": "真人的浏览器"},
    "why.device": {"en": "{device}; wanted {devices}", "zh-CN": "{device}；要求 {devices}"},
    "why.sample.in": {
        "en": "visitor's point {point} < {sample}%",
        "zh-CN": "访客的抽样点 {point} < {sample}%",
    },
    "why.sample.out": {
        "en": "visitor's point {point} ≥ {sample}%",
        "zh-CN": "访客的抽样点 {point} ≥ {sample}%",
    },
    "why.journey.phase": {
        "en": "journey {journey} is in phase {phase}; this {kind} is for phase {wanted}",
        "zh-CN": "旅程 {journey} 处于 {phase} 阶段；此{kind}用于 {wanted} 阶段",
    },
    "why.journey.unknown": {
        "en": "journey {journey} is not a known journey; this {kind} is for phase {wanted}",
        "zh-CN": "旅程 {journey} 不是已知旅程；此{kind}用于 {wanted} 阶段",
    },
    "why.kind.survey": {"en": "survey", "zh-CN": "问卷"},
    "why.kind.intervention": {"en": "intervention", "zh-CN": "干预"},
    "why.quota.responses": {
        "en": "{got} of {quota} complete responses",
        "zh-CN": "已完成 {got}/{quota} 份答卷",
    },
    "why.quota.shown": {"en": "shown {got} of {quota} times", "zh-CN": "已显示 {got}/{quota} 次"},
    "why.steps.follow": {
        "en": "this session's steps follow {steps}",
        "zh-CN": "本次会话的步骤符合 {steps}",
    },
    "why.steps.differ": {
        "en": "this session's steps do not follow {steps}",
        "zh-CN": "本次会话的步骤不符合 {steps}",
    },
    "why.visits.session": {
        "en": "visit {visits} in this session to {urls}; shown from visit {wanted}",
        "zh-CN": "本次会话中第 {visits} 次访问 {urls}；从第 {wanted} 次访问起显示",
    },
    "why.visits.days": {
        "en": "visit {visits} in the last {days} days to {urls}; shown from visit {wanted}",
        "zh-CN": "最近 {days} 天内第 {visits} 次访问 {urls}；从第 {wanted} 次访问起显示",
    },
    "why.after.visited": {
        "en": "this session visited {after} before this page",
        "zh-CN": "本次会话在此页面之前访问过 {after}",
    },
    "why.after.missed": {
        "en": "this session did not visit {after} before this page",
        "zh-CN": "本次会话在此页面之前没有访问 {after}",
    },
    "why.visitors": {
        "en": "a {actual} visitor; wanted {wanted}",
        "zh-CN": "{actual}；要求{wanted}",
    },
    "why.visitor.new": {"en": "new", "zh-CN": "新访客"},
    "why.visitor.returning": {"en": "returning", "zh-CN": "回访者"},
    "why.list": {"en": "{items}", "zh-CN": "{items}"},
    "why.attributes.match": {"en": "profile attributes match", "zh-CN": "画像属性符合"},
    "why.attributes.lacks": {"en": "lacks {name}", "zh-CN": "缺少 {name}"},
    "why.attributes.has": {"en": "has {name}", "zh-CN": "具有 {name}"},
    "why.attributes.equals": {
        "en": "{name} is {value}, wanted {wanted}",
        "zh-CN": "{name} 为 {value}，要求 {wanted}",
    },
    "why.repetition.recent": {
        "en": "shown {day}; recontact after {days} days",
        "zh-CN": "已于 {day} 显示；{days} 天后才再次联系",
    },
    "why.repetition.once": {
        "en": "once per visitor, and already shown",
        "zh-CN": "每位访客一次，且已显示过",
    },
    "why.repetition.unseen": {"en": "not shown yet", "zh-CN": "尚未显示"},
    "why.repetition.recontact": {
        "en": "recontact after {days} days",
        "zh-CN": "{days} 天后再次联系",
    },
    "why.repetition.until": {
        "en": "until {verb}, and {verb} {day}",
        "zh-CN": "直到{verb}为止，且已于 {day} {verb}",
    },
    "why.repetition.not_yet": {
        "en": "not {verb} yet (shown {shown} times)",
        "zh-CN": "尚未{verb}（已显示 {shown} 次）",
    },
    "why.repetition.times": {
        "en": "shown {shown} of at most {times} times",
        "zh-CN": "已显示 {shown} 次，最多 {times} 次",
    },
    "why.verb.answered": {"en": "answered", "zh-CN": "回答"},
    "why.verb.clicked": {"en": "clicked", "zh-CN": "点击"},
    "why.budget.days": {
        "en": "a survey was shown {day}; at most one per {days} days",
        "zh-CN": "已于 {day} 显示过问卷；每 {days} 天最多一份",
    },
    "why.budget.slot": {
        "en": "{count} of {per_session} surveys this session; priority {priority}",
        "zh-CN": "本次会话第 {count}/{per_session} 份问卷；优先级 {priority}",
    },
    "why.budget.full": {
        "en": "{count} of {per_session} surveys shown this session",
        "zh-CN": "本次会话已显示 {count}/{per_session} 份问卷",
    },
    "why.budget.ahead": {
        "en": "higher priority first: {ahead} takes this session's {slots} remaining slot(s)",
        "zh-CN": "优先级更高者优先：{ahead} 占用了本次会话剩余的 {slots} 个名额",
    },
    # --- c18: a deep-dive's top reasons (cxlisten.deepdive), typed as cxlisten.results.Message:
    # the English is what the CLI prints, word for word; the options' labels, the themes and
    # the quotes are the survey author's and the visitors' own words.
    "reasons.choice": {
        "en": "{share}% (95% CI {low}–{high}%) of {answers} visitors who answered{where} "
        'chose "{label}".',
        "zh-CN": "{where}回答的 {answers} 位访客中，{share}%（95% 置信区间 {low}–{high}%）"
        "选择了“{label}”。",
    },
    "reasons.where.none": {"en": "", "zh-CN": ""},
    "reasons.where.step": {"en": " at {step}", "zh-CN": "在 {step} "},
    "reasons.where.journey": {"en": " in the {journey} journey", "zh-CN": "在 {journey} 旅程中"},
    "reasons.where.both": {
        "en": " at {step} in the {journey} journey",
        "zh-CN": "在 {journey} 旅程的 {step} ",
    },
    "reasons.theme": {
        "en": 'Open answers: {share}% of {answers} are about "{theme}" — e.g. {quotes}',
        "zh-CN": "开放回答：{answers} 条中有 {share}% 关于“{theme}”——例如 {quotes}",
    },
    "reasons.none": {"en": "No answers yet.", "zh-CN": "尚无回答。"},
    # where a rule's action shows (cxlisten.rule_words), one entry per PLACEMENTS
    "rw.placement": {"en": ", at the {where}", "zh-CN": "，显示在{where}"},
    "rw.placement.slot": {
        "en": ", in the page's slot {slot}",
        "zh-CN": "，显示在页面的插槽 {slot} 中",
    },
    "placement.bottom-right": {"en": "bottom right", "zh-CN": "右下角"},
    "placement.bottom-left": {"en": "bottom left", "zh-CN": "左下角"},
    "placement.top-right": {"en": "top right", "zh-CN": "右上角"},
    "placement.top-left": {"en": "top left", "zh-CN": "左上角"},
    "placement.center": {"en": "centre of the page", "zh-CN": "页面中央"},
    # --- end of c18's block ---
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
