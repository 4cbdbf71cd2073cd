-- Social page and post counting metrics per platform and month (grain: period_start_date, platform).
{{ social_kpis('month') }}
