"""Declarative automation: downstream layers materialize when their inputs change.

One condition per layer, read by the dbt translator (orchestration/dbt_assets.py). It is
``AutomationCondition.eager()`` adapted to this platform:

* without ``~any_deps_missing``: a raw asset has one dynamic partition per batch, and a batch that
  was rejected stays registered but never materialized; eager() would then wait forever;
* without ``newly_missing``: the first build of the warehouse is an operator's act (``consolidate``),
  not a side effect of turning the sensor on;
* with the blocking checks of warehouse inputs passed: a layer whose Soda gate failed does not feed
  the next one (raw batches are already gated before publication, write–audit–publish).

Reference seeds change with code deployments, not data: they have no condition (consolidate builds
them). The ``automation`` sensor evaluates the conditions every 30 s under the daemon.
"""

from __future__ import annotations

from dagster import AssetSelection, AutomationCondition, AutomationConditionSensorDefinition, DefaultSensorStatus

AUTOMATED_LAYERS = ("staging", "integration", "core", "marts")


def on_inputs_changed() -> AutomationCondition:
    gated_inputs_passed = AutomationCondition.all_deps_match(
        AutomationCondition.all_checks_match(
            AutomationCondition.check_passed() | AutomationCondition.will_be_requested(), blocking_only=True
        )
    ).ignore(AssetSelection.groups("raw"))
    return (
        AutomationCondition.any_deps_updated().since_last_handled()
        & gated_inputs_passed
        & ~AutomationCondition.any_deps_in_progress()
        & ~AutomationCondition.in_progress()
    ).with_label("inputs changed and passed their gates")


def condition_for_layer(layer: str) -> AutomationCondition | None:
    """The automation condition of a dbt layer (None: built only by jobs and schedules)."""
    return on_inputs_changed() if layer in AUTOMATED_LAYERS else None


automation_sensor = AutomationConditionSensorDefinition(
    name="automation",
    target=AssetSelection.all(),
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
    description="Evaluates the declarative automation conditions: staging, integration, core and marts are rebuilt "
    "when their inputs change and passed their blocking checks.",
)
