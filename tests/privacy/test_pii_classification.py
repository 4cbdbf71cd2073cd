"""Every column of the dbt project states what it holds about a person (``config.meta.pii``).

Reads the parsed manifest only (no pipeline run). The vocabulary and what each class means:
``dagster_project/privacy/classification.py``; the convention: DEVELOPERS.md, "Personal data
classification"."""

import re
from collections.abc import Iterator
from typing import Any

import pytest

from dagster_project.privacy import classification
from dagster_project.privacy.classification import column_meta

RAW_SCHEMA = "raw"
# identifier_type: the identity graph's vocabulary (int_identity__observations) plus the shop order keys
# and another record's own id.
IDENTIFIER_TYPES = {
    "email",
    "phone",
    "customer_number",
    "user_pseudo_id",
    "crm_contact_id",
    "instagram_handle",
    "linkedin_handle",
    "facebook_id",
    "order_id",
    "order_number",
    "record_id",
}
# Raw identifier columns named like an email / phone / device id that have no identifier type on purpose.
UNTYPED_RAW_IDENTIFIERS = {
    # Mailchimp's email_id: md5 of the lower-cased address, not the address (erasure matches the
    # email_address column beside it)
    ("mailchimp.email_activity", "email_id"),
    ("mailchimp.sent_to", "email_id"),
    ("mailchimp.unsubscribes", "email_id"),
}

# Names that mean an email, phone, person's name, handle, device id, recipient, identifier or address.
PERSONAL_NAME = re.compile(
    r"email|phone|first_name|last_name|full_name|handle|pseudo_id|recipient|identifier_value|address"
)
PERSONAL_CLASSES_BY_NAME = {"identifier", "name"}
# Columns whose name matches PERSONAL_NAME and that are rightly something else.
NOT_PERSONAL_BY_NAME = re.compile(
    r"^(is|has)_"  # flags: is_email_valid, is_recipient_email_valid, has_email_consent, ...
    r"|_count$"  # counts: email_count, phone_count, recipient_count
    r"|^email_domain$"  # the part after @: quasi (analyses by domain), not the address
    r"|^email_type$"  # Mailchimp html / text preference
    r"|^emails_sent$"  # Mailchimp campaign send count
    r"|^email_marketing_consent_state$"  # Shopify consent state (subscribed, ...)
    r"|^marketing_permission_email$"  # Mailchimp GDPR permission flag
    r"|^consent_email$"  # CRM CSV consent flag
    r"|^unsubscribed_from_all_email$"  # HubSpot opt-out flag
    r"|^recipients$"  # Mailchimp campaign audience (list id, name, segment, recipient count)
)


@pytest.fixture(scope="module")
def manifest(_dbt_manifest) -> dict[str, Any]:
    from dagster_project.dbt_project import dbt_project

    return classification.load_manifest(dbt_project.manifest_path)


