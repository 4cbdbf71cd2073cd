"""How well the lead score predicts conversion: ROC AUC of the score a lead had
``offset_days`` after its creation against what happened later.

Leakage-free by construction: only leads still open at the scoring day count (no first
order and, for the CRM outcome, not closed yet), and the score uses actions up to that day
only (``marts.mart_lead_score_history`` decayed to the scoring day).
Targets: ``converted`` = the catalogue's lead -> customer conversion (first order within
``lead_conversion_window_days``, ``marts.fct_lead.is_converted``; leads whose window is not
complete and leads of existing customers are left out); ``won`` = the CRM deal reached stage
``won``. Only leads whose customer has marketing consent (``fct_lead.has_marketing_consent``) are
scored at all, so only they are evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
from sklearn.metrics import roc_auc_score


@dataclass(frozen=True)
class ScoreAuc:
    target: str
    offset_days: int
    leads: int
    positives: int
    auc: float | None  # None when one class is missing


def lead_score_auc(con: duckdb.DuckDBPyConnection, offset_days: int, target: str) -> ScoreAuc:
    if target not in ("converted", "won"):
        raise ValueError(f"target must be 'converted' or 'won', got {target!r}")
    half_life = con.execute("select half_life_days from ml.lead_scoring_parameters").fetchone()[0]
    still_open = (
        "not leads.was_customer_at_creation and leads.is_window_complete"
        " and (leads.customer_first_order_at_utc is null or leads.customer_first_order_at_utc >= scoring_day.day_end)"
        if target == "converted"
        else "(leads.closed_at_utc is null or leads.closed_at_utc >= scoring_day.day_end)"
    )
    outcome = "leads.is_converted" if target == "converted" else "crm.stage = 'won'"
    frame = con.execute(
        f"""
        with leads as (select * from marts.fct_lead where has_marketing_consent),
        scoring_day as (
            select lead_id, cast(created_date_local + {int(offset_days)} as date) as score_day,
                   cast(created_date_local + {int(offset_days) + 1} as timestamp) as day_end
            from leads
        ),
        scored as (
            select
                leads.lead_id,
                any_value({outcome}) as outcome,
                coalesce(arg_max(history.lead_score * power(2.0, -date_diff('day', history.score_date,
                    scoring_day.score_day) / ?),
                                 history.score_date), 0) as score
            from leads
            join scoring_day using (lead_id)
            join intermediate.int_crm__leads as crm using (lead_id)
            left join marts.mart_lead_score_history as history
                on history.customer_id = leads.customer_id and history.score_date <= scoring_day.score_day
            where {still_open}
            group by leads.lead_id
        )
        select outcome, score from scored
        """,
        [half_life],
    ).df()
    positives = int(frame["outcome"].sum()) if len(frame) else 0
    auc = None
    if 0 < positives < len(frame):
        auc = float(roc_auc_score(frame["outcome"].astype(bool), frame["score"]))
    return ScoreAuc(target=target, offset_days=offset_days, leads=len(frame), positives=positives, auc=auc)
