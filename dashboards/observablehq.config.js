// Observable Framework configuration of the KPI dashboards (see README.md in this folder).
export default {
  title: "CRM KPI dashboards",
  root: "src",
  style: "style.css",
  pages: [
    {name: "KPI funnel", path: "/"},
    {name: "Journey funnel by cohort", path: "/journey"},
    {name: "Channel KPIs over time", path: "/channels"},
    {name: "Campaign ROI by attribution model", path: "/campaign-roi"},
    {name: "CAC and CLV ÷ CAC by channel", path: "/cac-clv"},
    {name: "NPS and sentiment", path: "/nps-sentiment"},
    {name: "Lead priority A1–D4", path: "/lead-priority"}
  ],
  pager: true,
  search: false,
  toc: true,
  footer: "Built from the published warehouse marts (Parquet). Definitions: each mart's YAML in dbt/models/marts/."
};