def own_nodes(manifest: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(owner, node) for the project's sources, models and seeds."""
    project = manifest["metadata"]["project_name"]
    for kind in ("sources", "nodes"):
        for node in manifest[kind].values():
            if node["resource_type"] in {"source", "model", "seed", "snapshot"} and node["package_name"] == project:
                owner = f"{node['source_name']}.{node['name']}" if kind == "sources" else node["name"]
                yield owner, node


def raw_columns(manifest: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for owner, node in own_nodes(manifest):
        if node["resource_type"] == "source" and node["schema"] == RAW_SCHEMA:
            for name, column in node["columns"].items():
                yield owner, name, column


def test_every_column_of_the_project_is_classified(manifest) -> None:
    assert classification.manifest_problems(manifest) == []
    columns = sum(len(node["columns"]) for _, node in own_nodes(manifest))
    raw_tables = sum(
        1 for _, node in own_nodes(manifest) if node["resource_type"] == "source" and node["schema"] == RAW_SCHEMA
    )
    assert columns > 3000 and raw_tables > 50  # the check did look at the whole project


def test_a_missing_or_unknown_class_is_a_problem() -> None:
    manifest = {
        "metadata": {"project_name": "p"},
        "nodes": {
            "model.p.m": {
                "resource_type": "model",
                "package_name": "p",
                "name": "m",
                "schema": "marts",
                "columns": {
                    "ok": {"config": {"meta": {"pii": "none"}}},
                    "legacy_meta": {"meta": {"pii": "quasi"}},
                    "missing": {"config": {"meta": {"header": "Missing"}}},
                    "unknown": {"config": {"meta": {"pii": "secret"}}},
                    "typed": {"config": {"meta": {"pii": "quasi", "identifier_type": "email"}}},
                },
            },
            "model.other.x": {
                "resource_type": "model",
                "package_name": "other",
                "name": "x",
                "schema": "s",
                "columns": {"unclassified": {}},
            },
        },
        "sources": {
            "source.p.s.t": {
                "resource_type": "source",
                "package_name": "p",
                "source_name": "s",
                "name": "t",
                "schema": "raw",
                "columns": {
                    "props": {
                        "config": {"meta": {"pii": "identifier", "pii_fields": {"a.b": {"identifier_type": "email"}}}}
                    }
                },
            },
        },
    }
    problems = classification.manifest_problems(manifest)
    assert sorted(problem.split(":")[0] for problem in problems) == [
        "m.missing",
        "m.typed",
        "m.unknown",
        "s.t.props.a.b",
    ]
    assert any("'secret' is not one of" in problem for problem in problems)


def test_raw_identifier_columns_carry_their_identifier_type(manifest) -> None:
    untyped = []
    unknown_types = []
    for owner, name, column in raw_columns(manifest):
        for entry in classification.classify(name, column_meta(column)):
            if (
                entry.identifier_type
                and entry.identifier_type not in IDENTIFIER_TYPES
                and not entry.identifier_type.endswith("_handle")
            ):
                unknown_types.append(f"{owner}.{name} {entry.field_path}: {entry.identifier_type}")
            leaf = entry.field_path[-1] if entry.field_path else name
            if (
                entry.pii == "identifier"
                and not entry.identifier_type
                and re.search(r"email|phone|pseudo", leaf, re.IGNORECASE)
                and (owner, name) not in UNTYPED_RAW_IDENTIFIERS
            ):
                untyped.append(f"{owner}.{'.'.join((name, *entry.field_path))}")
    assert untyped == []
    assert unknown_types == []


def test_struct_fields_named_in_pii_fields_exist(manifest) -> None:
    checked = 0
    wrong = []
    for owner, name, column in raw_columns(manifest):
        fields = column_meta(column).get("pii_fields") or {}
        if not fields:
            continue
        data_type = column.get("data_type") or ""
        paths = classification.struct_field_paths(data_type)
        if paths is None:
            # a map's keys are data (Mailchimp merge-field tags, Delighted person properties): only maps
            # may name fields the type does not list; a list column classifies itself alone (a list
            # inside a struct is reached as "member[].field")
            assert data_type.lower().startswith("map("), f"{owner}.{name}: pii_fields on a {data_type!r} column"
            continue
        checked += 1
        wrong += [f"{owner}.{name}.{path}" for path in fields if str(path) not in paths]
    assert wrong == []
    assert checked >= 8


def test_struct_field_paths() -> None:
    data_type = 'struct(id bigint, "from" struct(id varchar, name varchar), items struct(sku varchar, price double)[])'
    assert classification.struct_field_paths(data_type) == {
        "id",
        "from",
        "from.id",
        "from.name",
        "items",
        "items[].sku",
        "items[].price",
    }
    assert classification.struct_field_paths(data_type + "[]") is None
    assert classification.struct_field_paths("map(varchar, varchar)") is None
    assert classification.struct_field_paths("varchar") is None


def test_columns_named_like_personal_data_are_identifiers_or_names(manifest) -> None:
    wrong = []
    for owner, node in own_nodes(manifest):
        for name, column in node["columns"].items():
            if PERSONAL_NAME.search(name.lower()) and not NOT_PERSONAL_BY_NAME.search(name.lower()):
                pii = column_meta(column).get("pii")
                if pii not in PERSONAL_CLASSES_BY_NAME:
                    wrong.append(f"{owner}.{name}: {pii}")
    assert wrong == []
