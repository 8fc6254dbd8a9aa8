import pytest
import yaml
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings_and_documents_analytics(tmp_path):
    target = tmp_path / "openapi.yaml"
    # --fail-on-warn turns any warning of the generator into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())

    summary = schema["paths"]["/api/v1/analytics/deals/summary"]["get"]
    funnel = schema["paths"]["/api/v1/analytics/deals/funnel"]["get"]
    assert {(p["in"], p["name"]) for p in summary["parameters"]} == {
        ("header", "X-Organization-Id"),
        ("query", "created_after"),
        ("query", "status_list"),
    }
    assert {(p["in"], p["name"]) for p in funnel["parameters"]} == {
        ("header", "X-Organization-Id"),
        ("query", "status_list"),
    }
    status_list = next(p for p in summary["parameters"] if p["name"] == "status_list")
    assert status_list["schema"]["items"]["enum"] == ["new", "in_progress", "won", "lost"]
    assert {"200", "400", "401", "403"} <= set(summary["responses"])

    components = schema["components"]["schemas"]
    assert components["DealSummary"]["properties"]["total_won_amount"]["nullable"] is True
    assert components["DealSummary"]["properties"]["average_amount"]["type"] == "number"
    stage = components["DealFunnelStage"]["properties"]
    assert set(stage) == {"stage", "count", "reached", "conversion_to_next"}
    assert stage["conversion_to_next"]["nullable"] is True
