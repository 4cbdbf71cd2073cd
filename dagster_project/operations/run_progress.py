"""What ``crm-warehouse run`` prints: one line per step, and on failure what failed and why.

``RunProgress`` receives the run's event log entries as they are stored (a listener on the
Dagster instance, see ``cli.run``), so the lines are live:

    step 12 of 251  raw  raw__shop_orders  ok  0.4s

Everything else (Dagster's full log, dbt's per-node lines) goes to the run's log file. At
the end, ``summary_lines`` names the failed steps (with their error) and failed checks: for a
blocking gate the table, each failed expectation with its column and sample values, and the
``file`` / ``line`` / ``row_key`` when the check's metadata carries them, then the SQL that
shows the details in ``audit.data_quality_results``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TextIO

LOCATION_KEYS = ("file", "line", "record", "row_key")


def format_step_line(k: int, n: int, label: str, step_key: str, status: str, elapsed_s: float | None) -> str:
    elapsed = f"{elapsed_s:.1f}s" if elapsed_s is not None else "-"
    return f"step {k:>{len(str(n))}} of {n}  {label}  {step_key}  {status}  {elapsed}"


def step_labels(job_def: Any, asset_graph: Any) -> dict[str, str]:
    """Step key -> the group of the assets it builds or checks ("check <group>" for check steps)."""
    from dagster._core.definitions.dependency import NodeHandle

    labels: dict[str, str] = {}
    layer = job_def.asset_layer
    for node in job_def.graph.nodes:
        try:
            assets_def = layer.get_assets_def_for_node(NodeHandle(node.name, None))
        except Exception:
            assets_def = None
        if assets_def is None:
            labels[node.name] = "op"
            continue
        keys = list(assets_def.keys)
        checks_only = not keys
        if checks_only:
            keys = sorted({check.asset_key for check in assets_def.check_keys}, key=lambda k: k.to_user_string())
        groups = sorted({asset_graph.get(key).group_name for key in keys if asset_graph.has(key)} - {None})
        if len(groups) > 1 and node.name.startswith("dbt_"):
            label = "dbt"  # a dbt layer builds models of several folders (groups); the step names the layer
        else:
            label = "+".join(groups) if len(groups) <= 2 else f"{groups[0]}+{len(groups) - 1} groups"
        labels[node.name] = f"check {label}" if checks_only else (label or "assets")
    return labels


def _value(metadata_value: Any) -> Any:
    return getattr(metadata_value, "value", metadata_value)


def _sample(entry: Mapping[str, Any]) -> Any:
    for key in ("partial_unexpected", "sample", "sample_values", "unexpected_values"):
        if entry.get(key):
            return entry[key]
    return None


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def step_error_summary(message: str) -> str:
    """The first line of a step's error, plus what dbt said failed ("Failure in test ...", "Database Error ...")."""
    lines = [_ANSI.sub("", line).strip() for line in message.strip().splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        return ""
    head = lines[0].removeprefix("dagster_dbt.errors.")
    if "Errors parsed from dbt logs:" in lines:
        parsed = lines[lines.index("Errors parsed from dbt logs:") + 1 :]
        named = [line for line in parsed if not line.startswith(("Done.", "Completed with"))][:4]
        if named:
            return "dbt: " + " | ".join(named)
    return head


def describe_check_failure(check_name: str, metadata: Mapping[str, Any], blocking: bool) -> list[str]:
    """Lines naming the failed check, its table, failed expectations, columns, samples, file, line, row key."""
    meta = {key: _value(value) for key, value in metadata.items()}
    table = meta.get("table") or meta.get("suite")
    head = f"{'gate failed' if blocking else 'check failed (warning)'}: {check_name}" + (
        f"  (table {table})" if table else ""
    )
    lines = [head]
    location = "  ".join(f"{key} {meta[key]}" for key in LOCATION_KEYS if meta.get(key) not in (None, ""))
    if location:
        lines.append(f"    {location}")
    # the markdown list names each failed expectation with its sample values ("e.g. [11, -1]")
    failures = meta.get("failures")
    described = (
        [line.lstrip("- ").strip() for line in failures.strip().splitlines()]
        if (isinstance(failures, str) and failures.strip() not in ("", "none"))
        else []
    )
    results = meta.get("results")
    failed = (
        [r for r in results if isinstance(r, Mapping) and not r.get("success", True)]
        if isinstance(results, list)
        else []
    )
    for result in failed[:10]:
        name = (
            f"{result.get('expectation', '?')}({result['column']})"
            if result.get("column")
            else str(result.get("expectation", "?"))
        )
        text = f"    {result.get('expectation', '?')}"
        if result.get("column"):
            text += f"  column {result['column']}"
        if result.get("unexpected_count"):
            text += f"  {result['unexpected_count']} unexpected"
        sample = _sample(result)
        match = next((line for line in described if line.startswith(name + ":")), None)
        if match is not None:
            described.remove(match)
        if sample is not None:
            text += f"  e.g. {list(sample)[:5] if isinstance(sample, (list, tuple)) else sample}"
        elif match is not None and "e.g. " in match:
            text += "  e.g. " + match.split("e.g. ", 1)[1]
        elif result.get("observed_value") is not None:
            text += f"  observed {result['observed_value']}"
        where = "  ".join(f"{key} {result[key]}" for key in LOCATION_KEYS if result.get(key) not in (None, ""))
        if where:
            text += f"  ({where})"
        lines.append(text)
    if len(failed) > 10:
        lines.append(f"    ... and {len(failed) - 10} more failed expectations")
    if not failed:
        lines.extend(f"    {line}" for line in described[:10])
        if not described:
            for key in ("status", "failures", "message", "note", "error"):
                if meta.get(key) not in (None, "", "none"):
                    lines.append(f"    {key}: {meta[key]}")
    # what a check lists by item: quarantined files (raw gates), unknown landing content
    for key in ("files_quarantined", "errors"):  # markdown lists
        listed = meta.get(key)
        if isinstance(listed, str) and listed.strip() not in ("", "none"):
            lines.extend(f"    {line.lstrip('- ').strip()}" for line in listed.strip().splitlines()[:10])
    unknown = meta.get("unknown")
    if isinstance(unknown, list):
        lines.extend(f"    {item}" for item in unknown[:10])
    return lines


@dataclass
class _StepState:
    started: float | None = None
    failed_checks: int = 0


@dataclass
class RunProgress:
    """Turns a run's event log entries into progress lines on ``out``; keeps the failures for the summary."""

    total_steps: int
    labels: Mapping[str, str]
    out: TextIO
    clock: Callable[[], float] = time.monotonic
    finished: int = 0
    steps: dict[str, _StepState] = field(default_factory=dict)
    failed_steps: list[tuple[str, str]] = field(default_factory=list)
    failed_checks: list[tuple[str, bool, Mapping[str, Any]]] = field(default_factory=list)
    skipped_steps: int = 0

    @property
    def error_checks(self) -> list[tuple[str, bool, Mapping[str, Any]]]:
        """Failed checks of severity ERROR (the run is red); WARN ones are reported, not failures."""
        return [c for c in self.failed_checks if c[1]]

    def __call__(self, entry: Any) -> None:
        try:
            self.handle(entry)
        except Exception as error:
            self.out.write(f"(progress output error: {error!r})\n")

    def _line(self, step_key: str, status: str, k: int | None = None) -> None:
        state = self.steps.get(step_key) or _StepState()
        elapsed = self.clock() - state.started if state.started is not None else None
        k = self.finished if k is None else k
        self.out.write(
            format_step_line(k, self.total_steps, self.labels.get(step_key, ""), step_key, status, elapsed) + "\n"
        )
        self.out.flush()

    def handle(self, entry: Any) -> None:
        event = getattr(entry, "dagster_event", None)
        if event is None:
            # Dagster says "Dependencies for step X failed: [...]. Not executing." as a plain log line
            step_key, message = getattr(entry, "step_key", None), getattr(entry, "user_message", "") or ""
            if step_key and message.startswith("Dependencies for step") and "Not executing" in message:
                self.finished += 1
                self.skipped_steps += 1
                self._line(step_key, "skipped (upstream failed)")
            return
        kind = event.event_type_value
        step_key = event.step_key or getattr(entry, "step_key", None)
        if kind == "STEP_START":
            self.steps.setdefault(step_key, _StepState()).started = self.clock()
        elif kind == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            if not data.passed:
                self.steps.setdefault(step_key, _StepState()).failed_checks += 1
                # a WARN failure (a quarantined file, unknown landing content) never stops a run
                blocking = getattr(data.severity, "value", "") == "ERROR"
                self.failed_checks.append((data.asset_check_key.to_user_string(), blocking, dict(data.metadata or {})))
        elif kind == "STEP_UP_FOR_RETRY":
            self._line(step_key, "failed, retrying", k=self.finished + 1)
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE", "STEP_SKIPPED"):
            self.finished += 1
            if kind == "STEP_SUCCESS":
                checks = self.steps.get(step_key, _StepState()).failed_checks
                status = "ok" if not checks else f"ok, {checks} check(s) FAILED"
            elif kind == "STEP_FAILURE":
                error = event.event_specific_data.error
                if error is not None and error.cls_name == "DagsterAssetCheckFailedError":
                    status = "FAILED (blocking check)"  # the gate itself is named in the summary
                else:
                    self.failed_steps.append(
                        (step_key, step_error_summary((error.cause or error).message if error else ""))
                    )
                    status = "FAILED"
            else:
                self.skipped_steps += 1
                status = "skipped (upstream failed)"
            self._line(step_key, status)

    def summary_lines(self, run_id: str, success: bool, log_file: str | None = None) -> list[str]:
        failed = bool(self.failed_steps or self.error_checks) or not success
        lines = [
            f"Run {run_id}: {'FAILED' if failed else 'SUCCESS'}  "
            f"({self.finished} of {self.total_steps} steps finished, {self.skipped_steps} skipped)"
        ]
        for step_key, message in self.failed_steps:
            lines.append(f"step failed: {step_key}: {message[:300]}")
        # blocking gates first: they are what stopped the run
        for name, blocking, metadata in sorted(self.failed_checks, key=lambda c: not c[1]):
            lines.extend(describe_check_failure(name, metadata, blocking))
        if self.failed_checks:
            lines.append(f"Details: select * from audit.data_quality_results where run_id = '{run_id}' and not success")
        if log_file:
            lines.append(f"Full log: {log_file}")
        return lines


def count_steps(job_def: Any, run_config: Mapping[str, Any] | None = None) -> int:
    from dagster._core.execution.api import create_execution_plan

    return len(create_execution_plan(job_def, run_config=dict(run_config or {})).step_keys_to_execute)
