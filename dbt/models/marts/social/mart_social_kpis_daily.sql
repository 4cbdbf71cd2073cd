-- Social page and post counting metrics per platform and day (grain: period_start_date, platform).
{{ social_kpis('day') }}
