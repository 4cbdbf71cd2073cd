-- Social page and post counting metrics per platform and week (grain: period_start_date, platform).
{{ social_kpis('week') }}
