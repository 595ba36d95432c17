"""Names vulture (the dead-code check, ``python -m vulture``) cannot see used, and why.

Not imported by anything: vulture reads it as if it were code using these names.
"""
# ruff: noqa

# Gunicorn app strings ("bench.ingest:create_floor_app()") and tests/test_bench_ingest.py.
create_storeless_collector
create_floor_app

# Flask reads these settings and the per-request CORS origin (g.get("cors_origin")), werkzeug the
# request's own body limit, and the CORS hook g.get("cors_unresolved").
_.max_content_length
_.cors_unresolved
_.sort_keys
_.ensure_ascii
_.cors_origin

# click commands registered by the factory that returns them.
pause_command
resume_command
archive_command

# Dataclass fields that only reach JSON (cxlisten.results.to_json) or the public API.
share_of_entered
weights
dwell_factor
min_pulse
entered_at
predicted  # signals branch: cxlisten.predict results
respondents
calibration_error
min_auc
shallow_share  # trig3 (scroll3's shallow signal): StepFigures

# marshmallow fields: declared for validation (and OpenAPI), read by the schema, not by name.
as_
regex
channel
placement
from_answer
choose
webhook
enabled
referrer
viewport
visible_ms
total_ms
scroll
href
role
amount
has
lacks
equals
recontact_days
in_
saves_as
archived
after  # signals branch: trigger fields
visit
percent  # scroll3: the scroll trigger's field

# A compiled loader's reason for refusing a schema (read by tests/test_fastload.py).
_.refused

# Counters read by tests/corpora.AgentFigures' recall and false_rate (bench/useragents.py).
_.bots_flagged
_.humans_flagged

# Read by templates and the console's CSP hook (g.get("frameable")), or JSON only.
_.frameable
last_used_at
trend_metric
filtered
_.visitor_token  # read by the hosted page's template

# Result fields read by templates or given to users as JSON only (--json, the console).
trends
needs_improvement
site_median
answer_difference
completion_difference
# Read by the console's templates only.
_.shown_at
_.has_below
intervention_created
surveys_shown
surveys_answered

# A typed result's field, read by cxlisten.results.to_json (the JSON of GET /api/process-scores).
period_days

# real3: the dwell event's `input` field (a marshmallow field, read by name from the event by
# cxlisten.bots.no_input); Device Detector reads its parsers' DEVICE_PARSERS itself.
input
DEVICE_PARSERS

# psycopg reads a connection's prepare_threshold itself (None: storage.pipeline prepares instead).
prepare_threshold
