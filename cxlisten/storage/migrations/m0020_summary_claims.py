"""Which finished day of a site has had its stored summaries built (``cxlisten.summaries``).

When a UTC day begins, the first batch of events of a site that a collector stores claims the
day here, once across every worker and collector (the primary key decides who claims it), and
that worker builds the stored summaries of the days before (``diagnosis_days``,
``exposure_outcomes``, m0018) after answering the batch, so no console visit has to.
"""


def up(db) -> None:
    db.execute(
        "CREATE TABLE summary_claims ("
        "site_id INTEGER NOT NULL REFERENCES sites(id), "
        "day INTEGER NOT NULL, "
        "claimed_at INTEGER NOT NULL, "
        "PRIMARY KEY (site_id, day))"
    )
